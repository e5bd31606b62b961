import type { StockState, StockStore } from '../../../platform/ports/stock-store.ts';
import { compareStrings } from '../catalog-keys.ts';
import { checkStockReport } from '../stock-report.ts';
import { mutationStep, reportStep, type VersionStep } from '../stock-mutation.ts';
import { systemClock, type Clock } from '../timestamps.ts';

export interface MemoryStockStoreOptions {
  /** @default the system clock */
  readonly now?: Clock;
}

/**
 * The embedded StockStore. Every write reads, decides and writes without awaiting in between, so it is atomic by
 * construction; the decisions themselves are the ones the MongoDB store makes (stock-mutation.ts).
 */
export function createMemoryStockStore(options: MemoryStockStoreOptions = {}): StockStore {
  const now = options.now ?? systemClock;
  const rows = new Map<string, Map<string, StockState>>(); // sku -> supplier -> state

  function write<R>(sku: string, supplier: string, decide: (previous: StockState | null) => VersionStep<R>): R {
    const previous = rows.get(sku)?.get(supplier) ?? null;
    const step = decide(previous === null ? null : structuredClone(previous));
    if ('done' in step) return structuredClone(step.done);
    let forSku = rows.get(sku);
    if (forSku === undefined) rows.set(sku, (forSku = new Map()));
    forSku.set(supplier, structuredClone(step.write));
    return structuredClone(step.result);
  }

  return {
    async applyReport(report, defaultBuffer) {
      checkStockReport(report, defaultBuffer);
      return write(report.sku, report.supplier, (previous) => reportStep(previous, report, defaultBuffer, now()));
    },

    async mutate(sku, supplier, change) {
      return write(sku, supplier, (previous) => mutationStep(previous, change, now()));
    },

    async getState(sku, supplier) {
      const state = rows.get(sku)?.get(supplier);
      return state === undefined ? null : structuredClone(state);
    },

    async getBySkus(skus) {
      return skus.map((sku) =>
        [...(rows.get(sku)?.values() ?? [])]
          .map((s) => ({ ...s.record }))
          .sort((a, b) => compareStrings(a.supplier, b.supplier)),
      );
    },

    async get(sku, supplier) {
      const state = rows.get(sku)?.get(supplier);
      return state === undefined ? null : { ...state.record };
    },

    async clear() {
      rows.clear();
    },
  };
}
