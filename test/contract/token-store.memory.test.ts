/** The TokenStore contract against the embedded implementation. */
import { createMemoryTokenStore } from '../../adapters/storage/memory/token-store.ts';
import { describeTokenStoreContract } from './token-store.contract.ts';

describeTokenStoreContract('memory', async () => createMemoryTokenStore());
