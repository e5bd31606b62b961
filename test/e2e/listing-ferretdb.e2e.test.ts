/** The listing scenario (listing-scenario.ts) on FerretDB and Redis (MONGO_URL, REDIS_URL: eval "$(bash scripts/test-services.sh env)"). */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Stack } from '../../stack/start-stack.ts';
import { listingScenario, startListingStack } from './listing-scenario.ts';

describe('listing queries on FerretDB (e2e)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startListingStack('ferretdb');
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  }, 30_000);

  it('text + brand + in stock + price sort: the expected products from all three suppliers, in the store currency, with facets', async () => {
    await listingScenario(stack);
  }, 150_000);
});
