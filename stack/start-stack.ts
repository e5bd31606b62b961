import type { SupplierConnector } from '../adapters/core/connector.ts';
import { gatewayEntityCache } from './gateway-entity-cache.ts';
import { openStores } from '../adapters/storage/open-stores.ts';
import { startGateway, type RunningGateway } from '../gateway/create-gateway.ts';
import { readSupergraph } from '../gateway/supergraph.ts';
import type { Config } from '../platform/config.ts';
import type { RunningServer } from '../platform/http/listen.ts';
import type { Logger } from '../platform/logger.ts';
import type { SupplierSandbox } from '../sandboxes/shared/sandbox.ts';
import { subgraphsOf } from '../schema/subgraphs.ts';
import type { ImportProgress } from '../subgraphs/catalog/import-catalog.ts';
import { startReservationSweeper } from '../subgraphs/inventory/reservation-sweeper.ts';
import type { StockUpdater } from '../subgraphs/inventory/stock-updater.ts';
import { createStockRefresher } from '../subgraphs/inventory/refresh-stock.ts';
import type { SnapshotSummary } from '../subgraphs/inventory/snapshot-stock.ts';
import type { OrderService, OrderServiceOptions } from '../subgraphs/orders/order-service.ts';
import { startStackOrders } from './orders.ts';
import type { RunningSubgraph } from '../subgraphs/serve.ts';
import type { WebhookDispatcher, WebhookEndpoint } from '../subgraphs/orders/outbound/webhook-dispatcher.ts';
import { openRoleBase } from './roles/role-base.ts';
import { startAccessSubgraph, startCatalogSubgraph, startInventorySubgraph, startOrdersSubgraph, startSupplierSubgraph } from './roles/subgraph-parts.ts';
import { useSuppliers } from '../platform/supplier-registry.ts';
import { openSuppliers } from './open-suppliers.ts';
import { startTracing } from '../platform/tracing/start-tracing.ts';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { SupplierTraffic } from './supplier-traffic.ts';
import type { Metrics } from '../platform/metrics.ts';
import type { GatewayAuthOptions } from '../gateway/auth/gateway-auth.ts';
import type { InventorySyncMetrics } from '../subgraphs/inventory/sync-metrics.ts';
import { createInventorySync, type InventorySync } from './inventory-sync.ts';
import { noInitialSync, startInitialSync, suppliersWithoutProducts, type InitialSync } from './initial-sync.ts';

export interface StackOptions {
  readonly config: Config;
  readonly log: Logger;
  /** Subgraph ports: the one-machine defaults (4101…), or free random ports (tests). @default 'default' */
  readonly subgraphPorts?: 'default' | 'random';
  /** Import catalogs and snapshot stock of suppliers no product is mapped to yet (first start, new entry). @default true */
  readonly seed?: boolean;
  /** Retry backoff of a supplier's failed initial sync (down or refusing credentials at start). @default 5 s doubling to 60 s */
  readonly initialSyncRetryMs?: { readonly first: number; readonly max: number };
  /** Observes every live supplier stock call made by the supplier subgraphs. */
  readonly onSupplierCall?: (supplier: string, skus: readonly string[]) => void;
  readonly onImportProgress?: (progress: ImportProgress) => void;
  readonly onSnapshotProgress?: (summary: SnapshotSummary) => void;
  /** The process's metrics registry; one is created when not given. */
  readonly metrics?: Metrics;
  /** JWKS cache tuning for the gateway's JWT checks (tests rotate keys faster than the 30 s default cooldown). */
  readonly jwks?: GatewayAuthOptions['jwks'];
  /** Order resume + tracking poll interval (ms); 0 turns the loop off so tests drive it. @default 5000 */
  readonly orderLoopMs?: number;
  /** Order workflow settings for tests (routing policy, timeouts, crash hooks). */
  readonly orderOptions?: Partial<OrderServiceOptions>;
  /** Merchant webhook endpoints for order status events (docs/orders.md). @default [] */
  readonly orderWebhooks?: readonly WebhookEndpoint[];
  /** Spans go here (tests: an InMemorySpanExporter) instead of OTLP; tracing is then on whatever OTEL_* says, bar OTEL_SDK_DISABLED. */
  readonly spanExporter?: SpanExporter;
}

export type Stores = Awaited<ReturnType<typeof openStores>>;

