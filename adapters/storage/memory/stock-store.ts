import type { ApplyResult, StockRecord, StockStore } from '../../../platform/ports/stock-store.ts';
import { compareStrings } from '../catalog-keys.ts';
import { checkStockReport, decideStockReport } from '../stock-report.ts';
import { systemClock, type Clock } from '../timestamps.ts';

export interface MemoryStockStoreOptions {
  /** @default the system clock */
  readonly now?: Clock;
}

/**
 * The embedded StockStore. `applyReport` reads, decides and writes without awaiting in between, so it is atomic
 * by construction; the decision itself is the one the MongoDB store makes (stock-report.ts).
 */
export function createMemoryStockStore(options: MemoryStockStoreOptions = {}): StockStore {
  const now = options.now ?? systemClock;
  const rows = new Map<string, Map<string, StockRecord>>(); // sku -> supplier -> record

  return {
    async applyReport(report, defaultBuffer): Promise<ApplyResult> {
      checkStockReport(report, defaultBuffer);
      const before = rows.get(report.sku)?.get(report.supplier) ?? null;
      const decision = decideStockReport(before, report, defaultBuffer, now());
      if (decision.stale) return { outcome: 'stale', current: { ...before! } };
      let forSku = rows.get(report.sku);
      if (forSku === undefined) rows.set(report.sku, (forSku = new Map()));
      forSku.set(report.supplier, decision.next);
      return { outcome: 'applied', before: before === null ? null : { ...before }, after: { ...decision.next } };
    },

    async getBySkus(skus) {
      return skus.map((sku) =>
        [...(rows.get(sku)?.values() ?? [])].sort((a, b) => compareStrings(a.supplier, b.supplier)).map((r) => ({ ...r })),
      );
    },

    async get(sku, supplier) {
      const row = rows.get(sku)?.get(supplier);
      return row === undefined ? null : { ...row };
    },

    async clear() {
      rows.clear();
    },
  };
}
