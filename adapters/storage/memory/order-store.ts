import { registryError } from '../../../kernel/errors.ts';
import { orderNeedsAttention, subOrderByRef, type OrderPage, type OrderRecord, type OrderStore } from '../../../platform/ports/order-store.ts';
import { checkPageSize, decodeCursor, encodeCursor } from '../cursor.ts';
import {
  MAX_WORKFLOW_PAGE,
  checkOrder,
  compareNewestFirst,
  compareOldestFirst,
  normalizeOrderFilter,
  orderMatches,
  orderSortKey,
  workflowSortKey,
  type OrderSortKey,
  type WorkflowSortKey,
} from '../order-keys.ts';

/**
 * The embedded OrderStore, with the same unique keys as the MongoDB store: (tenant, id) and
 * (tenant, idempotencyKey). Records are deep-copied in and out so callers can never mutate stored state.
 */
export function createMemoryOrderStore(): OrderStore {
  const orders = new Map<string, OrderRecord>(); // tenant \0 id -> order
  const byIdempotencyKey = new Map<string, string>(); // tenant \0 key -> id
  // supplier \0 sid|key \0 value -> tenant \0 id; refs of a sub-order never change, so entries are only added.
  const bySupplierRef = new Map<string, string>();
  const index = (order: OrderRecord): void => {
    for (const sub of order.subOrders ?? []) {
      if (sub.supplierOrderId !== null) bySupplierRef.set(`${sub.supplier}\u0000sid\u0000${sub.supplierOrderId}`, key(order.tenant, order.id));
      bySupplierRef.set(`${sub.supplier}\u0000key\u0000${sub.idempotencyKey}`, key(order.tenant, order.id));
    }
  };
  const key = (tenant: string, part: string): string => `${tenant}\u0000${part}`;

  return {
    async get(tenant, id) {
      const order = orders.get(key(tenant, id));
      return order === undefined ? null : structuredClone(order);
    },

    async getByIdempotencyKey(tenant, idempotencyKey) {
      const id = byIdempotencyKey.get(key(tenant, idempotencyKey));
      return id === undefined ? null : structuredClone(orders.get(key(tenant, id))!);
    },

    async list(filter, first, after): Promise<OrderPage> {
      checkPageSize(first, 200);
      const cursor: OrderSortKey | null = after === null ? null : (decodeCursor(after, 2) as unknown as OrderSortKey);
      const normalized = normalizeOrderFilter(filter);
      const matching = [...orders.values()]
        .filter((order) => orderMatches(order, normalized))
        .map((order) => ({ order, sortKey: orderSortKey(order) }))
        .filter(({ sortKey }) => cursor === null || compareNewestFirst(sortKey, cursor) > 0)
        .sort((a, b) => compareNewestFirst(a.sortKey, b.sortKey));
      const page = matching.slice(0, first);
      const last = page[page.length - 1];
      return {
        items: page.map(({ order }) => structuredClone(order)),
        nextCursor: matching.length > first && last !== undefined ? encodeCursor(last.sortKey) : null,
      };
    },

    async insert(order) {
      checkOrder(order);
      const existingId = byIdempotencyKey.get(key(order.tenant, order.idempotencyKey));
      if (existingId !== undefined) {
        return { inserted: false, existing: structuredClone(orders.get(key(order.tenant, existingId))!) };
      }
      if (orders.has(key(order.tenant, order.id))) {
        throw registryError('INVALID_INPUT', 'An order with this id already exists under another idempotency key', {
          details: { tenant: order.tenant, id: order.id },
        });
      }
      orders.set(key(order.tenant, order.id), structuredClone(order));
      byIdempotencyKey.set(key(order.tenant, order.idempotencyKey), order.id);
      index(order);
      return { inserted: true };
    },

    async save(order) {
      checkOrder(order);
      if (!orders.has(key(order.tenant, order.id))) throw registryError('NOT_FOUND', `No order ${order.id}`, { details: { id: order.id } });
      orders.set(key(order.tenant, order.id), structuredClone(order));
      index(order);
    },

    async findBySupplierRef(supplier, ref) {
      const candidates = [
        ref.supplierOrderId === null ? undefined : bySupplierRef.get(`${supplier}\u0000sid\u0000${ref.supplierOrderId}`),
        ref.reference === null ? undefined : bySupplierRef.get(`${supplier}\u0000key\u0000${ref.reference}`),
      ];
      for (const found of candidates) {
        const order = found === undefined ? undefined : orders.get(found);
        if (order !== undefined && subOrderByRef(order, supplier, ref) !== undefined) return structuredClone(order);
      }
      return null;
    },

    async listByWorkflow(workflow, first, after = null) {
      checkPageSize(first, MAX_WORKFLOW_PAGE);
      const cursor = after === null ? null : (decodeCursor(after, 3) as unknown as WorkflowSortKey);
      const matching = [...orders.values()]
        .filter((order) => order.workflow === workflow)
        .map((order) => ({ order, sortKey: workflowSortKey(order) }))
        .filter(({ sortKey }) => cursor === null || compareOldestFirst(sortKey, cursor) > 0)
        .sort((a, b) => compareOldestFirst(a.sortKey, b.sortKey));
      const page = matching.slice(0, first);
      const last = page[page.length - 1];
      return {
        items: page.map(({ order }) => structuredClone(order)),
        nextCursor: matching.length > first && last !== undefined ? encodeCursor(last.sortKey) : null,
      };
    },

    async listNeedingAttention(first, tenant) {
      checkPageSize(first, 200);
      return [...orders.values()]
        .filter((order) => (tenant === undefined || order.tenant === tenant) && orderNeedsAttention(order))
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || key(a.tenant, a.id).localeCompare(key(b.tenant, b.id)))
        .slice(0, first)
        .map((order) => structuredClone(order));
    },

    async clear() {
      orders.clear();
      byIdempotencyKey.clear();
      bySupplierRef.clear();
    },
  };
}
