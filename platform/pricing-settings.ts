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
  /** True for the embedded demo's built-in rate (DEMO_FX_RATES), never for configured rates. */
  readonly demo?: boolean;
}

/** PRICING_FX_RATES unset: no rates (a cost in another currency gets no price). */
const NO_FX_RATES: FxRatesSetting = Object.freeze({ date: '1970-01-01', rates: Object.freeze({}) });

/**
 * The embedded demo's rate, used only when PRICING_FX_RATES is unset, STORE_CURRENCY is USD and every supplier runs
 * on its bundled sandbox (`npm start` out of the box, where maplecart quotes CAD): a fixed, dated figure for a demo,
 * labelled `demo`, logged at start and shown as `fxRateDate` with every converted figure. A deployment with any
 * supplier URL never gets it: a foreign cost there is priced only at a configured rate (docs/storefront.md "Prices").
 */
export const DEMO_FX_RATES: FxRatesSetting = Object.freeze({ date: '2026-12-01', rates: Object.freeze({ CAD: '0.7312' }), demo: true });

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
  PRICING_FX_RATES: jsonSetting(fxRates, NO_FX_RATES, (v): FxRatesSetting => Object.freeze({ date: v.date, rates: Object.freeze({ ...v.rates }) })),
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

/** `bundledSandboxesOnly`: no supplier has a URL (each runs on its bundled sandbox): the embedded demo. */
export function pricingConfigOf(e: PricingSettings, bundledSandboxesOnly = false): PricingConfig {
  const demo = bundledSandboxesOnly && e.PRICING_FX_RATES === NO_FX_RATES && e.STORE_CURRENCY === 'USD';
  return Object.freeze({ storeCurrency: e.STORE_CURRENCY, fx: demo ? DEMO_FX_RATES : e.PRICING_FX_RATES, rules: e.PRICING_RULES });
}
