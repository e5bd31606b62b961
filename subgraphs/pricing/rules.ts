import { registryError } from '../../kernel/errors.ts';
import { dec } from './money.ts';

/**
 * Pricing rules (docs/storefront.md "Prices"). A rule applies to one product (canonical SKU), category, brand or
 * supplier, or to everything (`default`). Precedence, most specific first: product > category > brand > supplier >
 * default. Each part — the markup (percent and fixed together), the minimum margin, the rounding — comes from the
 * most specific matching rule that sets it, so a brand rule may set only the markup and keep the default rounding.
 */
export type RuleScope = 'product' | 'category' | 'brand' | 'supplier' | 'default';
export const RULE_SCOPES: readonly RuleScope[] = ['product', 'category', 'brand', 'supplier', 'default'];

export interface PricingRule {
  readonly scope: RuleScope;
  /** Canonical SKU, category name, brand name or supplier slug; '' for `default`. Brand and category match case-insensitively. */
  readonly key: string;
  /** Markup on the landed cost, in percent ("35" = ×1.35); decimal string. */
  readonly markupPercent?: string | null;
  /** Added after the percentage, in the store currency; decimal string. */
  readonly markupFixed?: string | null;
  /** The sell price keeps at least this margin on the landed cost: (price − landed) / price ≥ m %; 0 ≤ m < 100. */
  readonly minMarginPercent?: string | null;
  /** The price is rounded up to this ending of the major unit, e.g. "0.99" (12.30 → 12.99), "0.95", "0.00" (whole). */
  readonly rounding?: string | null;
}

/** Stored with who changed it last and when (the graph's rules; configured ones have neither). */
export interface StoredPricingRule extends PricingRule {
  readonly updatedAt: string;
  readonly updatedBy: string | null;
}

/** The rule's identity: one rule per scope and key. */
export const ruleId = (r: Pick<PricingRule, 'scope' | 'key'>): string => `${r.scope}:${r.scope === 'brand' || r.scope === 'category' ? r.key.toLowerCase() : r.key}`;

const decimalIn = (field: string, value: string | null | undefined, min: string, max: string | null, maxExclusive = false): string | null => {
  if (value === null || value === undefined) return null;
  let d;
  try {
    d = dec(value);
  } catch {
    throw registryError('INVALID_INPUT', `${field} is not a decimal number`, { details: { field, reason: 'NOT_A_DECIMAL' } });
  }
  const tooBig = max !== null && (maxExclusive ? d.gte(max) : d.gt(max));
  if (d.lt(min) || tooBig) {
    throw registryError('INVALID_INPUT', `${field} is out of range`, { details: { field, reason: 'OUT_OF_RANGE', min, ...(max === null ? {} : { max, maxExclusive }) } });
  }
  return d.toFixed();
};

/** A rule checked and normalised (plain decimal strings, nulls for unset parts); throws INVALID_INPUT. */
export function validateRule(rule: PricingRule): PricingRule {
  if (!RULE_SCOPES.includes(rule.scope)) throw registryError('INVALID_INPUT', 'unknown rule scope', { details: { field: 'scope', reason: 'UNKNOWN_SCOPE' } });
  const key = rule.scope === 'default' ? '' : rule.key.trim();
  if (rule.scope !== 'default' && (key.length === 0 || key.length > 200)) {
    throw registryError('INVALID_INPUT', 'a rule needs a key of 1 to 200 characters', { details: { field: 'key', reason: 'OUT_OF_RANGE' } });
  }
  const rounding = decimalIn('rounding', rule.rounding, '0', '1', true);
  if (rounding !== null && dec(rounding).decimalPlaces()! > 2) {
    throw registryError('INVALID_INPUT', 'rounding has more decimals than cents', { details: { field: 'rounding', reason: 'OUT_OF_RANGE' } });
  }
  const out: PricingRule = {
    scope: rule.scope,
    key,
    markupPercent: decimalIn('markupPercent', rule.markupPercent, '0', '10000'),
    markupFixed: decimalIn('markupFixed', rule.markupFixed, '0', '1000000'),
    minMarginPercent: decimalIn('minMarginPercent', rule.minMarginPercent, '0', '100', true),
    rounding,
  };
  if (out.markupPercent === null && out.markupFixed === null && out.minMarginPercent === null && out.rounding === null) {
    throw registryError('INVALID_INPUT', 'a rule sets nothing', { details: { field: 'rule', reason: 'EMPTY_RULE' } });
  }
  return out;
}

/** What a product is matched on. */
export interface RuleSubject {
  readonly sku: string;
  readonly categories: readonly string[];
  readonly brand: string | null;
  /** The supplier of the offer the price is computed from. */
  readonly supplier: string;
}

export interface ResolvedRule {
  readonly markupPercent: string;
  readonly markupFixed: string;
  readonly minMarginPercent: string | null;
  readonly rounding: string | null;
  /** Which rule gave each part (its id), for the explanation shown with the price; null when none did. */
  readonly markupFrom: string | null;
  readonly minMarginFrom: string | null;
  readonly roundingFrom: string | null;
}

/** The rules matching `subject`, most specific first (categories in the product's own order). */
export function matchingRules(rules: readonly PricingRule[], subject: RuleSubject): PricingRule[] {
  const byId = new Map(rules.map((r) => [ruleId(r), r]));
  const ids = [
    ruleId({ scope: 'product', key: subject.sku }),
    ...subject.categories.map((c) => ruleId({ scope: 'category', key: c })),
    ...(subject.brand === null ? [] : [ruleId({ scope: 'brand', key: subject.brand })]),
    ruleId({ scope: 'supplier', key: subject.supplier }),
    ruleId({ scope: 'default', key: '' }),
  ];
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r === undefined ? [] : [r];
  });
}

/** Each part from the most specific matching rule that sets it (module comment). No rule at all: cost price. */
export function resolveRule(rules: readonly PricingRule[], subject: RuleSubject): ResolvedRule {
  const matching = matchingRules(rules, subject);
  const markup = matching.find((r) => (r.markupPercent ?? null) !== null || (r.markupFixed ?? null) !== null);
  const margin = matching.find((r) => (r.minMarginPercent ?? null) !== null);
  const rounding = matching.find((r) => (r.rounding ?? null) !== null);
  return {
    markupPercent: markup?.markupPercent ?? '0',
    markupFixed: markup?.markupFixed ?? '0',
    minMarginPercent: margin?.minMarginPercent ?? null,
    rounding: rounding?.rounding ?? null,
    markupFrom: markup ? ruleId(markup) : null,
    minMarginFrom: margin ? ruleId(margin) : null,
    roundingFrom: rounding ? ruleId(rounding) : null,
  };
}

/** Configured rules overlaid by stored ones of the same scope and key (the graph's change wins over the file's). */
export function effectiveRules(configured: readonly PricingRule[], stored: readonly PricingRule[]): PricingRule[] {
  const byId = new Map<string, PricingRule>();
  for (const r of [...configured, ...stored]) byId.set(ruleId(r), r);
  return [...byId.values()];
}
