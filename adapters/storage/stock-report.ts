import { registryError } from '../../kernel/errors.ts';
import type { StockRecord, StockReport } from '../../platform/ports/stock-store.ts';
import { normalizeInstant } from './timestamps.ts';

/**
 * The one decision every StockStore makes on a supplier report, as a pure function so the in-memory and MongoDB
 * stores cannot drift: stale (a report as new or newer was already accepted) or the next record.
 */
export type StockDecision = { readonly stale: true } | { readonly stale: false; readonly next: StockRecord };

export function decideStockReport(
  previous: StockRecord | null,
  report: StockReport,
  defaultBuffer: number,
  receivedAt: string,
): StockDecision {
  const supplierAsOf = normalizeInstant(report.supplierAsOf, 'supplierAsOf');
  // Stored values are normalised, so string order is time order.
  if (previous !== null && previous.supplierAsOf >= supplierAsOf) return { stale: true };
  const reserved = previous?.reserved ?? 0;
  const committed = previous?.committed ?? 0;
  // The buffer is a per-row setting: only a new row takes the default.
  const buffer = previous?.buffer ?? defaultBuffer;
  return {
    stale: false,
    next: {
      sku: report.sku,
      supplier: report.supplier,
      supplierSku: report.supplierSku,
      onHand: report.onHand,
      reserved,
      committed,
      buffer,
      available: availableOf(report.onHand, reserved, committed, buffer),
      supplierAsOf,
      receivedAt,
      version: (previous?.version ?? 0) + 1,
    },
  };
}

export function availableOf(onHand: number, reserved: number, committed: number, buffer: number): number {
  return Math.max(0, onHand - reserved - committed - buffer);
}

export function checkStockReport(report: StockReport, defaultBuffer: number): void {
  if (!report.sku || !report.supplier || !report.supplierSku) {
    throw registryError('INVALID_INPUT', 'A stock report needs sku, supplier and supplierSku', { details: { sku: report.sku } });
  }
  if (!Number.isSafeInteger(report.onHand) || report.onHand < 0) {
    throw registryError('INVALID_INPUT', 'onHand must be a non-negative integer', { details: { sku: report.sku, supplier: report.supplier } });
  }
  if (!Number.isSafeInteger(defaultBuffer) || defaultBuffer < 0) {
    throw registryError('INVALID_INPUT', 'defaultBuffer must be a non-negative integer', { details: { defaultBuffer } });
  }
}
