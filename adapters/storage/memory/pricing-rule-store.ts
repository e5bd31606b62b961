import type { PricingRuleRecord, PricingRuleStore } from '../../../platform/ports/pricing-rule-store.ts';

/** The embedded PricingRuleStore: records copied in and out. Lost on exit, like every embedded store. */
export function createMemoryPricingRuleStore(): PricingRuleStore {
  const rows = new Map<string, PricingRuleRecord>();
  return {
    async list() {
      return [...rows.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((r) => ({ ...r }));
    },
    async put(rule) {
      rows.set(rule.id, { ...rule });
      return { ...rule };
    },
    async remove(id) {
      return rows.delete(id);
    },
    async clear() {
      rows.clear();
    },
  };
}
