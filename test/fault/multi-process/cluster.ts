/**
 * Every role of the product as its own `serve <role>` process on FerretDB and Redis (MONGO_URL / REDIS_URL, a
 * random database and key prefix per cluster): two gateways, two inventories and two ingests behind round-robin
 * TCP balancers, two jobs, one of every other role. The supplier sandboxes run in the test process (one each, the
 * one supplier every process talks to); each jobs process reaches them through its own tap, so polls are counted at
 * the supplier's side per process. The test process seeds a few products, then opens the same stores to check.
 */
import { randomBytes } from 'node:crypto';
import { silentLogger } from '../../../platform/logger.ts';
import { loadConfig, type Config } from '../../../platform/config.ts';
import { createMetrics } from '../../../platform/metrics.ts';
import { settingPrefixOf } from '../../../platform/suppliers-file.ts';
import type { SupplierSandbox } from '../../../sandboxes/shared/sandbox.ts';
import { openStores } from '../../../adapters/storage/open-stores.ts';
import { openSuppliers } from '../../../stack/open-suppliers.ts';
import { startSandboxFor } from '../../../stack/sandboxes.ts';
import { createStockUpdater } from '../../../subgraphs/inventory/stock-updater.ts';
import { snapshotStock } from '../../../subgraphs/inventory/snapshot-stock.ts';
import { cleanUpTestData } from '../../support/test-data.ts';
import { freePort } from '../private-services.ts';
import { seedFewProducts } from '../seed-catalog.ts';
import { startRoleProcessOnPort, type RoleProcess } from './role-process.ts';
import { startSupplierTap, type SupplierTap } from './supplier-tap.ts';
import { startTcpBalancer, type TcpBalancer } from './tcp-balancer.ts';

export type Stores = Awaited<ReturnType<typeof openStores>>;

/** Process names and roles: `<role>-<n>` for doubled roles. */
export const LAYOUT: readonly { readonly name: string; readonly role: string }[] = [
  { name: 'catalog', role: 'catalog' },
  { name: 'inventory-1', role: 'inventory' },
  { name: 'inventory-2', role: 'inventory' },
  { name: 'orders', role: 'orders' },
  { name: 'access', role: 'access' },
  { name: 'supplier-brightline', role: 'supplier-brightline' },
  { name: 'supplier-harborpromo', role: 'supplier-harborpromo' },
  { name: 'supplier-maplecart', role: 'supplier-maplecart' },
  { name: 'ingest-1', role: 'ingest' },
  { name: 'ingest-2', role: 'ingest' },
  { name: 'jobs-1', role: 'jobs' },
  { name: 'jobs-2', role: 'jobs' },
  { name: 'gateway-1', role: 'gateway' },
  { name: 'gateway-2', role: 'gateway' },
];

export const POLL_INTERVAL_MS = 1_500;
export const LEASE_TTL_MS = 2_000;

export interface ClusterOptions {
  /** Process names to start (default: all of LAYOUT). */
  readonly only?: readonly string[];
  /** More settings for every process. */
  readonly env?: Record<string, string>;
  /** Products seeded per supplier (the first items of its catalog). @default 3 */
  readonly perSupplier?: number;
}

