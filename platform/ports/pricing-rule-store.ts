/**
 * Port: the pricing rules set through the graph (MongoDB `pricing_rules` in production, in-memory embedded). One
 * record per rule identity (`id`: scope and key, subgraphs/pricing/rules.ts `ruleId`), replaced whole by a change,
 * so no write depends on a conditional update (FerretDB has no atomic one). Configured rules (PRICING_RULES) are
 * not stored: a stored rule of the same id overrides one.
 */
export interface PricingRuleRecord {
  /** `<scope>:<key>`, the key lower-cased for brand and category; one rule per id. */
  readonly id: string;
  readonly scope: 'product' | 'category' | 'brand' | 'supplier' | 'default';
  readonly key: string;
  readonly markupPercent: string | null;
  readonly markupFixed: string | null;
  readonly minMarginPercent: string | null;
  readonly rounding: string | null;
  /** ISO 8601. */
  readonly updatedAt: string;
  /** The token id (or principal) that changed it, for the audit trail; null when unknown. */
  readonly updatedBy: string | null;
}

export interface PricingRuleStore {
  /** Every stored rule, ordered by id. */
  list(): Promise<PricingRuleRecord[]>;
  /** Creates the rule of `rule.id`, or replaces it whole; the last writer wins. */
  put(rule: PricingRuleRecord): Promise<PricingRuleRecord>;
  /** Deletes the rule of `id`; false when there was none. */
  remove(id: string): Promise<boolean>;
  clear(): Promise<void>;
}