export interface Stack {
  readonly gateway: RunningGateway;
  readonly subgraphs: ReadonlyMap<string, RunningServer>;
  /** Bundled sandboxes started because a supplier's URL was not configured, by supplier slug. */
  readonly sandboxes: ReadonlyMap<string, SupplierSandbox>;
  readonly connectors: ReadonlyMap<string, SupplierConnector>;
  readonly stores: Stores;
  /** The one path supplier figures take into canonical stock (invalidates caches, publishes stock.changed). */
  readonly updater: StockUpdater;
  readonly metrics: Metrics;
  /** Each supplier's traffic layer (limiter, breaker, status), by slug. */
  readonly traffic: ReadonlyMap<string, SupplierTraffic>;
  /** Push (webhook endpoint + inbox worker), pull (poller) and reconciliation of supplier stock. */
  readonly sync: InventorySync;
  /** Their counters, on `metrics.registry`. */
  readonly syncMetrics: InventorySyncMetrics;
  /** Placement, cancellation and tracking of orders (docs/orders.md). */
  readonly orders: OrderService;
  /** Outbound order events and their delivery log. */
  readonly orderWebhooks: WebhookDispatcher;
  /** Suppliers whose first catalog import and stock snapshot is still being retried. */
  readonly initialSync: InitialSync;
  close(): Promise<void>;
}

