/**
 * One contract for every PricingRuleStore (docs/storefront.md "Prices"): a rule is stored under its id, replaced
 * whole by the next put (also under concurrent puts of one id: one rule, one of the writers' values), listed by id,
 * and removed once.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { PricingRuleRecord, PricingRuleStore } from '../../platform/ports/pricing-rule-store.ts';

export function newRule(id: string, overrides: Partial<PricingRuleRecord> = {}): PricingRuleRecord {
  const [scope, key] = id.split(':') as [PricingRuleRecord['scope'], string];
  return { id, scope, key, markupPercent: '35', markupFixed: null, minMarginPercent: null, rounding: '0.99', updatedAt: '2026-12-01T00:00:00.000Z', updatedBy: 'tok_admin', ...overrides };
}

export function describePricingRuleStoreContract(name: string, make: () => Promise<PricingRuleStore>): void {
  describe(`PricingRuleStore contract: ${name}`, () => {
    let store: PricingRuleStore;
    beforeEach(async () => {
      store = await make();
      await store.clear();
    });

    it('stores a rule and lists every rule by id, values as given (decimal strings and nulls)', async () => {
      await store.put(newRule('supplier:maplecart'));
      await store.put(newRule('brand:acme', { markupPercent: null, markupFixed: '2.50' }));
      await store.put(newRule('default:', { minMarginPercent: '12.5' }));
      expect(await store.list()).toEqual([newRule('brand:acme', { markupPercent: null, markupFixed: '2.50' }), newRule('default:', { minMarginPercent: '12.5' }), newRule('supplier:maplecart')]);
    });

    it('a put replaces the rule of its id whole', async () => {
      await store.put(newRule('product:SKU-1', { markupPercent: '10', rounding: '0.95' }));
      await store.put(newRule('product:SKU-1', { markupPercent: null, markupFixed: '1.00', rounding: null, updatedAt: '2026-12-02T00:00:00.000Z' }));
      expect(await store.list()).toEqual([newRule('product:SKU-1', { markupPercent: null, markupFixed: '1.00', rounding: null, updatedAt: '2026-12-02T00:00:00.000Z' })]);
    });

    it('concurrent puts of one id leave one rule holding one writer’s values', async () => {
      const values = Array.from({ length: 8 }, (_, i) => String(10 + i));
      await Promise.all(values.map((v) => store.put(newRule('category:t-shirts', { markupPercent: v }))));
      const rules = await store.list();
      expect(rules).toHaveLength(1);
      expect(values).toContain(rules[0]!.markupPercent);
    });

    it('remove deletes once; a second remove finds nothing', async () => {
      await store.put(newRule('brand:acme'));
      expect(await store.remove('brand:acme')).toBe(true);
      expect(await store.remove('brand:acme')).toBe(false);
      expect(await store.list()).toEqual([]);
    });

    it('returns copies: changing a listed record changes nothing stored', async () => {
      await store.put(newRule('brand:acme'));
      const [listed] = await store.list();
      (listed as { markupPercent: string }).markupPercent = '999';
      expect((await store.list())[0]!.markupPercent).toBe('35');
    });
  });
}
