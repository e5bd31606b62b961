import type { Money } from '../../kernel/model.ts';
import { dec, type Dec } from './money.ts';

/**
 * The store's currency and the configured exchange rates into it (PRICING_FX_RATES, docs/configuration.md): one
 * rate per foreign currency, "units of store currency for one unit of it", all set on `date`.
 */
export interface FxTable {
  readonly storeCurrency: string;
  /** The day the rates were set (ISO 8601 date); shown with every converted figure. */
  readonly date: string;
  readonly rates: Readonly<Record<string, string>>;
}

export interface Converted {
  /** Exact, not yet rounded to minor units. */
  readonly amount: Dec;
  readonly currency: string;
  /** The rate applied ("1" for the store currency itself). */
  readonly rate: string;
  /** The rates' date; null when no conversion was needed. */
  readonly rateDate: string | null;
}

/** Converts `m` into the store currency; null when no rate is configured for its currency (never guessed). */
export function toStoreCurrency(m: Money, fx: FxTable): Converted | null {
  if (m.currency === fx.storeCurrency) return { amount: dec(m.amount), currency: fx.storeCurrency, rate: '1', rateDate: null };
  const rate = fx.rates[m.currency];
  if (rate === undefined) return null;
  return { amount: dec(m.amount).times(dec(rate)), currency: fx.storeCurrency, rate, rateDate: fx.date };
}

/**
 * The routing policy's comparison currency (RoutingPolicy.compareIn): a cost as an exact decimal string in the store
 * currency, null without a rate. Orders (wired by stack/orders.ts) and pricing rank `lowest_cost` offers with it.
 */
export const storeCurrencyAmount =
  (fx: FxTable) =>
  (m: Money): string | null =>
    toStoreCurrency(m, fx)?.amount.toFixed() ?? null;