/**
 * The whole product on one machine: stores (MongoDB/Redis or embedded), a connector per supplier (against the
 * configured supplier, or a bundled sandbox when none is configured), every subgraph on its own port, and the
 * gateway in front. The same subgraphs run as separate services in docker-compose; the supergraph is the same.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const { config, log } = options;
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch((error: unknown) => log.warn({ err: error }, 'error while stopping'));
  };
  try {
    // The suppliers file is the process's registry: subgraph SDL, offer types and `suppliers` follow it.
    const registry = useSuppliers(config.supplierEntries);
    const supergraphSdl = readSupergraph(config.supergraphPath);
    const missing = registry.filter((s) => !supergraphSdl.includes(`type ${s.offerType} `));
    if (missing.length > 0) {
      throw new Error(`the supergraph has no subgraph for ${missing.map((s) => s.slug).join(', ')} of ${config.suppliersFile}: run \`npm run compose\` (docs/suppliers/connect-promostandards.md)`);
    }
    // Traces (OTEL_*; docs/operations.md "Traces"): started before anything that makes spans, stopped last.
    const tracing = startTracing({ config: config.tracing, log, ...(options.spanExporter ? { exporter: options.spanExporter } : {}) });
    closers.push(() => tracing.shutdown());
    // Stores, metrics, access, the stock update path and reservations: what every role shares (stack/roles/).
    const base = await openRoleBase({ config, log, ...(options.metrics ? { metrics: options.metrics } : {}), ...(options.jwks ? { jwks: options.jwks } : {}) });
    closers.push(() => base.close());
    const { stores, metrics, syncMetrics, updater, access, reservations } = base;
    const sync = createInventorySync({ config: config.inventorySync, suppliers: config.supplierEntries, log, stores, updater, metrics: syncMetrics });

    const portOf = (name: string): number =>
      options.subgraphPorts === 'random' ? 0 : (subgraphsOf(registry).find((s) => s.name === name)?.defaultPort ?? 0);
    const running = new Map<string, RunningSubgraph>();
    // Each subgraph is the same start function `serve <role>` uses (stack/roles/subgraph-parts.ts), on this process's base.
    const start = async (name: string, server: Promise<RunningSubgraph>) => {
      const started = await server;
      closers.push(() => started.close());
      running.set(name, started);
    };
    // The sweeper returns expired holds within its interval.
    const sweeper = startReservationSweeper({
      service: reservations,
      log,
      intervalMs: 5_000,
      purge: { run: (before, limit) => stores.reservations.purgeEnded(before, limit), retentionMs: config.reservationRetentionMs },
    });
    closers.push(() => sweeper.stop());
    // The inventory subgraph serves /webhooks/<supplier>, so it listens before the bundled sandboxes start: they
    // are told where to post.
    await start('inventory', startInventorySubgraph(base, portOf('inventory'), sync.routes));
    const webhookBase = `${running.get('inventory')!.url}/webhooks/`;

    const suppliers = await openSuppliers({ config, rateLimits: stores.rateLimits, metrics, log, credentialStore: stores.credentials, webhookUrlFor: (slug) => (sync.pushes(slug) ? webhookBase + slug : undefined) });
    closers.push(() => suppliers.close());
    const { connectors, sandboxes, traffic } = suppliers;
    sync.attachSuppliers(suppliers);
    closers.push(() => sync.close()); // before the suppliers and stores it uses (closers run in reverse)

    // Fails soft per supplier: one that is down or refuses our credentials is retried in the background.
    let initialSync = noInitialSync();
    if (options.seed ?? true) {
      const toLoad = await suppliersWithoutProducts(stores.catalog, registry.map((s) => s.slug));
      initialSync = await startInitialSync({
        connectors: new Map([...connectors].filter(([slug]) => toLoad.has(slug))),
        catalog: stores.catalog,
        updater,
        offers: sync.offers,
        log,
        ...(options.initialSyncRetryMs ? { firstRetryMs: options.initialSyncRetryMs.first, maxRetryMs: options.initialSyncRetryMs.max } : {}),
        ...(options.onImportProgress ? { onImportProgress: options.onImportProgress } : {}),
        ...(options.onSnapshotProgress ? { onSnapshotProgress: options.onSnapshotProgress } : {}),
      });
    }
    closers.push(() => initialSync.close());

    sync.start();

    await start('catalog', startCatalogSubgraph(base, portOf('catalog')));
    const orderFlow = startStackOrders({ config, log, stores, reservations, connectors, refreshStock: createStockRefresher({ connectors, updater, log, offers: sync.offers }), pushesOrderWebhooks: (slug) => sync.pushes(slug), metricsRegistry: metrics.registry, ...(options.orderLoopMs !== undefined ? { loopMs: options.orderLoopMs } : {}), ...(options.orderOptions ? { overrides: options.orderOptions } : {}), ...(options.orderWebhooks ? { webhooks: options.orderWebhooks } : {}) });
    closers.push(() => orderFlow.close());
    // Verified supplier order webhooks (stored by the inventory ingest) become status read-backs (docs/orders.md).
    sync.attachOrderTriggers(orderFlow.service);
    await start('orders', startOrdersSubgraph(base, portOf('orders'), orderFlow.service));
    await start('access', startAccessSubgraph(base, portOf('access')));
    for (const supplier of registry) {
      const name = `supplier-${supplier.slug}`;
      await start(name, startSupplierSubgraph(base, portOf(name), {
        descriptor: supplier,
        connector: connectors.get(supplier.slug)!,
        traffic: traffic.get(supplier.slug)!,
        initialSyncPending: () => initialSync.isPending(supplier.slug),
        ...(options.onSupplierCall ? { onSupplierCall: (skus: readonly string[]) => options.onSupplierCall!(supplier.slug, skus) } : {}),
      }));
    }

    const subgraphUrls: Record<string, string> = {};
    for (const [name, server] of running) subgraphUrls[name] = `${server.url}/graphql`;
    const gateway = await startGateway({
      supergraphSdl,
      subgraphUrls: { ...subgraphUrls, ...config.subgraphUrls },
      // GATEWAY_INPROCESS_SUBGRAPHS: the subgraphs started here are called in process; one SUBGRAPH_URL_* sends elsewhere keeps HTTP.
      ...(config.gatewaySpeed.inProcessSubgraphs ? { inProcessSubgraphs: new Map([...running].filter(([name]) => config.subgraphUrls[name] === undefined).map(([name, server]) => [name, server.inProcess])) } : {}),
      port: config.gatewayPort,
      host: config.host,
      log,
      budget: config.budget,
      maxBodyBytes: config.maxBodyBytes,
      apolloTelemetry: config.apolloTelemetry,
      speed: config.gatewaySpeed,
      ...gatewayEntityCache(config, stores),
      metricsRegistry: metrics.registry,
      auth: access.gateway,
      dependencies: stores.health,
      shutdownDrainMs: config.shutdownDrainMs,
      subscriptions: { events: stores.events, limits: config.auth.limits, audit: access.audit, origins: { devMode: config.auth.mode === 'dev', allowed: config.wsAllowedOrigins } },
    });
    closers.push(() => gateway.close());
    return { gateway, subgraphs: running, sandboxes, connectors, stores, updater, metrics, traffic, sync, syncMetrics, orders: orderFlow.service, orderWebhooks: orderFlow.webhooks, initialSync, close };
  } catch (error) {
    await close();
    throw error;
  }
}
