import type { SupplierConnector } from '../adapters/core/connector.ts';
import { openStores } from '../adapters/storage/open-stores.ts';
import { startGateway, type RunningGateway } from '../gateway/create-gateway.ts';
import { readSupergraph } from '../gateway/supergraph.ts';
import type { Config } from '../platform/config.ts';
import type { RunningServer } from '../platform/http/listen.ts';
import type { Logger } from '../platform/logger.ts';
import type { SupplierSandbox } from '../sandboxes/shared/sandbox.ts';
import { SUBGRAPHS } from '../schema/subgraphs.ts';
import { createCatalogSubgraph } from '../subgraphs/catalog/index.ts';
import { importCatalogs, type ImportProgress } from '../subgraphs/catalog/import-catalog.ts';
import { createInventorySubgraph } from '../subgraphs/inventory/index.ts';
import { createStockUpdater, type StockUpdater } from '../subgraphs/inventory/stock-updater.ts';
import { snapshotStock, type SnapshotSummary } from '../subgraphs/inventory/snapshot-stock.ts';
import { createOrdersSubgraph } from '../subgraphs/orders/index.ts';
import { startSubgraph, type SubgraphServerOptions } from '../subgraphs/serve.ts';
import type { SubgraphContext } from '../subgraphs/context.ts';
import { createSupplierSubgraph } from '../subgraphs/supplier/index.ts';
import { SUPPLIERS } from '../subgraphs/supplier-registry.ts';
import { openSuppliers } from './open-suppliers.ts';
import type { SupplierTraffic } from './supplier-traffic.ts';
import { createMetrics, type Metrics } from '../platform/metrics.ts';

export interface StackOptions {
  readonly config: Config;
  readonly log: Logger;
  /** Subgraph ports: the one-machine defaults (4101…), or free random ports (tests). @default 'default' */
  readonly subgraphPorts?: 'default' | 'random';
  /** Import catalogs and snapshot stock when the catalog is empty. @default true */
  readonly seed?: boolean;
  /** Observes every live supplier stock call made by the supplier subgraphs. */
  readonly onSupplierCall?: (supplier: string, skus: readonly string[]) => void;
  readonly onImportProgress?: (progress: ImportProgress) => void;
  readonly onSnapshotProgress?: (summary: SnapshotSummary) => void;
  /** The process's metrics registry; one is created when not given. */
  readonly metrics?: Metrics;
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
    const stores = await openStores({ mongoUrl: config.mongoUrl, mongoDb: config.mongoDb, redisUrl: config.redisUrl, keyPrefix: config.keyPrefix }, log);
    const metrics = options.metrics ?? createMetrics({ defaultLabels: { service: 'dropship' } });
    closers.push(() => stores.close());
    const updater = createStockUpdater({ stock: stores.stock, cache: stores.cache, events: stores.events, log });

    const suppliers = await openSuppliers({ config, rateLimits: stores.rateLimits, metrics, log });
    closers.push(() => suppliers.close());
    const { connectors, sandboxes, traffic } = suppliers;

    if (options.seed ?? true) {
      if ((await stores.catalog.count()) === 0) {
        const all = [...connectors.values()];
        await importCatalogs({ connectors: all, catalog: stores.catalog, log, ...(options.onImportProgress ? { onProgress: options.onImportProgress } : {}) });
        await snapshotStock({ connectors: all, catalog: stores.catalog, updater, log, ...(options.onSnapshotProgress ? { onProgress: options.onSnapshotProgress } : {}) });
      }
    }

    const portOf = (name: string): number =>
      options.subgraphPorts === 'random' ? 0 : (SUBGRAPHS.find((s) => s.name === name)?.defaultPort ?? 0);
    const running = new Map<string, RunningServer>();
    const start = async <T extends SubgraphContext>(name: string, schemaAndContext: SubgraphServerOptions<T>) => {
      const server = await startSubgraph(schemaAndContext);
      closers.push(() => server.close());
      running.set(name, server);
    };
    const catalog = createCatalogSubgraph(stores.catalog);
    await start('catalog', { name: 'catalog', schema: catalog.schema, port: portOf('catalog'), host: config.host, log, extendContext: catalog.extendContext });
    const inventory = createInventorySubgraph(stores.stock, stores.catalog);
    await start('inventory', { name: 'inventory', schema: inventory.schema, port: portOf('inventory'), host: config.host, log, extendContext: inventory.extendContext });
    const orders = createOrdersSubgraph(stores.orders);
    await start('orders', { name: 'orders', schema: orders.schema, port: portOf('orders'), host: config.host, log });
    for (const supplier of SUPPLIERS) {
      const subgraph = createSupplierSubgraph({
        descriptor: supplier,
        connector: connectors.get(supplier.slug)!,
        cache: stores.cache,
        offerTtlMs: config.offerCacheTtlMs,
        ...(options.onSupplierCall ? { onSupplierCall: (skus: readonly string[]) => options.onSupplierCall!(supplier.slug, skus) } : {}),
      });
      await start(subgraph.name, { name: subgraph.name, schema: subgraph.schema, port: portOf(subgraph.name), host: config.host, log, extendContext: subgraph.extendContext, plugins: subgraph.plugins });
    }

    const subgraphUrls: Record<string, string> = {};
    for (const [name, server] of running) subgraphUrls[name] = `${server.url}/graphql`;
    const gateway = await startGateway({
      supergraphSdl: readSupergraph(config.supergraphPath),
      subgraphUrls: { ...subgraphUrls, ...config.subgraphUrls },
      port: config.gatewayPort,
      host: config.host,
      log,
      subgraphTimeoutMs: config.subgraphTimeoutMs,
      maxBodyBytes: config.maxBodyBytes,
    });
    closers.push(() => gateway.close());
    return { gateway, subgraphs: running, sandboxes, connectors, stores, updater, metrics, traffic, close };
  } catch (error) {
    await close();
    throw error;
  }
}
