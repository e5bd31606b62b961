import type { Collection, Db } from 'mongodb';
import type { PricingRuleRecord, PricingRuleStore } from '../../../platform/ports/pricing-rule-store.ts';
import { isDuplicateKeyError, storeCall } from './mongo-errors.ts';

export interface MongoPricingRuleStoreOptions {
  readonly db: Db;
  /** @default 'pricing_rules' */
  readonly collection?: string;
}

type RuleDocument = Omit<PricingRuleRecord, 'id'> & { _id: string };

const toRecord = ({ _id, ...rest }: RuleDocument): PricingRuleRecord => ({ id: _id, ...rest });

/**
 * PricingRuleStore on a MongoDB-protocol server: one document per rule, `_id` = the rule id, replaced whole by
 * `_id` (no conditional update, which FerretDB does not make atomic). Two first writers of one id may both try the
 * upsert's insert; the loser's duplicate-key error means the document now exists, so it replaces it: last writer wins.
 */
export function createMongoPricingRuleStore(options: MongoPricingRuleStoreOptions): PricingRuleStore {
  const rows: Collection<RuleDocument> = options.db.collection<RuleDocument>(options.collection ?? 'pricing_rules');
  return {
    async list() {
      return storeCall('pricingRules.list', async () => (await rows.find({}).sort({ _id: 1 }).toArray()).map(toRecord));
    },
    async put(rule) {
      const { id, ...rest } = rule;
      return storeCall('pricingRules.put', async () => {
        try {
          await rows.replaceOne({ _id: id }, { ...rest }, { upsert: true });
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          await rows.replaceOne({ _id: id }, { ...rest });
        }
        return { ...rule };
      });
    },
    async remove(id) {
      return storeCall('pricingRules.remove', async () => (await rows.deleteOne({ _id: id })).deletedCount === 1);
    },
    async clear() {
      await storeCall('pricingRules.clear', async () => {
        await rows.deleteMany({});
      });
    },
  };
}
