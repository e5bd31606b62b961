/**
 * One role per process (`npm run serve -- <role>`, bin/serve.ts; docs/architecture.md "Roles"). Every role reads
 * the same configuration, opens the same stores, serves /healthz, /readyz and /metrics, and closes gracefully:
 * readiness goes 503 first, HTTP requests in flight drain for up to SHUTDOWN_DRAIN_MS, then its loops and stores
 * close. `npm start` runs all of them in one process instead (stack/start-stack.ts).
 *
 * | role | serves | runs |
 * |---|---|---|
 * | gateway | /graphql (+ subscriptions) over SUBGRAPH_URL_* | — |
 * | catalog, inventory, access | its subgraph | — |
 * | orders | the orders subgraph | order placement, the resume + tracking loop, merchant webhooks |
 * | supplier-<slug> | that supplier's subgraph | its connector (offers, status) |
 * | ingest | /webhooks/<supplier> | the inbox worker (stock signals, order read-backs), inbox retention |
 * | jobs | health only | pollers and scheduled reconciliation under leases, the reservation sweeper and purge, the first catalog import |
 */
import { gatewayEntityCache } from '../gateway-entity-cache.ts';
import { ConfigError, type Config } from '../../platform/config.ts';
import type { RunningServer } from '../../platform/http/listen.ts';
import { createLeaseKeeper, type LeaseKeeper } from '../../platform/lease-keeper.ts';
import type { Logger } from '../../platform/logger.ts';
import { settingPrefixOf } from '../../platform/suppliers-file.ts';
import { openLeaseStore } from '../../adapters/lease/open-lease-store.ts';
import { startGateway } from '../../gateway/create-gateway.ts';
import { readSupergraph } from '../../gateway/supergraph.ts';
import { subgraphsOf } from '../../schema/subgraphs.ts';
import { useSuppliers } from '../../platform/supplier-registry.ts';
import { startReservationSweeper } from '../../subgraphs/inventory/reservation-sweeper.ts';
import { createStockRefresher } from '../../subgraphs/inventory/refresh-stock.ts';
import { noInitialSync, startInitialSync, suppliersWithoutProducts, type InitialSync } from '../initial-sync.ts';
import { createInventorySync, createSyncOfferRecorder, pollLease, pushesWebhooks, RECONCILE_LEASE } from '../inventory-sync.ts';
import { openSuppliers, type OpenSuppliers } from '../open-suppliers.ts';
import { startStackOrders } from '../orders.ts';
import { openRoleBase, type RoleBase } from './role-base.ts';
import { startTracing } from '../../platform/tracing/start-tracing.ts';
import { listenRole, roleReadiness, type RoleReadiness } from './role-server.ts';
import { startAccessSubgraph, startCatalogSubgraph, startInventorySubgraph, startOrdersSubgraph, startSupplierSubgraph } from './subgraph-parts.ts';

export const FIXED_ROLES = ['gateway', 'catalog', 'inventory', 'orders', 'access', 'ingest', 'jobs'] as const;
/** Default ports of the roles that are no subgraph (the gateway's is GATEWAY_PORT, a subgraph's its supergraph port). */
export const INGEST_DEFAULT_PORT = 4190;
export const JOBS_DEFAULT_PORT = 4191;
/** The lease that lets one `jobs` process run the first catalog import of suppliers without products. */
export const INITIAL_SYNC_LEASE = 'initial-sync';

/** Every role of a configuration: the fixed ones, then `supplier-<slug>` per entry of the suppliers file. */
export function roleNames(config: Pick<Config, 'supplierEntries'>): string[] {
  return [...FIXED_ROLES, ...config.supplierEntries.map((e) => `supplier-${e.slug}`)];
}

export interface RunningRole {
  readonly role: string;
  /** Base URL of the role's HTTP server (…/graphql for the gateway and subgraphs, /webhooks/<slug> for ingest). */
  readonly url: string;
  /** Lease names this process holds now (a `jobs` process; empty for the others). */
  leases(): string[];
  /** Readiness 503, drain HTTP requests in flight (SHUTDOWN_DRAIN_MS), stop loops, close stores. */
  close(): Promise<void>;
}

export interface StartRoleOptions {
  readonly config: Config;
  readonly log: Logger;
}

