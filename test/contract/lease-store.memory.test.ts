import { createMemoryLeaseStore } from '../../adapters/lease/memory-lease-store.ts';
import { describeLeaseStoreContract } from './lease-store.contract.ts';

describeLeaseStoreContract('memory', async () => createMemoryLeaseStore());
