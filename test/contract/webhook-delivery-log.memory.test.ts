/** The WebhookDeliveryLog contract against the embedded implementation. */
import { createMemoryWebhookDeliveryLog } from '../../adapters/storage/memory/webhook-delivery-log.ts';
import { describeWebhookDeliveryLogContract } from './webhook-delivery-log.contract.ts';

describeWebhookDeliveryLogContract('memory', async () => createMemoryWebhookDeliveryLog());
