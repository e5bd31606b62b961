import { registryError } from '../../kernel/errors.ts';
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

/** (normalised createdAt, tenant, id): the order the workflow listings walk in, oldest first (keyset paging). */
export type WorkflowSortKey = readonly [createdAtKey: string, tenant: string, id: string];

export const workflowSortKey = (order: OrderRecord): WorkflowSortKey => [normalizeInstant(order.createdAt, 'createdAt'), order.tenant, order.id];

/** Largest page of a workflow listing. */
export const MAX_WORKFLOW_PAGE = 500;

/** Negative when `a` lists before `b`: older, then by tenant and id as `<tenant>\0<id>` (the MongoDB `_id` order). */
export function compareOldestFirst(a: WorkflowSortKey, b: WorkflowSortKey): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  const x = `${a[1]}\u0000${a[2]}`;
  const y = `${b[1]}\u0000${b[2]}`;
  return x === y ? 0 : x < y ? -1 : 1;
}

export function checkOrder(order: OrderRecord): void {
  for (const field of ['tenant', 'id', 'idempotencyKey'] as const) {
    if (typeof order[field] !== 'string' || order[field] === '') {
      throw registryError('INVALID_INPUT', `An order needs a non-empty ${field}`, { details: { field } });
    }
  }
  normalizeInstant(order.createdAt, 'createdAt');
}
