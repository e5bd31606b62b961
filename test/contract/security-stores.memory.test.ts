/** The credential-store and audit-log contracts against the embedded (in-memory) implementations. */
import { createMemoryAuditLogStore } from '../../adapters/storage/memory/audit-log.ts';
import { createMemoryCredentialStore } from '../../adapters/storage/memory/credential-store.ts';
import { describeAuditLogStoreContract } from './audit-log.contract.ts';
import { describeCredentialStoreContract } from './credential-store.contract.ts';

describeCredentialStoreContract('memory', async () => createMemoryCredentialStore());
describeAuditLogStoreContract('memory', async () => createMemoryAuditLogStore());
