/** The PricingRuleStore contract against the embedded implementation. */
import { createMemoryPricingRuleStore } from '../../adapters/storage/memory/pricing-rule-store.ts';
import { describePricingRuleStoreContract } from './pricing-rule-store.contract.ts';

describePricingRuleStoreContract('memory', async () => createMemoryPricingRuleStore());
