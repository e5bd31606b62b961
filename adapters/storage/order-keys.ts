import { registryError } from '../core/errors.ts';
import type { OrderFilter, OrderRecord } from '../../platform/ports/order-store.ts';
import { normalizeInstant } from './timestamps.ts';

/** (normalised createdAt, id): the order every OrderStore lists in, newest first. */
export type OrderSortKey = readonly [createdAtKey: string, id: string];

export function orderSortKey(order: OrderRecord): OrderSortKey {
  return [normalizeInstant(order.createdAt, 'createdAt'), order.id];
}

/** Negative when `a` lists before `b` (newer, or same instant and greater id). */
export function compareNewestFirst(a: OrderSortKey, b: OrderSortKey): number {
  if (a[0] !== b[0]) return a[0] > b[0] ? -1 : 1;
  return a[1] === b[1] ? 0 : a[1] > b[1] ? -1 : 1;
}

/** `createdAfter` and `createdBefore` are exclusive bounds, compared as instants. */
export interface NormalizedOrderFilter {
  readonly tenant: string;
  readonly status: OrderFilter['status'] | undefined;
  readonly createdAfter: string | undefined;
  readonly createdBefore: string | undefined;
}

export function normalizeOrderFilter(filter: OrderFilter): NormalizedOrderFilter {
  return {
    tenant: filter.tenant,
    status: filter.status,
    createdAfter: filter.createdAfter === undefined ? undefined : normalizeInstant(filter.createdAfter, 'createdAfter'),
    createdBefore: filter.createdBefore === undefined ? undefined : normalizeInstant(filter.createdBefore, 'createdBefore'),
  };
}

export function orderMatches(order: OrderRecord, filter: NormalizedOrderFilter): boolean {
  const createdAtKey = normalizeInstant(order.createdAt, 'createdAt');
  return (
    order.tenant === filter.tenant &&
    (filter.status === undefined || order.status === filter.status) &&
    (filter.createdAfter === undefined || createdAtKey > filter.createdAfter) &&
    (filter.createdBefore === undefined || createdAtKey < filter.createdBefore)
  );
}

export function checkOrder(order: OrderRecord): void {
  for (const field of ['tenant', 'id', 'idempotencyKey'] as const) {
    if (typeof order[field] !== 'string' || order[field] === '') {
      throw registryError('INVALID_INPUT', `An order needs a non-empty ${field}`, { details: { field } });
    }
  }
  normalizeInstant(order.createdAt, 'createdAt');
}
