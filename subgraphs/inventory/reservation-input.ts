import { registryError } from '../../kernel/errors.ts';
import { allowsSupplier, type Principal } from '../../platform/auth/principal.ts';
import type { ReservationItem } from '../../platform/ports/reservation-store.ts';

export interface ReservationLimits {
  /** Distinct (sku, supplier) pairs per reservation. @default 100 */
  readonly maxItems: number;
  /** Units per item. @default 100_000 */
  readonly maxQuantity: number;
  /** @default 100 (ms) */
  readonly minTtlMs: number;
  /** @default 86_400_000 (24 h) */
  readonly maxTtlMs: number;
}

export const DEFAULT_LIMITS: ReservationLimits = { maxItems: 100, maxQuantity: 100_000, minTtlMs: 100, maxTtlMs: 86_400_000 };

const invalid = (message: string, details?: Record<string, unknown>) =>
  registryError('INVALID_INPUT', message, details === undefined ? undefined : { details });

/**
 * Validates a request's items and returns one item per (sku, supplier), quantities summed, sorted by (sku, supplier).
 * Holds are taken in that order: two requests wanting the same rows then contend for them in the same order, so
 * they cannot each take one row and starve the other of the second (both failing where one could succeed).
 */
export function normalizeItems(items: readonly ReservationItem[], limits: Partial<ReservationLimits> = {}): ReservationItem[] {
  const { maxItems, maxQuantity } = { ...DEFAULT_LIMITS, ...limits };
  if (!Array.isArray(items) || items.length === 0) throw invalid('A reservation needs at least one item');
  const merged = new Map<string, ReservationItem>();
  for (const item of items) {
    if (typeof item?.sku !== 'string' || item.sku.trim() === '' || typeof item.supplier !== 'string' || item.supplier.trim() === '') {
      throw invalid('Each item needs a sku and a supplier');
    }
    if (!Number.isSafeInteger(item.quantity) || item.quantity <= 0 || item.quantity > maxQuantity) {
      throw invalid(`quantity must be an integer from 1 to ${maxQuantity}`, { sku: item.sku, supplier: item.supplier, quantity: item.quantity });
    }
    const key = `${item.sku}\u0000${item.supplier}`;
    const quantity = (merged.get(key)?.quantity ?? 0) + item.quantity;
    if (quantity > maxQuantity) throw invalid(`quantity must be an integer from 1 to ${maxQuantity}`, { sku: item.sku, supplier: item.supplier, quantity });
    merged.set(key, { sku: item.sku, supplier: item.supplier, quantity });
  }
  if (merged.size > maxItems) throw invalid(`At most ${maxItems} distinct items per reservation`, { items: merged.size });
  const byKey = (a: ReservationItem, b: ReservationItem) =>
    a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.supplier < b.supplier ? -1 : a.supplier > b.supplier ? 1 : 0;
  return [...merged.values()].sort(byKey);
}

export function checkTtl(ttlMs: number, limits: Partial<ReservationLimits> = {}): void {
  const { minTtlMs, maxTtlMs } = { ...DEFAULT_LIMITS, ...limits };
  if (!Number.isSafeInteger(ttlMs) || ttlMs < minTtlMs || ttlMs > maxTtlMs) {
    throw invalid(`ttl must be an integer from ${minTtlMs} to ${maxTtlMs} ms`, { ttlMs });
  }
}

/**
 * Refuses items of suppliers the caller may not use (a partner limited to some suppliers, docs/security.md):
 * SUPPLIER_NOT_ALLOWED naming the first such supplier (in the items' order), before anything is read or written.
 * Only the caller's own supplier names reach the message: the one it sent, or one on a reservation of its tenant.
 */
export function checkAllowedSuppliers(caller: Pick<Principal, 'suppliers'>, items: readonly Pick<ReservationItem, 'supplier'>[]): void {
  if (caller.suppliers === undefined) return;
  const refused = items.find((item) => !allowsSupplier(caller, item.supplier));
  if (refused !== undefined) {
    throw registryError('SUPPLIER_NOT_ALLOWED', 'not allowed for this caller', { supplier: refused.supplier, details: { supplier: refused.supplier } });
  }
}
