/**
 * The PricingRuleStore contract on a MongoDB-protocol server (FerretDB in tests), given by MONGO_URL; reported as
 * skipped without it. Every write is a replace or delete by `_id` alone (FerretDB has no atomic conditional update).
 * Works in its own random database and drops it afterwards.
 */
import type { CommandStartedEvent, Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMongoPricingRuleStore } from '../../adapters/storage/mongo/pricing-rule-store.ts';
import { describePricingRuleStoreContract, newRule } from '../contract/pricing-rule-store.contract.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-data.ts';

const mongoUrl = process.env.MONGO_URL;

describe.skipIf(!mongoUrl)('MongoDB-protocol pricing rule store (MONGO_URL)', () => {
  let testDb: TestDatabase;
  let db: Db;
  const commands: CommandStartedEvent[] = [];

  beforeAll(async () => {
    testDb = await openTestDatabase(mongoUrl!, 'pricing', { monitorCommands: true });
    db = testDb.db;
    testDb.client.on('commandStarted', (e) => commands.push(e));
  });

  afterAll(async () => {
    await testDb?.close();
  });

  describePricingRuleStoreContract('mongodb', async () => createMongoPricingRuleStore({ db }));

  it('writes filter on _id alone', async () => {
    const store = createMongoPricingRuleStore({ db, collection: 'pricing_rules_hot_path' });
    commands.length = 0;
    await store.put(newRule('brand:acme'));
    await store.remove('brand:acme');
    const seen = commands.filter((c) => c.databaseName === db.databaseName).map((c) => ({ name: c.commandName, command: c.command as Record<string, any> }));
    expect(seen.map((c) => c.name)).toEqual(['update', 'delete']);
    expect(seen[0]!.command.updates.map((u: { q: unknown }) => u.q)).toEqual([{ _id: 'brand:acme' }]);
    expect(seen[1]!.command.deletes.map((d: { q: unknown }) => d.q)).toEqual([{ _id: 'brand:acme' }]);
  });
});
