/**
 * Shopify-style webhooks: REST-shaped JSON payloads (numeric ids plus admin_graphql_api_id), POSTed with
 * X-Shopify-Topic, X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 of the exact body bytes), X-Shopify-Webhook-Id,
 * X-Shopify-Triggered-At and X-Shopify-Shop-Domain. Delivery is fire-and-forget, one attempt: real Shopify
 * retries failed deliveries for hours, which a test sandbox has no use for.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { type OrderEvent, type SandboxFulfillment, type SandboxOrder } from './orders.ts';
import { SHOP_DOMAIN, decimalFromCents, type SandboxLevel, type SandboxVariant } from './world.ts';

export const API_VERSION = '2025-01';

export type WebhookTopic = 'inventory_levels/update' | 'orders/updated' | 'fulfillments/create';

const gid = (type: string, id: number | string): string => `gid://shopify/${type}/${id}`;

export function inventoryLevelPayload(variant: SandboxVariant, level: SandboxLevel): Record<string, unknown> {
  return {
    inventory_item_id: variant.inventoryItemId,
    location_id: level.locationId,
    available: level.available,
    updated_at: level.updatedAt,
    admin_graphql_api_id: gid('InventoryLevel', `${level.locationId}?inventory_item_id=${variant.inventoryItemId}`),
  };
}

/** REST fulfillment_status: null (none shipped), "partial" or "fulfilled". */
function restFulfillmentStatus(shipped: number, of: number): string | null {
  if (shipped === 0) return null;
  return shipped >= of ? 'fulfilled' : 'partial';
}

function fulfillmentPayload(order: SandboxOrder, f: SandboxFulfillment): Record<string, unknown> {
  return {
    id: f.id,
    admin_graphql_api_id: gid('Fulfillment', f.id),
    order_id: order.id,
    name: f.name,
    status: 'success',
    shipment_status: f.displayStatus === 'DELIVERED' ? 'delivered' : 'in_transit',
    created_at: f.createdAt,
    updated_at: f.updatedAt,
    tracking_company: f.tracking.company,
    tracking_number: f.tracking.number,
    tracking_numbers: [f.tracking.number],
    tracking_url: f.tracking.url,
    tracking_urls: [f.tracking.url],
    line_items: f.lines.map((l) => ({ id: l.lineItem.id, sku: l.lineItem.variant.sku, quantity: l.quantity })),
  };
}

export function orderPayload(order: SandboxOrder): Record<string, unknown> {
  const shipped = order.lineItems.reduce((n, l) => n + l.fulfilled, 0);
  const current = order.lineItems.reduce((n, l) => n + l.currentQuantity, 0);
  return {
    id: order.id,
    admin_graphql_api_id: gid('Order', order.id),
    name: order.name,
    source_identifier: order.sourceIdentifier,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    cancelled_at: order.cancelledAt,
    cancel_reason: order.cancelReason?.toLowerCase() ?? null,
    fulfillment_status: restFulfillmentStatus(shipped, current),
    line_items: order.lineItems.map((l) => ({
      id: l.id,
      variant_id: l.variant.id,
      sku: l.variant.sku,
      quantity: l.quantity,
      current_quantity: l.currentQuantity,
      fulfillable_quantity: Math.max(0, l.currentQuantity - l.fulfilled),
      fulfillment_status: restFulfillmentStatus(l.fulfilled, l.currentQuantity),
      price: decimalFromCents(l.variant.priceCents),
    })),
    fulfillments: order.fulfillments.map((f) => fulfillmentPayload(order, f)),
  };
}

export function webhookFor(event: OrderEvent): { topic: WebhookTopic; payload: Record<string, unknown> } {
  switch (event.type) {
    case 'inventory':
      return { topic: 'inventory_levels/update', payload: inventoryLevelPayload(event.variant, event.level) };
    case 'order':
      return { topic: 'orders/updated', payload: orderPayload(event.order) };
    case 'fulfillment':
      return { topic: 'fulfillments/create', payload: fulfillmentPayload(event.order, event.fulfillment) };
  }
}

export const signWebhook = (secret: string, rawBody: string | Buffer): string =>
  createHmac('sha256', secret).update(rawBody).digest('base64');

export interface WebhookSender {
  send(topic: WebhookTopic, payload: Record<string, unknown>): void;
  /** Resolves once every delivery started so far has settled. */
  idle(): Promise<void>;
  readonly delivered: number;
  readonly failed: number;
}

export function createWebhookSender(url: string | undefined, secret: string): WebhookSender {
  const inFlight = new Set<Promise<void>>();
  let delivered = 0;
  let failed = 0;
  return {
    send(topic, payload) {
      if (!url) return;
      const body = JSON.stringify(payload);
      const delivery = fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Shopify-Topic': topic,
          'X-Shopify-Hmac-Sha256': signWebhook(secret, body),
          'X-Shopify-Webhook-Id': randomUUID(),
          'X-Shopify-Event-Id': randomUUID(),
          'X-Shopify-Triggered-At': new Date().toISOString(),
          'X-Shopify-Shop-Domain': SHOP_DOMAIN,
          'X-Shopify-API-Version': API_VERSION,
        },
        body,
        signal: AbortSignal.timeout(5_000),
      })
        .then(async (res) => {
          await res.arrayBuffer();
          if (res.ok) delivered += 1;
          else failed += 1;
        })
        .catch(() => {
          failed += 1;
        })
        .finally(() => inFlight.delete(delivery));
      inFlight.add(delivery);
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    get delivered() {
      return delivered;
    },
    get failed() {
      return failed;
    },
  };
}