/** Starts one role in this process. Throws ConfigError for an unknown role or a setting the role needs. */
export async function startRole(role: string, options: StartRoleOptions): Promise<RunningRole> {
  const { config, log } = options;
  const names = roleNames(config);
  if (!names.includes(role)) throw new ConfigError(`unknown role "${role}": one of ${names.join(', ')}`);
  // Gateway and subgraphs trust each other only through a secret they share (a random one would differ per process).
  if (role !== 'jobs' && role !== 'ingest' && config.auth.gatewaySigningSecrets.length === 0) {
    throw new ConfigError(`invalid configuration:\n  GATEWAY_SIGNING_SECRET: required by the ${role} role (gateway and subgraphs run in separate processes)`);
  }
  // Traces (OTEL_*; docs/operations.md "Traces"): before anything makes spans, stopped last. Each role is its own
  // process, so traceparent carries one trace across them (set OTEL_SERVICE_NAME per role to tell them apart).
  const tracing = startTracing({ config: config.tracing, log });
  let base: RoleBase;
  try {
    base = await openRoleBase({ config, log, service: role });
  } catch (error) {
    await tracing.shutdown();
    throw error;
  }
  const closers: (() => Promise<void>)[] = [() => tracing.shutdown(), () => base.close()];
  const closeAll = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch((error: unknown) => log.warn({ err: error, role }, 'error while stopping'));
  };
  try {
    const started = await startIn(role, base, closers);
    return {
      role,
      url: started.server.url,
      leases: () => started.keeper?.held() ?? [],
      close: async () => {
        started.readiness?.stop();
        // A subgraph's or role server's requests in flight finish first (the gateway drains in its own close).
        if (role !== 'gateway') {
          const { cut } = await started.server.drain(config.shutdownDrainMs);
          if (cut > 0) log.warn({ role, cut }, 'requests still running at the end of the drain were cut');
        }
        await closeAll();
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

interface Started {
  readonly server: RunningServer;
  readonly readiness?: RoleReadiness;
  readonly keeper?: LeaseKeeper;
}

async function startIn(role: string, base: RoleBase, closers: (() => Promise<void>)[]): Promise<Started> {
  const { config, log } = base;
  const registry = useSuppliers(config.supplierEntries);
  const subgraphPort = (name: string) => config.port ?? subgraphsOf(registry).find((s) => s.name === name)?.defaultPort ?? 0;
  const serving = async (server: Promise<RunningServer>): Promise<RunningServer> => {
    const running = await server;
    closers.push(() => running.close());
    return running;
  };
  const readiness = roleReadiness(role, base);
  const routes = { '/readyz': readiness.route };

  switch (role) {
    case 'gateway': {
      const gateway = await startGateway({
        supergraphSdl: readSupergraph(config.supergraphPath),
        subgraphUrls: config.subgraphUrls,
        port: config.port ?? config.gatewayPort,
        host: config.host,
        log,
        budget: config.budget,
        maxBodyBytes: config.maxBodyBytes,
        apolloTelemetry: config.apolloTelemetry,
        metricsRegistry: base.metrics.registry,
        auth: base.access.gateway,
        dependencies: base.stores.health,
        shutdownDrainMs: config.shutdownDrainMs,
        speed: config.gatewaySpeed,
        ...gatewayEntityCache(config, base.stores),
        // Every instance subscribes to the shared event bus, so a subscriber on any instance hears every change.
        subscriptions: { events: base.stores.events, limits: config.auth.limits, audit: base.access.audit, origins: { devMode: config.auth.mode === 'dev', allowed: config.wsAllowedOrigins } },
      });
      closers.push(() => gateway.close());
      return { server: gateway };
    }
    case 'catalog':
      return { server: await serving(startCatalogSubgraph(base, subgraphPort('catalog'), routes)), readiness };
    case 'inventory':
      return { server: await serving(startInventorySubgraph(base, subgraphPort('inventory'), routes)), readiness };
    case 'access':
      return { server: await serving(startAccessSubgraph(base, subgraphPort('access'), routes)), readiness };
    case 'orders': {
      const suppliers = await openRoleSuppliers(role, base, closers);
      const flow = startOrderFlow(base, suppliers, 5_000);
      closers.push(() => flow.close());
      return { server: await serving(startOrdersSubgraph(base, subgraphPort('orders'), flow.service, routes)), readiness };
    }
    case 'ingest': {
      const suppliers = await openRoleSuppliers(role, base, closers);
      const sync = createInventorySync({ config: config.inventorySync, suppliers: config.supplierEntries, log, stores: base.stores, updater: base.updater, metrics: base.syncMetrics });
      sync.attachSuppliers(suppliers);
      closers.push(() => sync.close());
      // Order webhooks are triggers to read the supplier order back: an order service without its own loop.
      const flow = startOrderFlow(base, suppliers, 0);
      closers.push(() => flow.close());
      sync.attachOrderTriggers(flow.service);
      sync.start({ ingest: true, pull: false });
      return { server: await serving(listenRole(role, base, config.port ?? INGEST_DEFAULT_PORT, readiness, sync.routes)), readiness };
    }
    case 'jobs':
      return startJobs(base, closers);
    default: {
      const slug = role.slice('supplier-'.length);
      const descriptor = registry.find((s) => s.slug === slug)!;
      const suppliers = await openRoleSuppliers(role, base, closers, slug);
      const part = { descriptor, connector: suppliers.connectors.get(slug)!, traffic: suppliers.traffic.get(slug)!, routes };
      return { server: await serving(startSupplierSubgraph(base, subgraphPort(role), part)), readiness };
    }
  }
}

/** Pollers and reconciliation under leases; the reservation sweeper and purge; the first import of new suppliers. */
async function startJobs(base: RoleBase, closers: (() => Promise<void>)[]): Promise<Started> {
  const { config, log } = base;
  const suppliers = await openRoleSuppliers('jobs', base, closers);
  const leaseStore = await openLeaseStore({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, redisCommandTimeoutMs: config.storeTimeouts.redisCommandMs }, log);
  closers.push(() => leaseStore.close());
  if (config.redisUrl === undefined) log.warn('REDIS_URL is unset: singleton leases are in memory, so run one jobs process only');
  const polled = config.supplierEntries.filter((e) => (config.inventorySync.pollIntervalMs[e.slug] ?? 0) > 0).map((e) => pollLease(e.slug));
  const keeper = createLeaseKeeper({
    store: leaseStore,
    names: [...polled, RECONCILE_LEASE, INITIAL_SYNC_LEASE],
    log,
    ttlMs: config.leaseTtlMs,
    metricsRegistry: base.metrics.registry,
  });
  // Closers run in reverse: the leases are released only after the poller and reconciliation stopped.
  closers.push(() => keeper.close());
  const sync = createInventorySync({ config: config.inventorySync, suppliers: config.supplierEntries, log, stores: base.stores, updater: base.updater, metrics: base.syncMetrics, leases: keeper });
  sync.attachSuppliers(suppliers);
  closers.push(() => sync.close());
  // Expired holds return within the interval; every step is idempotent, so each jobs process may sweep.
  const sweeper = startReservationSweeper({
    service: base.reservations,
    log,
    intervalMs: 5_000,
    purge: { run: (before, limit) => base.stores.reservations.purgeEnded(before, limit), retentionMs: config.reservationRetentionMs },
  });
  closers.push(() => sweeper.stop());
  await keeper.tick();
  keeper.start();
  // The first import of suppliers no product is mapped to yet: one jobs process does it (the one that took the
  // lease at start); concurrent imports would converge on the same products anyway (unique indexes), only slower.
  let initialSync: InitialSync = noInitialSync();
  if (keeper.holds(INITIAL_SYNC_LEASE)) {
    const toLoad = await suppliersWithoutProducts(base.stores.catalog, config.supplierEntries.map((e) => e.slug));
    initialSync = await startInitialSync({ connectors: new Map([...suppliers.connectors].filter(([slug]) => toLoad.has(slug))), catalog: base.stores.catalog, updater: base.updater, offers: sync.offers, log });
  }
  closers.push(() => initialSync.close());
  sync.start({ ingest: false, pull: true });
  const readiness = roleReadiness('jobs', base, () => ({ leases: keeper.held(), holder: keeper.holder }));
  const server = await listenRole('jobs', base, config.port ?? JOBS_DEFAULT_PORT, readiness);
  closers.push(() => server.close());
  return { server, readiness, keeper };
}

function startOrderFlow(base: RoleBase, suppliers: OpenSuppliers, loopMs: number) {
  return startStackOrders({
    config: base.config,
    log: base.log,
    stores: base.stores,
    reservations: base.reservations,
    connectors: suppliers.connectors,
    refreshStock: createStockRefresher({ connectors: suppliers.connectors, updater: base.updater, log: base.log, offers: createSyncOfferRecorder(base.stores, base.log) }),
    pushesOrderWebhooks: pushesWebhooks(base.config.supplierEntries),
    metricsRegistry: base.metrics.registry,
    loopMs,
  });
}

/**
 * The role's suppliers (one for `supplier-<slug>`, else all). Each must be configured with its URL: a bundled
 * sandbox per process would be a different supplier in every process (orders placed in one, read back in another).
 */
async function openRoleSuppliers(role: string, base: RoleBase, closers: (() => Promise<void>)[], only?: string): Promise<OpenSuppliers> {
  const { config } = base;
  const entries = config.supplierEntries.filter((e) => only === undefined || e.slug === only);
  const missing = entries.filter((e) => !config.suppliers[e.slug]?.url);
  if (missing.length > 0) {
    throw new ConfigError(`invalid configuration:\n${missing.map((e) => `  ${settingPrefixOf(e.slug)}_URL: required by the ${role} role (a role runs in its own process and starts no bundled sandbox; \`npx tsx bin/sandbox.ts ${e.slug}\` starts one to point it at)`).join('\n')}`);
  }
  const scoped: Config = only === undefined ? config : { ...config, supplierEntries: entries, supplierLimits: Object.fromEntries(Object.entries(config.supplierLimits).filter(([slug]) => slug === only)) };
  const suppliers = await openSuppliers({ config: scoped, rateLimits: base.stores.rateLimits, metrics: base.metrics, log: base.log, credentialStore: base.stores.credentials });
  closers.push(() => suppliers.close());
  return suppliers;
}
