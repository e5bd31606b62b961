import type { Money } from '../../../kernel/model.ts';
import { registryError } from '../../../kernel/errors.ts';
import type { LineAllocation, OrderLineRecord, SubOrderRecord } from '../../../platform/ports/order-store.ts';
import { routeLine, usesCost, type LineDecision, type RoutingCandidate } from '../routing.ts';
import type { OrderDeps } from './deps.ts';

/**
 * Routing candidates per canonical SKU: the catalog's supplier mappings with canonical available stock.
 * `allowed`: live costs are asked of these suppliers only (routeLine drops the others anyway).
 */
export async function loadCandidates(
  deps: Pick<OrderDeps, 'catalog' | 'stock' | 'connectors' | 'policy' | 'log'>,
  skus: readonly string[],
  allowed?: readonly string[],
  costTimeoutMs = 5_000,
): Promise<Map<string, RoutingCandidate[]>> {
  const products = await deps.catalog.getBySkus(skus);
  products.forEach((p, i) => {
    if (p === null) throw registryError('INVALID_INPUT', `Unknown SKU ${skus[i]}`, { details: { field: `lines[${i}].sku`, sku: skus[i] } });
  });
  const rows = await deps.stock.getBySkus(skus);
  const costed = products.flatMap((p) => p!.suppliers).filter((m) => allowed === undefined || allowed.includes(m.supplier));
  const costs = usesCost(deps.policy) ? await liveCosts(deps, costed, costTimeoutMs) : new Map<string, Money | null>();
  const out = new Map<string, RoutingCandidate[]>();
  skus.forEach((sku, i) => {
    const product = products[i]!;
    out.set(
      sku,
      product.suppliers
        .filter((m) => deps.connectors.has(m.supplier))
        .map((m) => ({
          supplier: m.supplier,
          supplierSku: m.supplierSku,
          available: rows[i]?.find((r) => r.supplier === m.supplier)?.available ?? 0,
          unitCost: costs.get(`${m.supplier}\u0000${m.supplierSku}`) ?? null,
        })),
    );
  });
  return out;
}

/**
 * Unit costs from each supplier's live offer (order lane); a supplier that fails just has no cost.
 * AbortSignal.timeout throws on a fractional delay, which silently left every cost unknown (routing fell back to
 * priority under lowest_cost), so the budget share is floored here whatever the caller passes.
 */
async function liveCosts(deps: Pick<OrderDeps, 'connectors' | 'log'>, mappings: readonly { supplier: string; supplierSku: string }[], timeoutMs: number): Promise<Map<string, Money | null>> {
  const bySupplier = new Map<string, string[]>();
  for (const m of mappings) bySupplier.set(m.supplier, [...(bySupplier.get(m.supplier) ?? []), m.supplierSku]);
  const out = new Map<string, Money | null>();
  await Promise.all(
    [...bySupplier].map(async ([supplier, skus]) => {
      const connector = deps.connectors.get(supplier);
      if (!connector) return;
      try {
        const stock = await connector.getStock(skus.slice(0, connector.maxStockBatch), { signal: AbortSignal.timeout(Math.max(1, Math.floor(timeoutMs))), log: deps.log, requestId: 'routing', lane: 'order' });
        for (const s of stock) out.set(`${supplier}\u0000${s.supplierSku}`, s.cost);
      } catch (error) {
        deps.log.warn({ supplier, err: error }, 'no live cost for routing');
      }
    }),
  );
  return out;
}

/** Deterministic sub-order id for a supplier: `<orderId>-<supplier>`, then `-2`, `-3` for later re-routes. */
export function nextSubOrderId(orderId: string, supplier: string, existing: readonly SubOrderRecord[]): string {
  const base = `${orderId}-${supplier}`;
  const taken = new Set(existing.map((s) => s.id));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export function newSubOrder(id: string, supplier: string, at: string): SubOrderRecord {
  return {
    id,
    supplier,
    idempotencyKey: id,
    lines: [],
    state: 'planned',
    reservationId: null,
    supplierOrderId: null,
    status: null,
    rawStatus: null,
    lineStatus: [],
    attempts: 0,
    lastError: null,
    updatedAt: at,
  };
}

/**
 * Adds one line's routing decision to the plan: allocations onto new `planned` sub-orders (one per supplier per
 * planning round, so a re-route never changes what an earlier sub-order already sent).
 */
export function applyDecision(
  line: OrderLineRecord,
  decision: LineDecision,
  orderId: string,
  subOrders: SubOrderRecord[],
  fresh: Map<string, SubOrderRecord>,
  at: string,
): OrderLineRecord {
  const allocations: LineAllocation[] = [];
  for (const a of decision.allocations) {
    let sub = fresh.get(a.supplier);
    if (sub === undefined) {
      sub = newSubOrder(nextSubOrderId(orderId, a.supplier, subOrders), a.supplier, at);
      subOrders.push(sub);
      fresh.set(a.supplier, sub);
    }
    const updated: SubOrderRecord = {
      ...sub,
      lines: [...sub.lines, { lineNumber: line.lineNumber, sku: line.sku, supplierSku: a.supplierSku, quantity: a.quantity, unitCost: a.unitCost }],
    };
    subOrders[subOrders.findIndex((s) => s.id === sub!.id)] = updated;
    fresh.set(a.supplier, updated);
    allocations.push({ ...a, subOrderId: updated.id });
  }
  // supplier, supplierSku, unitCost and status are derived from the live allocations by refreshOrder.
  return { ...line, allocations: [...(line.allocations ?? []), ...allocations], needsAttention: decision.unallocated > 0 ? decision.reason : null };
}

export { routeLine };
