/** The listing scenario (listing-scenario.ts) on the embedded stores. */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Stack } from '../../stack/start-stack.ts';
import { listingScenario, startListingStack } from './listing-scenario.ts';

describe('listing queries on the embedded stores (e2e)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startListingStack('embedded');
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  }, 30_000);

  it('text + brand + in stock + price sort: the expected products from all three suppliers, in the store currency, with facets', async () => {
    await listingScenario(stack);
  }, 90_000);
});
