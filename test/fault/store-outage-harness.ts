/**
 * The setting of the store-outage rows (redis-outage / mongo-outage fault tests, bench:faults): a PRIVATE Redis and
 * a PRIVATE FerretDB (private-services.ts), the three supplier sandboxes in this process, a few products imported and
 * their stock snapshotted through the real importer and updater, and a stack child process (stack-process.ts) over
 * them. Plus the client side: the reads and the order a client sends, timed, and their outcome by error code.
 *
 * No vitest here: bench/fault-rows/*.ts runs the same rows outside the test runner.
 */
import { randomBytes } from 'node:crypto';
import { openStores } from '../../adapters/storage/open-stores.ts';
import { loadConfig } from '../../platform/config.ts';
import { createMetrics } from '../../platform/metrics.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { SupplierLimitOverride } from '../../platform/supplier-limits-setting.ts';
import type { SupplierSandbox } from '../../sandboxes/shared/sandbox.ts';
import { openSuppliers } from '../../stack/open-suppliers.ts';
import { startSandbox } from '../../stack/sandboxes.ts';
import { publishedLimitsOf, sandboxLimitsOf } from '../../stack/supplier-limits.ts';
import { snapshotStock } from '../../subgraphs/inventory/snapshot-stock.ts';
import { createStockUpdater } from '../../subgraphs/inventory/stock-updater.ts';
import { SUPPLIERS } from '../../platform/supplier-registry.ts';
import { postGraphql } from '../support/stack-env.ts';
import { startPrivateFerretdb, startPrivateRedis, type PrivateService } from './private-services.ts';
import { seedFewProducts } from './seed-catalog.ts';
import { startStackProcess, type StackProcess } from './stack-processes.ts';

/** The request budget of these rows (REQUEST_BUDGET_MS); every answer must come within it + 10 %. */
export const BUDGET_MS = 3_000;

// Generous supplier limits: these rows are about our stores, not the suppliers' quotas.
const LIMITS: Record<string, SupplierLimitOverride> = {
  brightline: { requests: { limit: 60_000, perSeconds: 60 } },
  harborpromo: { requests: { limit: 60_000, perSeconds: 60 } },
  maplecart: { cost: { maximumAvailable: 1_000_000, restoreRate: 100_000 } },
};

export const SHIP_TO = { name: 'Fault Suite', line1: '1 Test Way', city: 'Portland', region: 'OR', postalCode: '97201', country: 'US' };

/**
 * What a fault test adds to the settings started while it is registered, without the bench rows knowing: more stack
 * settings (e.g. ORDER_WEBHOOK_ENDPOINTS to its own receiver), and a look at the setting once the row is done, the
 * stack still serving and the stores up, before it is closed (e.g. the orders' reservations and holds).
 */
