import BigNumber from 'bignumber.js';
import type { Money } from '../../kernel/model.ts';
import { toStoreCurrency, type FxTable } from './fx.ts';
import { dec, Dec, minorUnitsOf, money } from './money.ts';
import { resolveRule, type PricingRule, type ResolvedRule, type RuleSubject } from './rules.ts';

/**
 * The sell price of one offer, pure: landed cost (cost + known shipping, in the store currency) → markup → the
 * minimum-margin floor → the MAP floor → rounded up to the configured ending. Floors come before rounding, and
 * rounding only ever goes up, so the price never ends below a floor. Decimal arithmetic throughout.
 */
export interface LandedCost {
  /** Cost + shipping in the store currency, at its minor units. */
  readonly amount: Money;
  /** The supplier's unit cost as it gave it. */
  readonly cost: Money;
  /** Flat shipping to us for one unit's sub-order (routing policy shippingCost), in the cost's currency; null when unknown. */
  readonly shipping: Money | null;
  /** Units of store currency per unit of the cost's currency. */
  readonly fxRate: string;
  /** The date of the configured rates; null when the cost is already in the store currency. */
  readonly fxRateDate: string | null;
}

/** Null when the cost's currency has no configured rate (never guessed). */
export function landedCostOf(cost: Money, shipping: string | null, fx: FxTable): LandedCost | null {
  const total = shipping === null ? dec(cost.amount) : dec(cost.amount).plus(dec(shipping));
  const converted = toStoreCurrency({ amount: total.toFixed(), currency: cost.currency }, fx);
  if (converted === null) return null;
  return {
    amount: money(converted.amount, fx.storeCurrency),
    cost,
    shipping: shipping === null ? null : { amount: dec(shipping).toFixed(minorUnitsOf(cost.currency)), currency: cost.currency },
    fxRate: converted.rate,
    fxRateDate: converted.rateDate,
  };
}

export interface SellPrice {
  readonly amount: Money;
  readonly landedCost: LandedCost;
  readonly rule: ResolvedRule;
  /** The minimum margin raised the price. */
  readonly marginFloorApplied: boolean;
  /** The supplier's minimum advertised price raised the price. */
  readonly mapFloorApplied: boolean;
  /** The MAP in the store currency, when the supplier states one (and its currency converts). */
  readonly map: Money | null;
}

/** Rounds up to the smallest amount ≥ `price` whose fraction is `ending` (e.g. "0.99"); null: up to the minor unit. */
export function roundUp(price: BigNumber, ending: string | null, currency: string): BigNumber {
  const minor = minorUnitsOf(currency);
  const cents = price.decimalPlaces(minor, BigNumber.ROUND_CEIL);
  if (ending === null) return cents;
  const candidate = cents.integerValue(BigNumber.ROUND_FLOOR).plus(dec(ending));
  return candidate.gte(cents) ? candidate : candidate.plus(1);
}

export interface SellPriceInput {
  readonly landedCost: LandedCost;
  readonly subject: RuleSubject;
  readonly rules: readonly PricingRule[];
  /** The supplier's minimum advertised price, when it states one (in any currency with a rate). */
  readonly map?: Money | null;
  readonly fx: FxTable;
}

export function sellPrice(input: SellPriceInput): SellPrice {
  const { fx } = input;
  const rule = resolveRule(input.rules, input.subject);
  const landed = dec(input.landedCost.amount.amount);
  let price = landed.times(dec(rule.markupPercent).dividedBy(100).plus(1)).plus(dec(rule.markupFixed));
  let marginFloorApplied = false;
  if (rule.minMarginPercent !== null) {
    // (p − landed) / p ≥ m  ⇔  p ≥ landed / (1 − m); validated m < 100 %, so the divisor is positive.
    const floor = landed.dividedBy(new Dec(1).minus(dec(rule.minMarginPercent).dividedBy(100)));
    if (price.lt(floor)) {
      price = floor;
      marginFloorApplied = true;
    }
  }
  const mapInStore = input.map ? toStoreCurrency(input.map, fx) : null;
  let mapFloorApplied = false;
  if (mapInStore !== null && price.lt(mapInStore.amount)) {
    price = mapInStore.amount;
    mapFloorApplied = true;
  }
  const rounded = roundUp(price, rule.rounding, fx.storeCurrency);
  return {
    amount: money(rounded, fx.storeCurrency),
    landedCost: input.landedCost,
    rule,
    marginFloorApplied,
    mapFloorApplied,
    map: mapInStore === null ? null : money(mapInStore.amount.decimalPlaces(minorUnitsOf(fx.storeCurrency), BigNumber.ROUND_CEIL), fx.storeCurrency),
  };
}

/** A landed cost as the graph's LandedCost type shows it. */
export type LandedCostView = ReturnType<typeof landedCostView>;
export function landedCostView(l: LandedCost) {
  return { amount: l.amount.amount, currency: l.amount.currency, unitCost: l.cost, shipping: l.shipping, fxRate: l.fxRate, fxRateDate: l.fxRateDate };
}

/** `Offer.landedCost` of one supplier's offers: its cost plus the routing policy's flat shipping for it, converted. */
export const supplierLandedCost =
  (supplier: string, fx: FxTable, shippingCost: Readonly<Record<string, string>>) =>
  (cost: Money): LandedCostView | null => {
    const landed = landedCostOf(cost, shippingCost[supplier] ?? null, fx);
    return landed === null ? null : landedCostView(landed);
  };
