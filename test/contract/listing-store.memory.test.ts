/** The ListingStore contract against the embedded implementation. */
import { createMemoryListingStore } from '../../adapters/storage/memory/listing-store.ts';
import { describeListingStoreContract } from './listing-store.contract.ts';

describeListingStoreContract('memory', async () => createMemoryListingStore());
