import { randomBytes } from 'node:crypto';
import type { SupplierConnector } from '../adapters/core/connector.ts';
import type { Config } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import type { OrderRecord } from '../platform/ports/order-store.ts';
import { createEnvKms, type Kms } from '../platform/secrets/envelope.ts';
import { KeyEncryptionKey } from '../platform/secrets/key-encryption-key.ts';
import type { ReservationService } from '../subgraphs/inventory/reservations.ts';
import { createOrderService, type OrderService, type OrderServiceOptions } from '../subgraphs/orders/order-service.ts';
import type { openStores } from '../adapters/storage/open-stores.ts';
import { createWebhookDispatcher, type WebhookDispatcher, type WebhookEndpoint } from '../subgraphs/orders/outbound/webhook-dispatcher.ts';
import { routingPolicyOf } from '../subgraphs/orders/routing.ts';
import { storeCurrencyAmount } from '../subgraphs/pricing/fx.ts';
import { fxTableOf } from './pricing.ts';
import type { Registry } from 'prom-client';
import { createOrderMetrics } from '../subgraphs/orders/order-metrics.ts';

type Stores = Awaited<ReturnType<typeof openStores>>;

/**
 * The KMS that seals customer personal data: the configured KEKs (SECRETS_KEK). Without one, an ephemeral key for
 * this process only — orders placed then cannot be read back (or resumed) after a restart, so it warns loudly.
 */
export function orderKms(config: Pick<Config, 'secrets'>, log: Logger): Kms {
  const { kek, previousKeks } = config.secrets;
  if (kek) return createEnvKms({ current: kek, previous: previousKeks });
  log.warn('SECRETS_KEK is not set: customer data on orders is sealed with a key that dies with this process');
  return createEnvKms({ current: new KeyEncryptionKey('ephemeral', randomBytes(32)) });
}

export interface StackOrdersOptions {
  readonly config: Pick<Config, 'secrets' | 'orders' | 'pricing'> & Partial<Pick<Config, 'orderTracking'>>;
  readonly log: Logger;
  readonly stores: Pick<Stores, 'orders' | 'catalog' | 'stock' | 'orderWebhookDeliveries' | 'events'>;
  readonly reservations: ReservationService;
  readonly connectors: ReadonlyMap<string, SupplierConnector>;
  /** Resume + tracking poll interval; 0 disables the loop (tests drive it). @default 5000 */
  readonly loopMs?: number;
  readonly overrides?: Partial<OrderServiceOptions>;
  /** Merchant endpoints for `order.status_changed` events (Standard Webhooks), after ORDER_WEBHOOK_ENDPOINTS. @default [] */
  readonly webhooks?: readonly WebhookEndpoint[];
  /** Targeted stock read applied through the inventory update path (subgraphs/inventory/refresh-stock.ts); see OrderDeps. */
  readonly refreshStock?: OrderServiceOptions['refreshStock'];
  /** Suppliers that push order webhooks: the tracking loop polls their sub-orders only as a safety net. @default none */
  readonly pushesOrderWebhooks?: (supplier: string) => boolean;
  /** Where the order gauges go (open orders by status, needing attention, status changes; order-metrics.ts). */
  readonly metricsRegistry?: Registry;
}

/**
 * The order's version in events: its stored per-order counter (OrderRecord.version, one more with every save), so
 * two changes within one millisecond differ and a client can drop an event not newer than one it holds.
 */
export const orderVersion = (order: Pick<OrderRecord, 'version'>): number => order.version;

/**
 * The `order.status_changed` event the gateway's subscriptions hear (wire shape: gateway/subscriptions/events.ts;
 * docs/subscriptions.md). Built here, not in the orders subgraph, so the domain knows no bus and no gateway.
 */
export function orderStatusEvent(order: OrderRecord, previous: OrderRecord['status']) {
  return { type: 'order.status_changed', tenant: order.tenant, orderId: order.id, status: order.status, previousStatus: previous, version: orderVersion(order), at: order.updatedAt };
}

/** The order service and its resume/tracking loop; returns a closer for the stack. */
export function startStackOrders(options: StackOrdersOptions): { service: OrderService; webhooks: WebhookDispatcher; close(): Promise<void> } {
  const webhooks = createWebhookDispatcher({
    endpoints: [...options.config.orders.webhookEndpoints, ...(options.webhooks ?? [])],
    deliveries: options.stores.orderWebhookDeliveries,
    log: options.log,
  });
  // Retries a stopped process left pending are resumed from the delivery log (docs/orders.md).
  void webhooks.resume().catch((error: unknown) => options.log.warn({ err: error }, 'could not resume pending order webhooks'));
  const metrics = options.metricsRegistry ? createOrderMetrics(options.metricsRegistry) : undefined;
  const service = createOrderService({
    // ORDER_ROUTING_POLICY over the built-in defaults; a test's orderOptions.policy still wins (spread below).
    // lowest_cost compares landed costs in the store currency at the configured rates, as pricing does, so an order
    // goes to the supplier Product.bestOffer names (docs/orders.md "Routing policy").
    policy: { ...routingPolicyOf(options.config.orders.routingPolicy), compareIn: storeCurrencyAmount(fxTableOf(options.config)) },
    // The workflow calls this once after every stored change of an order's status — webhook read-back, tracking
    // poll, cancel, return, re-route — so it is the one place both live subscribers and merchant webhooks hear it.
    onStatusChange: (order, previous) => {
      metrics?.statusChanged(order.status);
      options.stores.events.publish('order.status_changed', orderStatusEvent(order, previous)).catch((error: unknown) =>
        options.log.warn({ err: error, order: order.id, status: order.status }, 'could not publish order.status_changed to the event bus'),
      );
      webhooks.publish(order.tenant, 'order.status_changed', `${order.id}:${order.status}`, {
        orderId: order.id,
        idempotencyKey: order.idempotencyKey,
        status: order.status,
        previous,
        lines: order.lines.map((l) => ({ lineNumber: l.lineNumber, sku: l.sku, status: l.status, needsAttention: l.needsAttention ?? null })),
        shipments: order.shipments,
        updatedAt: order.updatedAt,
      });
    },
    orders: options.stores.orders,
    catalog: options.stores.catalog,
    stock: options.stores.stock,
    reservations: options.reservations,
    connectors: options.connectors,
    kms: orderKms(options.config, options.log),
    log: options.log,
    ...(options.refreshStock ? { refreshStock: options.refreshStock } : {}),
    ...options.overrides,
    tracking: {
      ...options.config.orderTracking,
      ...(options.pushesOrderWebhooks ? { pushesOrderWebhooks: options.pushesOrderWebhooks } : {}),
      ...(metrics ? { onWalk: metrics.walked } : {}),
      ...options.overrides?.tracking,
    },
  });
  const loopMs = options.loopMs ?? 5_000;
  const loop = loopMs > 0 ? service.start(loopMs) : null;
  return {
    service,
    webhooks,
    close: async () => {
      await loop?.stop();
      webhooks.close();
    },
  };
}
