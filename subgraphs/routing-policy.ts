import BigNumber from 'bignumber.js';
import type { Money } from '../kernel/model.ts';

/**
 * Routing policy (docs/orders.md): which supplier(s) serve a line. Pure: candidates in, decision and reasons out,
 * so previewOrderRouting, placement and the sell price (subgraphs/pricing/, the offer routing would pick now)
 * decide the same way. Shared by the orders and pricing code, so it lives below both domains.
 */
/** One way of ranking suppliers; a policy applies its criteria in order, each breaking the previous one's ties. */
export type RoutingCriterion = 'priority' | 'lowest_cost';
export const ROUTING_CRITERIA: readonly RoutingCriterion[] = ['priority', 'lowest_cost'];

export interface RoutingPolicy {
  /**
   * `priority`: supplierPriority order; `lowest_cost`: lowest landed unit cost first. A list applies its criteria
   * in order (`['priority', 'lowest_cost']`: preferred suppliers first, the rest by cost). Supplier priority, then
   * the supplier's name, always break remaining ties. @default 'priority'
   */
  readonly strategy: RoutingCriterion | readonly RoutingCriterion[];
  /** Preferred suppliers first; unlisted suppliers follow by name. @default [] */
  readonly supplierPriority: readonly string[];
  /**
   * Substitution: a supplier that can cover the whole line goes before a preferred one that cannot. Off, the
   * preferred supplier takes what it has and the rest is split (or, with allowSplit off, the line is not routed).
   * @default true
   */
  readonly inStockFirst: boolean;
  /** Split a line over suppliers when none covers it alone. @default true */
  readonly allowSplit: boolean;
  /**
   * Flat shipping cost per supplier sub-order, added to the landed cost of a line (decimal string, in the currency of
   * that supplier's cost). @default {}
   */
  readonly shippingCost: Readonly<Record<string, string>>;
  /**
   * The one currency `lowest_cost` compares in: converts a cost (and the shipping, taken in the cost's currency) into
   * it, null when its currency has no configured rate. The stack sets it from STORE_CURRENCY and PRICING_FX_RATES
   * (`storeCurrencyAmount`, subgraphs/pricing/fx.ts) for orders and pricing alike, so a CAD 10.00 offer is never
   * ranked against a USD 9.00 one as 10 against 9. An offer that does not convert ranks after every offer that does
   * (like an unknown cost). Unset: costs are compared as given (the caller's candidates are in one currency).
   */
  readonly compareIn?: CostConverter;
}

/** A cost as an exact decimal string in the comparison currency; null when it cannot be converted (never guessed). */
export type CostConverter = (cost: Money) => string | null;

export const DEFAULT_ROUTING_POLICY: RoutingPolicy = {
  strategy: 'priority',
  supplierPriority: [],
  inStockFirst: true,
  allowSplit: true,
  shippingCost: {},
};

/** The deployment's policy: ORDER_ROUTING_POLICY (platform/order-settings.ts) over the defaults. */
export const routingPolicyOf = (setting: Partial<RoutingPolicy>): RoutingPolicy => Object.freeze({ ...DEFAULT_ROUTING_POLICY, ...setting });

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
  /** True when suppliers carry the SKU but none the caller may order from. */
  readonly outsideAccess?: boolean;
}

/** The policy's criteria as a list. */
export const criteriaOf = (policy: Pick<RoutingPolicy, 'strategy'>): readonly RoutingCriterion[] => (typeof policy.strategy === 'string' ? [policy.strategy] : policy.strategy);

/** True when the policy ranks by cost, so candidates need live unit costs. */
export const usesCost = (policy: Pick<RoutingPolicy, 'strategy'>): boolean => criteriaOf(policy).includes('lowest_cost');

/**
 * An amount as an exact decimal in the comparison currency (policy.compareIn, when set). Unknown (null) or not
 * convertible is infinite, so it ranks after every comparable cost — never compared raw across currencies.
 */
function comparable(m: Money | null, policy: RoutingPolicy): BigNumber {
  if (m === null) return new BigNumber(Infinity);
  const amount = policy.compareIn === undefined ? m.amount : policy.compareIn(m);
  return amount === null ? new BigNumber(Infinity) : new BigNumber(amount);
}

