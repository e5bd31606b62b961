export { createRestSandbox, DEFAULT_CREDENTIALS, DEFAULT_WEBHOOK_SECRET, type RestSandbox, type RestSandboxOptions } from './server.ts';
export { signWebhook, SIGNATURE_HEADER, DELIVERY_HEADER, EVENT_HEADER, type WebhookEvent } from './webhooks.ts';
export type { BrightlineOrderStatus } from './orders.ts';