export interface SettingObserver {
  readonly env?: Readonly<Record<string, string>>;
  afterRow?(setting: OutageSetting): Promise<void>;
}
const observers = new Set<SettingObserver>();
/** Registers `observer` for every setting started from now on; returns its removal. */
export function observeSettings(observer: SettingObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

export interface OutageSetting {
  /** The stack process's settings (to open the same stores). */
  readonly env: Readonly<Record<string, string>>;
  readonly redis: PrivateService;
  readonly mongo: PrivateService;
  /** The stack child process now serving (replaced by `restartStack`). */
  readonly stack: StackProcess;
  /** Starts a new stack child process on the same stores and sandboxes (the old one stopped first), and serves by it. */
  restartStack(): Promise<StackProcess>;
  /** The stack processes `restartStack` stopped, oldest first (their logs stay readable). */
  readonly stopped: readonly StackProcess[];
  readonly sandboxes: ReadonlyMap<string, SupplierSandbox>;
  /** Seeded canonical SKUs. */
  readonly skus: readonly string[];
  /** A seeded product with sellable stock, and a supplier SKU of brightline (supplier-only reads). */
  readonly orderSku: string;
  readonly brightlineSku: string;
  /** Supplier orders held by all sandboxes together. */
  supplierOrders(): number;
  close(): Promise<void>;
}

/** `extraEnv`: settings of the stack process over the rows' own (e.g. OFFER_CACHE_TTL_MS=0 to ask the suppliers on every read). */
export async function startOutageSetting(name: string, extraEnv: Readonly<Record<string, string>> = {}): Promise<OutageSetting> {
  const redis = await startPrivateRedis();
  const mongo = await startPrivateFerretdb();
  const sandboxes = new Map<string, SupplierSandbox>();
  let stack: StackProcess | undefined;
  const close = async () => {
    await stack?.stop();
    await Promise.all([...sandboxes.values()].map((s) => s.close()));
    await Promise.all([redis.close(), mongo.close()]);
  };
  try {
    for (const supplier of SUPPLIERS) {
      sandboxes.set(supplier.slug, await startSandbox(supplier.protocol, { port: 0, host: '127.0.0.1', ...sandboxLimitsOf(publishedLimitsOf(supplier.slug, LIMITS[supplier.slug])) }));
    }
    const credentials = (slug: string) => sandboxes.get(slug)!.credentials;
    const env: Record<string, string> = {
      MONGO_URL: mongo.url,
      MONGO_SERVER_SELECTION_TIMEOUT_MS: '1500',
      MONGO_DB: `fault_${name}_${randomBytes(3).toString('hex')}`,
      REDIS_URL: redis.url,
      KEY_PREFIX: `fault:${name}:`,
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'warn',
      SUPPLIER_LIMITS: JSON.stringify(LIMITS),
      REQUEST_BUDGET_MS: String(BUDGET_MS),
      BRIGHTLINE_URL: sandboxes.get('brightline')!.url,
      BRIGHTLINE_CLIENT_ID: credentials('brightline')['clientId']!,
      BRIGHTLINE_CLIENT_SECRET: credentials('brightline')['clientSecret']!,
      HARBORPROMO_URL: sandboxes.get('harborpromo')!.url,
      HARBORPROMO_ID: credentials('harborpromo')['id']!,
      HARBORPROMO_PASSWORD: credentials('harborpromo')['password']!,
      MAPLECART_URL: sandboxes.get('maplecart')!.url,
      MAPLECART_ACCESS_TOKEN: credentials('maplecart')['accessToken']!,
      OUTBOUND_ALLOW_LOOPBACK_HTTP: 'true',
      BRIGHTLINE_POLL_INTERVAL_MS: '0',
      HARBORPROMO_POLL_INTERVAL_MS: '0',
      MAPLECART_POLL_INTERVAL_MS: '0',
      RECONCILE_INTERVAL_MS: '0',
      PARTNER_RATE_PER_SECOND: '0',
      PARTNER_SUPPLIER_SHARE: '1',
      ...extraEnv,
      ...Object.assign({}, ...[...observers].map((o) => o.env ?? {})),
    };
    const watching = [...observers];
    // Seed through the real importer and the one stock update path, as the stack's initial sync would.
    const config = loadConfig(env);
    const log = silentLogger();
    const stores = await openStores({ mongoUrl: config.mongoUrl, mongoDb: config.mongoDb, redisUrl: config.redisUrl, keyPrefix: config.keyPrefix }, log);
    let skus: string[];
    try {
      const suppliers = await openSuppliers({ config, rateLimits: stores.rateLimits, metrics: createMetrics({ defaultMetrics: false }), log });
      try {
        const connectors = [...suppliers.connectors.values()];
        const seeded = await seedFewProducts({ connectors, catalog: stores.catalog, log, perSupplier: 3 });
        skus = [...new Set([...seeded.values()].flat())].sort();
        const updater = createStockUpdater({ stock: stores.stock, cache: stores.cache, events: stores.events, log });
        await snapshotStock({ connectors, catalog: stores.catalog, updater, log });
      } finally {
        await suppliers.close();
      }
    } finally {
      await stores.close();
    }
    stack = await startStackProcess(name, env);
    // An orderable product (sellable stock) and a brightline supplier SKU, as a client would find them.
    let orderSku: string | undefined;
    let brightlineSku: string | undefined;
    for (const sku of skus) {
      const { json } = await postGraphql(stack.graphqlUrl, { query: 'query($sku: ID!) { product(sku: $sku) { stock { available } supplierSkus { supplier supplierSku } } }', variables: { sku } });
      const product = json.data?.product;
      if (orderSku === undefined && product?.stock?.available > 0) orderSku = sku;
      brightlineSku ??= product?.supplierSkus?.find((m: { supplier: string }) => m.supplier === 'brightline')?.supplierSku;
    }
    if (orderSku === undefined || brightlineSku === undefined) throw new Error(`seeded products lack an orderable one or a brightline SKU: ${skus.join(', ')}`);
    let running = stack;
    const stopped: StackProcess[] = [];
    const setting: OutageSetting = {
      env,
      redis,
      mongo,
      get stack() {
        return running;
      },
      stopped,
      restartStack: async () => {
        await running.stop();
        stopped.push(running);
        running = await startStackProcess(name, env);
        stack = running;
        return running;
      },
      sandboxes,
      skus,
      orderSku,
      brightlineSku,
      supplierOrders: () => [...sandboxes.values()].reduce((n, s) => n + s.orders().length, 0),
      close: async () => {
        try {
          for (const observer of watching) await observer.afterRow?.(setting);
        } finally {
          await close();
        }
      },
    };
    return setting;
  } catch (error) {
    await close();
    throw error;
  }
}

/** One client request, timed, with what a dashboard would count. */
export interface Answer {
  readonly at: number;
  readonly ms: number;
  readonly status: number;
  readonly json: any;
  /** extensions.code of every error, in order. */
  readonly codes: string[];
}

export async function timedPost(url: string, body: unknown): Promise<Answer> {
  const at = performance.now();
  const { status, json } = await postGraphql(url, body);
  const codes = ((json?.errors ?? []) as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code ?? 'NO_CODE');
  return { at, ms: performance.now() - at, status, json, codes };
}

const OFFER = '__typename id available stale';

/** What a storefront asks for a product page: the product, its stock and offers, and who is asking. */
export const readProduct = (url: string, sku: string): Promise<Answer> =>
  timedPost(url, { query: `query($sku: ID!) { viewer { tenant } product(sku: $sku) { sku title stock { available } offers { ${OFFER} } } }`, variables: { sku } });

/** Data that needs no database: the caller, one supplier's live offer by its own SKU, and the suppliers' status. */
export const readSupplierOnly = (url: string, brightlineSku: string): Promise<Answer> =>
  timedPost(url, { query: `query($s: String!) { viewer { tenant } brightlineOffer(supplierSku: $s) { ${OFFER} } suppliers { name health } }`, variables: { s: brightlineSku } });

export const placeOrder = (url: string, idempotencyKey: string, sku: string): Promise<Answer> =>
  timedPost(url, {
    query: 'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status placement { inProgress } subOrders { supplier state supplierOrderId } } }',
    variables: { input: { idempotencyKey, shipTo: SHIP_TO, lines: [{ sku, quantity: 1 }] } },
  });

export const readOrders = (url: string): Promise<Answer> =>
  timedPost(url, { query: '{ orders(first: 200) { nodes { id idempotencyKey status subOrders { supplier state supplierOrderId } } } }' });

export async function readiness(gatewayUrl: string): Promise<{ status: number; body: any; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${gatewayUrl}/readyz`);
  return { status: response.status, body: await response.json(), ms: performance.now() - started };
}

/** Runs `read` back to back on `concurrency` loops for `ms`; every answer in order of start. */
export async function readFor(ms: number, read: (i: number) => Promise<Answer>, concurrency = 2): Promise<Answer[]> {
  const until = performance.now() + ms;
  const answers: Answer[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      for (let i = loop; performance.now() < until; i += concurrency) answers.push(await read(i));
    }),
  );
  return answers.sort((a, b) => a.at - b.at);
}

/** Milliseconds from `since` until `ok` holds for an answer of `read` (polled back to back), or throws after `timeoutMs`. */
export async function recoveredAfter(since: number, read: () => Promise<Answer>, ok: (a: Answer) => boolean, timeoutMs: number): Promise<{ ms: number; last: Answer }> {
  for (;;) {
    const answer = await read();
    if (ok(answer)) return { ms: performance.now() - since, last: answer };
    if (performance.now() - since > timeoutMs) throw new Error(`not recovered within ${timeoutMs} ms; last: ${JSON.stringify(answer.json).slice(0, 1_000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One answer, short enough for an assertion message. */
export const briefAnswer = (a: Answer): string => JSON.stringify({ status: a.status, ms: Math.round(a.ms), codes: a.codes, json: a.json }).slice(0, 1_500);
