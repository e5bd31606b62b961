import { registryError } from '../../kernel/errors.ts';
import type { NewReservation } from '../../platform/ports/reservation-store.ts';

const isInstant = (value: string): boolean => Number.isFinite(Date.parse(value)) && new Date(value).toISOString() === value;

/**
 * What both ReservationStores refuse to store. Timestamps must be normalised (`toISOString`) because `listDue`
 * compares them as strings; the domain service validates requests in detail before they get here.
 */
export function checkNewReservation(r: NewReservation): void {
  const bad = (why: string) => registryError('INVALID_INPUT', `invalid reservation: ${why}`, { details: { id: r.id } });
  if (!r.id || !r.tenant) throw bad('id and tenant are required');
  if (r.items.length === 0) throw bad('no items');
  for (const item of r.items) {
    if (!item.sku || !item.supplier || !Number.isSafeInteger(item.quantity) || item.quantity <= 0) throw bad('item needs sku, supplier and a positive quantity');
  }
  if (!isInstant(r.expiresAt) || !isInstant(r.createdAt)) throw bad('timestamps must be ISO 8601 from toISOString()');
  if (r.idempotencyKey !== null && r.idempotencyKey.length === 0) throw bad('empty idempotency key');
}
