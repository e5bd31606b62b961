/** The inventory-sync store contracts (webhook inbox, discrepancies) against the embedded implementations. */
import { createMemoryDiscrepancyStore } from '../../adapters/storage/memory/discrepancy-store.ts';
import { createMemoryWebhookInbox } from '../../adapters/storage/memory/webhook-inbox.ts';
import { describeDiscrepancyStoreContract } from './discrepancy-store.contract.ts';
import { describeWebhookInboxContract } from './webhook-inbox.contract.ts';

describeWebhookInboxContract('memory', async () => createMemoryWebhookInbox());
describeDiscrepancyStoreContract('memory', async () => createMemoryDiscrepancyStore());
