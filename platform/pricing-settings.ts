import { z } from 'zod';
import { jsonSetting } from './json-setting.ts';

/**
 * Settings of sell prices (docs/storefront.md "Prices", docs/configuration.md): the store's currency, the exchange
 * rates into it with their date, and the configured pricing rules (the graph's rules, changed by admins, override
 * a configured rule of the same scope and key). Shapes only here; subgraphs/pricing/ computes with them.
 */
const decimal = z.string().regex(/^\d{1,15}(\.\d{1,10})?$/, 'must be a non-negative decimal string, e.g. "12.50"');
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code, e.g. USD');

export interface FxRatesSetting {
  /** The day the rates were set (YYYY-MM-DD); shown with every converted figure. */
  readonly date: string;
  /** Units of store currency for one unit of each foreign currency. */
  readonly rates: Readonly<Record<string, string>>;
}

const fxRates = z
  .object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD'),
    rates: z.record(currency, decimal.refine((r) => /[1-9]/.test(r), 'must be more than zero')),
  })
  .strict();

export interface PricingRuleSetting {
  readonly scope: 'product' | 'category' | 'brand' | 'supplier' | 'default';
  readonly key: string;
  readonly markupPercent?: string | null;
  readonly markupFixed?: string | null;
  readonly minMarginPercent?: string | null;
  readonly rounding?: string | null;
}

const rule = z
  .object({
    scope: z.enum(['product', 'category', 'brand', 'supplier', 'default']),
    key: z.string().max(200).default(''),
    markupPercent: decimal.optional(),
    markupFixed: decimal.optional(),
    minMarginPercent: decimal.refine((m) => /^\d{1,2}(\.\d+)?$/.test(m), 'must be below 100').optional(),
    rounding: z.string().regex(/^0?\.\d{1,2}$/, 'must be an ending below 1, e.g. "0.99"').optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.scope !== 'default' && r.key.trim() === '') ctx.addIssue({ code: 'custom', message: `a ${r.scope} rule needs a key` });
    if (r.markupPercent === undefined && r.markupFixed === undefined && r.minMarginPercent === undefined && r.rounding === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a rule must set markupPercent, markupFixed, minMarginPercent or rounding' });
    }
  });

/** Spread into the config schema (platform/config.ts). */
export const pricingSettings = {
  STORE_CURRENCY: currency.default('USD'),
  PRICING_FX_RATES: jsonSetting(fxRates, { date: '1970-01-01', rates: {} } as FxRatesSetting, (v): FxRatesSetting => Object.freeze({ date: v.date, rates: Object.freeze({ ...v.rates }) })),
  PRICING_RULES: jsonSetting(
    z.array(rule).max(10_000),
    [] as readonly PricingRuleSetting[],
    (list): readonly PricingRuleSetting[] => Object.freeze(list.map((r) => Object.freeze({ ...r, key: r.scope === 'default' ? '' : r.key.trim() }))),
  ),
};

export interface PricingConfig {
  readonly storeCurrency: string;
  readonly fx: FxRatesSetting;
  readonly rules: readonly PricingRuleSetting[];
}

type PricingSettings = { [K in keyof typeof pricingSettings]: z.output<(typeof pricingSettings)[K]> };

export function pricingConfigOf(e: PricingSettings): PricingConfig {
  return Object.freeze({ storeCurrency: e.STORE_CURRENCY, fx: e.PRICING_FX_RATES, rules: e.PRICING_RULES });
}