export interface Cluster {
  readonly config: Config;
  readonly stores: Stores;
  readonly sandboxes: ReadonlyMap<string, SupplierSandbox>;
  /** The gateways' balancer, /graphql. */
  readonly graphqlUrl: string;
  readonly processes: Map<string, RoleProcess>;
  /** Each jobs process instance's taps, by instance (`jobs-1#0`, `jobs-1#1` after a restart) then supplier slug. */
  readonly taps: Map<string, Map<string, SupplierTap>>;
  /** Instances of a process name in start order, with when each was killed. */
  readonly instances: Map<string, { instance: string; startedAt: number; killedAt: number | null }[]>;
  /** The ingests' balancer (base URL; `/webhooks/<slug>`). */
  readonly ingestUrl: string;
  /** Every webhook delivery attempt the sandboxes made, with our answer. */
  readonly webhookTap: SupplierTap;
  /** Canonical SKUs seeded per supplier (with stock). */
  readonly skus: ReadonlyMap<string, string[]>;
  kill(name: string): Promise<void>;
  restart(name: string): Promise<RoleProcess>;
  close(): Promise<void>;
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const mongoUrl = process.env.MONGO_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!mongoUrl || !redisUrl) throw new Error('the multi-process suite needs MONGO_URL and REDIS_URL: eval "$(bash scripts/test-services.sh env)"');
  const id = randomBytes(4).toString('hex');
  const layout = LAYOUT.filter((p) => options.only === undefined || options.only.includes(p.name));
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch(() => {});
  };
  try {
    const base = loadConfig({ SUPPLIERS_FILE: process.env.SUPPLIERS_FILE ?? 'config/suppliers.json' });
    const ports = new Map<string, number>();
    for (const p of layout) ports.set(p.name, await freePort());
    // Whom a process's port is given to: its balancer (told when the port moves), or processes started with its URL.
    const balancerOf = new Map<string, TcpBalancer>();
    const pinned = new Set<string>();
    const balancer = async (names: string[]): Promise<TcpBalancer> => {
      const behind = names.filter((n) => ports.has(n));
      const b = await startTcpBalancer(behind.map((n) => ports.get(n)!));
      for (const n of behind) balancerOf.set(n, b);
      closers.push(() => b.close());
      return b;
    };
    const gateways = await balancer(['gateway-1', 'gateway-2']);
    const inventories = await balancer(['inventory-1', 'inventory-2']);
    const ingests = await balancer(['ingest-1', 'ingest-2']);

    // One sandbox per supplier, posting its webhooks to the ingests' balancer through a tap that records them.
    const webhookTap = await startSupplierTap(ingests.url);
    closers.push(() => webhookTap.close());
    const sandboxes = new Map<string, SupplierSandbox>();
    for (const entry of base.supplierEntries) {
      const sandbox = await startSandboxFor(entry, { port: 0, host: '127.0.0.1', webhookUrl: `${webhookTap.url}/webhooks/${entry.slug}` });
      closers.push(() => sandbox.close());
      sandboxes.set(entry.slug, sandbox);
    }
    const supplierEnv = (urlOf: (slug: string) => string): Record<string, string> => {
      const env: Record<string, string> = {};
      for (const entry of base.supplierEntries) {
        const prefix = settingPrefixOf(entry.slug);
        const sandbox = sandboxes.get(entry.slug)!;
        env[`${prefix}_URL`] = urlOf(entry.slug);
        env[`${prefix}_POLL_INTERVAL_MS`] = String(POLL_INTERVAL_MS);
        if (sandbox.webhookSecret) env[`${prefix}_WEBHOOK_SECRETS`] = sandbox.webhookSecret;
        for (const [field, variable] of Object.entries(entry.credentials)) {
          const value = sandbox.credentials[field];
          if (value !== undefined) env[variable] = value;
        }
      }
      return env;
    };
    const common: Record<string, string> = {
      MONGO_URL: mongoUrl,
      MONGO_DB: `mp_${id}`,
      REDIS_URL: redisUrl,
      KEY_PREFIX: `mp:${id}:`,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      AUTH_MODE: 'dev',
      GATEWAY_SIGNING_SECRET: randomBytes(32).toString('base64url'),
      SECRETS_KEK: randomBytes(32).toString('base64'),
      OUTBOUND_ALLOW_LOOPBACK_HTTP: 'true',
      LEASE_TTL_MS: String(LEASE_TTL_MS),
      WEBHOOK_LEASE_MS: '2000',
      RECONCILE_INTERVAL_MS: '0',
      SHUTDOWN_DRAIN_MS: '2000',
      ...supplierEnv((slug) => sandboxes.get(slug)!.url),
      ...options.env,
    };
    // The test's own view of the same stores (seeding, checks).
    const config = loadConfig({ ...common, LOG_LEVEL: 'silent' });
    const stores = await openStores({ mongoUrl, mongoDb: config.mongoDb, redisUrl, keyPrefix: config.keyPrefix }, silentLogger());
    closers.push(async () => {
      await stores.close();
      await cleanUpTestData({ mongoUrl, mongoDb: config.mongoDb, redisUrl, keyPrefix: config.keyPrefix });
    });
    const suppliers = await openSuppliers({ config, rateLimits: stores.rateLimits, metrics: createMetrics({ defaultMetrics: false }), log: silentLogger() });
    closers.push(() => suppliers.close());
    const skus = await seedFewProducts({ connectors: [...suppliers.connectors.values()], catalog: stores.catalog, log: silentLogger(), perSupplier: options.perSupplier ?? 3 });
    const updater = createStockUpdater({ stock: stores.stock, cache: stores.cache, events: stores.events, log: silentLogger() });
    await snapshotStock({ connectors: [...suppliers.connectors.values()], catalog: stores.catalog, updater, log: silentLogger() });

    // Read when a gateway starts: a subgraph's port is final once it listens; from then on it stays (pinned).
    const subgraphUrls = (): Record<string, string> => {
      const urls: Record<string, string> = {};
      for (const p of layout) {
        if (p.role === 'gateway' || p.role === 'ingest' || p.role === 'jobs' || p.role === 'inventory') continue;
        urls[`SUBGRAPH_URL_${p.name.toUpperCase().replaceAll('-', '_')}`] = `http://127.0.0.1:${ports.get(p.name)}/graphql`;
        pinned.add(p.name);
      }
      urls['SUBGRAPH_URL_INVENTORY'] = `${inventories.url}/graphql`;
      return urls;
    };

    const processes = new Map<string, RoleProcess>();
    const taps = new Map<string, Map<string, SupplierTap>>();
    const instances = new Map<string, { instance: string; startedAt: number; killedAt: number | null }[]>();
    const start = async (name: string): Promise<RoleProcess> => {
      const { role } = layout.find((p) => p.name === name)!;
      const history = instances.get(name) ?? [];
      instances.set(name, history);
      const instance = `${name}#${history.length}`;
      let env: Record<string, string> = { ...common };
      if (role === 'gateway') env = { ...env, ...subgraphUrls() };
      if (role === 'jobs') {
        const mine = new Map<string, SupplierTap>();
        for (const [slug, sandbox] of sandboxes) {
          const tap = await startSupplierTap(sandbox.url);
          closers.push(() => tap.close());
          mine.set(slug, tap);
        }
        taps.set(instance, mine);
        env = { ...env, ...supplierEnv((slug) => mine.get(slug)!.url), ...options.env };
      }
      const moved = (from: number, to: number) => {
        ports.set(name, to);
        balancerOf.get(name)?.replaceBackend(from, to);
      };
      const running = await startRoleProcessOnPort(role, name, env, { port: ports.get(name)!, movable: !pinned.has(name), moved }, 150_000);
      history.push({ instance, startedAt: Date.now(), killedAt: null });
      processes.set(name, running);
      return running;
    };
    closers.push(async () => {
      await Promise.all([...processes.values()].map((p) => p.kill()));
    });
    // Subgraphs and workers first, gateways last (they load the supergraph and probe the subgraphs for readiness).
    const first = layout.filter((p) => p.role !== 'gateway');
    await Promise.all(first.map((p) => start(p.name)));
    await Promise.all(layout.filter((p) => p.role === 'gateway').map((p) => start(p.name)));

    return {
      config,
      stores,
      sandboxes,
      graphqlUrl: `${gateways.url}/graphql`,
      processes,
      taps,
      ingestUrl: ingests.url,
      webhookTap,
      instances,
      skus,
      kill: async (name) => {
        const p = processes.get(name);
        if (!p) throw new Error(`no process ${name}`);
        await p.kill();
        const history = instances.get(name)!;
        history[history.length - 1]!.killedAt = Date.now();
      },
      restart: (name) => start(name),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
