/**
 * maplecart's (Shopify-style) webhook scheme (docs/suppliers/maplecart-graphql.md):
 *   X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the exact body bytes, keyed with the app's secret
 *   X-Shopify-Webhook-Id:  one id per delivery: the dedupe key
 *   X-Shopify-Topic:       inventory_levels/update, orders/updated, fulfillments/create
 * The scheme signs no timestamp (X-Shopify-Triggered-At is outside the MAC), so there is no replay window to
 * enforce: replays are stopped by the dedupe alone, and are harmless anyway because an inventory delivery is
 * only a trigger to read the figure back (see below).
 *
 * `inventory_levels/update` carries one location's figure and an inventory item id, never a SKU nor the item's
 * total over locations. It therefore maps to a `changed` signal: the ingest resolves the item id to a SKU and reads
 * the current total through the connector.
 *
 * `orders/*` (an order payload: `id`, `admin_graphql_api_id`, `source_identifier` = our sub-order key) and
 * `fulfillments/*` (a fulfillment payload: `order_id`) map to an order signal naming the order by its GraphQL id
 * (`gid://shopify/Order/<id>`, what the connector reports as the supplier order id): a trigger to read that order's
 * status back, never a status in itself.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { headerValue, type OrderSignal, type WebhookRequest, type WebhookScheme, type WebhookVerdict } from '../../core/webhook.ts';
import { SUPPLIER } from './connector.ts';

export const HMAC_HEADER = 'x-shopify-hmac-sha256';
export const WEBHOOK_ID_HEADER = 'x-shopify-webhook-id';
export const TOPIC_HEADER = 'x-shopify-topic';
export const INVENTORY_TOPIC = 'inventory_levels/update';

const SHA256_BYTES = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function maplecartSignature(secret: string, rawBody: Buffer): Buffer {
  return createHmac('sha256', secret).update(rawBody).digest();
}

/** True when the header is the MAC of the body under any active secret; constant-time per comparison. */
export function hmacMatches(header: string, rawBody: Buffer, secrets: readonly string[]): boolean {
  if (!BASE64.test(header)) return false;
  const received = Buffer.from(header, 'base64');
  if (received.length !== SHA256_BYTES) return false;
  let matched = false;
  for (const secret of secrets) {
    if (secret.length > 0 && timingSafeEqual(maplecartSignature(secret, rawBody), received)) matched = true;
  }
  return matched;
}

const InventoryLevel = z.object({
  inventory_item_id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]),
  location_id: z.union([z.number().int(), z.string()]),
  available: z.number().int().nullable(),
  updated_at: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a timestamp'),
});

const ORDER_GID = /^gid:\/\/shopify\/Order\/\d+$/;
const numericId = z.union([z.number().int().positive(), z.string().regex(/^\d{1,20}$/)]);
const orderGid = (id: number | string): string => `gid://shopify/Order/${id}`;

const OrderPayload = z.object({
  id: numericId,
  admin_graphql_api_id: z.string().regex(ORDER_GID).optional(),
  source_identifier: z.string().min(1).max(200).nullish(),
});
const FulfillmentPayload = z.object({ order_id: numericId });

/** Order signal of an `orders/*` or `fulfillments/*` delivery; null for other topics, a reason when malformed. */
function orderSignalOf(topic: string, json: unknown): OrderSignal | string | null {
  if (topic.startsWith('orders/')) {
    const order = OrderPayload.safeParse(json);
    if (!order.success) return `order payload without ${order.error.issues.map((i) => i.path.join('.')).join(', ')}`;
    return { supplierOrderId: order.data.admin_graphql_api_id ?? orderGid(order.data.id), reference: order.data.source_identifier ?? null };
  }
  if (topic.startsWith('fulfillments/')) {
    const fulfillment = FulfillmentPayload.safeParse(json);
    if (!fulfillment.success) return `fulfillment payload without ${fulfillment.error.issues.map((i) => i.path.join('.')).join(', ')}`;
    return { supplierOrderId: orderGid(fulfillment.data.order_id), reference: null };
  }
  return null;
}

const reject = (rejection: 'forged' | 'malformed', reason: string): WebhookVerdict => ({ ok: false, rejection, reason });

/** Parses a delivery whose HMAC was already verified. */
export function parseMaplecartDelivery(rawBody: Buffer, topic: string | undefined, webhookId: string | undefined): WebhookVerdict {
  if (webhookId === undefined || webhookId.length > 200) return reject('malformed', `missing ${WEBHOOK_ID_HEADER}`);
  if (topic === undefined) return reject('malformed', `missing ${TOPIC_HEADER}`);
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return reject('malformed', 'body is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return reject('malformed', 'body is not a JSON object');
  if (topic !== INVENTORY_TOPIC) {
    const order = orderSignalOf(topic, json);
    if (typeof order === 'string') return reject('malformed', order);
    return { ok: true, deliveryId: webhookId, topic, aboutStock: false, signals: [], ...(order === null ? {} : { orderSignals: [order] }) };
  }
  const level = InventoryLevel.safeParse(json);
  if (!level.success) return reject('malformed', `inventory level without ${level.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return {
    ok: true,
    deliveryId: webhookId,
    topic,
    aboutStock: true,
    signals: [{ kind: 'changed', itemRef: String(level.data.inventory_item_id), asOf: new Date(level.data.updated_at).toISOString() }],
  };
}

export function createMaplecartWebhookScheme(): WebhookScheme {
  return {
    supplier: SUPPLIER,
    read(request: WebhookRequest, secrets) {
      const header = headerValue(request.headers, HMAC_HEADER);
      if (header === undefined || !hmacMatches(header, request.rawBody, secrets)) return reject('forged', 'HMAC does not match any active secret');
      return parseMaplecartDelivery(request.rawBody, headerValue(request.headers, TOPIC_HEADER), headerValue(request.headers, WEBHOOK_ID_HEADER));
    },
  };
}