const costOf = (c: RoutingCandidate, policy: RoutingPolicy): BigNumber => comparable(c.unitCost, policy);

/** Landed cost per unit for `quantity` units: unit cost plus the supplier's shipping spread over them (exact decimals). */
function landedUnitCost(c: RoutingCandidate, quantity: number, policy: RoutingPolicy): BigNumber {
  const flat = policy.shippingCost[c.supplier];
  // The shipping is in the supplier's cost currency: converted like the cost it is added to.
  const shipping = flat === undefined || c.unitCost === null ? new BigNumber(0) : comparable({ amount: flat, currency: c.unitCost.currency }, policy);
  return costOf(c, policy).plus(shipping.dividedBy(Math.max(1, quantity)));
}

function rankOf(policy: RoutingPolicy, supplier: string): number {
  const i = policy.supplierPriority.indexOf(supplier);
  return i === -1 ? policy.supplierPriority.length : i;
}

/** Ascending; an unknown (infinite) value sorts last, two unknowns tie. */
function compareCosts(a: BigNumber, b: BigNumber): number {
  if (!a.isFinite() || !b.isFinite()) return a.isFinite() ? -1 : b.isFinite() ? 1 : 0;
  return a.comparedTo(b) ?? 0;
}

function compareBy(criterion: RoutingCriterion, a: RoutingCandidate, b: RoutingCandidate, quantity: number, policy: RoutingPolicy): number {
  if (criterion === 'priority') return rankOf(policy, a.supplier) - rankOf(policy, b.supplier);
  // Landed cost, then the bare unit cost (equal landed costs: the cheaper goods win over cheaper shipping).
  return compareCosts(landedUnitCost(a, quantity, policy), landedUnitCost(b, quantity, policy)) || compareCosts(costOf(a, policy), costOf(b, policy));
}

/** The preference order, before stock is considered. */
function preferred(candidates: readonly RoutingCandidate[], quantity: number, policy: RoutingPolicy): RoutingCandidate[] {
  const criteria = [...criteriaOf(policy), 'priority' as const];
  return [...candidates].sort((a, b) => {
    for (const criterion of criteria) {
      const by = compareBy(criterion, a, b, quantity, policy);
      if (by !== 0) return by;
    }
    return a.supplier < b.supplier ? -1 : a.supplier > b.supplier ? 1 : 0;
  });
}

const WORDS: Record<RoutingCriterion, string> = { priority: 'supplier priority', lowest_cost: 'lowest landed cost' };
const strategyWord = (policy: RoutingPolicy): string => criteriaOf(policy).map((c) => WORDS[c]).join(', then ');

/**
 * Decides one line. `excluded`: suppliers that already refused it. `allowed`: the only suppliers the caller may
 * order from (a partner limited to some suppliers, docs/security.md); undefined when not limited. Suppliers outside
 * it are dropped before anything else, so no reason ever names them.
 */
export function routeLine(
  sku: string,
  quantity: number,
  candidates: readonly RoutingCandidate[],
  policy: RoutingPolicy = DEFAULT_ROUTING_POLICY,
  excluded: readonly string[] = [],
  allowed?: readonly string[],
): LineDecision {
  const permitted = allowed === undefined ? candidates : candidates.filter((c) => allowed.includes(c.supplier));
  const usable = permitted.filter((c) => !excluded.includes(c.supplier));
  if (usable.length === 0) {
    const outsideAccess = permitted.length === 0 && candidates.length > 0;
    const reason = permitted.length > 0 ? `every supplier carrying ${sku} refused it` : outsideAccess ? NO_ALLOWED_SUPPLIER_REASON(sku) : `no supplier carries ${sku}`;
    return { sku, quantity, allocations: [], unallocated: quantity, reason, ...(outsideAccess ? { outsideAccess } : {}) };
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

/** The reason when only suppliers outside the caller's allowed list carry the SKU (names none of them). */
export const NO_ALLOWED_SUPPLIER_REASON = (sku: string): string => `no supplier you may order from carries ${sku}`;

const pick = (c: RoutingCandidate) => ({ supplier: c.supplier, supplierSku: c.supplierSku, unitCost: c.unitCost });
