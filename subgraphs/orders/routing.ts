import type { Money } from '../../adapters/core/model.ts';

/**
 * Routing policy (docs/orders.md): which supplier(s) serve a line. Pure: candidates in, decision and reasons out,
 * so previewOrderRouting and placement decide the same way.
 */
export interface RoutingPolicy {
  /** `priority`: supplierPriority order; `lowest_cost`: lowest landed unit cost first. @default 'priority' */
  readonly strategy: 'priority' | 'lowest_cost';
  /** Preferred suppliers first; unlisted suppliers follow by name. @default [] */
  readonly supplierPriority: readonly string[];
  /** A supplier that can cover the whole line goes before one that cannot. @default true */
  readonly inStockFirst: boolean;
  /** Split a line over suppliers when none covers it alone. @default true */
  readonly allowSplit: boolean;
  /** Flat shipping cost per supplier sub-order, added to the landed cost of a line (decimal string). @default {} */
  readonly shippingCost: Readonly<Record<string, string>>;
}

export const DEFAULT_ROUTING_POLICY: RoutingPolicy = {
  strategy: 'priority',
  supplierPriority: [],
  inStockFirst: true,
  allowSplit: true,
  shippingCost: {},
};

export interface RoutingCandidate {
  readonly supplier: string;
  readonly supplierSku: string;
  /** Sellable units in canonical stock (after reservations and buffer). */
  readonly available: number;
  readonly unitCost: Money | null;
}

export interface Allocation {
  readonly supplier: string;
  readonly supplierSku: string;
  readonly quantity: number;
  readonly unitCost: Money | null;
  readonly reason: string;
}

export interface LineDecision {
  readonly sku: string;
  readonly quantity: number;
  readonly allocations: readonly Allocation[];
  /** Units no candidate could take. */
  readonly unallocated: number;
  readonly reason: string;
}

const cents = (m: Money | null): number => (m === null ? Number.POSITIVE_INFINITY : Math.round(Number(m.amount) * 100));

/** Landed cost per unit for `quantity` units, in cents: unit cost plus the supplier's shipping spread over them. */
function landedUnitCents(c: RoutingCandidate, quantity: number, policy: RoutingPolicy): number {
  const shipping = Math.round(Number(policy.shippingCost[c.supplier] ?? '0') * 100);
  return cents(c.unitCost) + shipping / Math.max(1, quantity);
}

function rankOf(policy: RoutingPolicy, supplier: string): number {
  const i = policy.supplierPriority.indexOf(supplier);
  return i === -1 ? policy.supplierPriority.length : i;
}

/** The preference order, before stock is considered. */
function preferred(candidates: readonly RoutingCandidate[], quantity: number, policy: RoutingPolicy): RoutingCandidate[] {
  return [...candidates].sort((a, b) => {
    const byStrategy =
      policy.strategy === 'lowest_cost' ? landedUnitCents(a, quantity, policy) - landedUnitCents(b, quantity, policy) : rankOf(policy, a.supplier) - rankOf(policy, b.supplier);
    if (byStrategy !== 0 && Number.isFinite(byStrategy)) return byStrategy;
    if (policy.strategy === 'lowest_cost' && cents(a.unitCost) !== cents(b.unitCost)) return cents(a.unitCost) < cents(b.unitCost) ? -1 : 1;
    const byPriority = rankOf(policy, a.supplier) - rankOf(policy, b.supplier);
    return byPriority !== 0 ? byPriority : a.supplier < b.supplier ? -1 : a.supplier > b.supplier ? 1 : 0;
  });
}

const strategyWord = (policy: RoutingPolicy): string => (policy.strategy === 'lowest_cost' ? 'lowest landed cost' : 'supplier priority');

/** Decides one line. `excluded`: suppliers that already refused it. */
export function routeLine(
  sku: string,
  quantity: number,
  candidates: readonly RoutingCandidate[],
  policy: RoutingPolicy = DEFAULT_ROUTING_POLICY,
  excluded: readonly string[] = [],
): LineDecision {
  const usable = candidates.filter((c) => !excluded.includes(c.supplier));
  if (usable.length === 0) {
    return { sku, quantity, allocations: [], unallocated: quantity, reason: excluded.length > 0 ? `every supplier carrying ${sku} refused it` : `no supplier carries ${sku}` };
  }
  const order = preferred(usable, quantity, policy);
  const first = order[0]!;
  const ranked = policy.inStockFirst ? [...order.filter((c) => c.available >= quantity), ...order.filter((c) => c.available < quantity)] : order;
  const whole = ranked.find((c) => c.available >= quantity);
  if (whole !== undefined && (policy.inStockFirst || whole === ranked[0])) {
    const why =
      whole === first
        ? `${strategyWord(policy)}: ${whole.supplier} is preferred and has ${whole.available} available`
        : `substitute: preferred ${first.supplier} has only ${first.available}; ${whole.supplier} covers all ${quantity}`;
    return { sku, quantity, allocations: [{ ...pick(whole), quantity, reason: why }], unallocated: 0, reason: why };
  }
  if (!policy.allowSplit) {
    return { sku, quantity, allocations: [], unallocated: quantity, reason: `no single supplier has ${quantity} of ${sku} and splitting is off` };
  }
  const allocations: Allocation[] = [];
  let remaining = quantity;
  for (const c of order) {
    if (remaining === 0) break;
    const take = Math.min(c.available, remaining);
    if (take <= 0) continue;
    allocations.push({ ...pick(c), quantity: take, reason: `split: ${c.supplier} has ${c.available}, takes ${take} (${strategyWord(policy)})` });
    remaining -= take;
  }
  const reason =
    remaining === 0
      ? `split over ${allocations.map((a) => `${a.supplier} ${a.quantity}`).join(', ')}: no supplier covers ${quantity} alone`
      : `only ${quantity - remaining} of ${quantity} available across suppliers`;
  return { sku, quantity, allocations: remaining === 0 ? allocations : [], unallocated: remaining === 0 ? 0 : quantity, reason };
}

const pick = (c: RoutingCandidate) => ({ supplier: c.supplier, supplierSku: c.supplierSku, unitCost: c.unitCost });
