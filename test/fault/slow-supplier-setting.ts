/**
 * The slow and missing supplier rows of the fault matrix (issue 12, point 1), measured once on real processes and
 * shared by slow-supplier.fault.test.ts (which asserts on the observations) and bench:faults (which prints them,
 * bench/fault-rows/supplier-slow.ts and supplier-down.ts).
 *
 * The setting: a private Redis and FerretDB (private-services.ts), the three supplier sandboxes in this process,
 * faulted over their HTTP control routes (POST /__sandbox/faults), a few products imported, and one stack child
 * process (stack-process.ts) with a 1 s attempt deadline and a 3 s request budget. Phases, in order:
 *   1. at start: the stack comes up with harborpromo slow (2 s, twice its attempt deadline) and brightline down,
 *      before any offer was ever read (nothing known): product and page reads;
 *   2. faults lifted: recovery of each, then every offer read fresh (now last known figures exist);
 *   3. mid-traffic slow: reads flow, harborpromo turns slow after 1 s, 6 s more; lifted; recovery;
 *   4. mid-traffic down: reads flow, brightline goes down after 1 s, 5 s more; lifted; recovery.
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
import { SUPPLIERS } from '../../platform/supplier-registry.ts';
import { startPrivateFerretdb, startPrivateRedis, type PrivateService } from './private-services.ts';
import { seedFewProducts } from './seed-catalog.ts';
import { ATTEMPT_DEADLINE_MS, BUDGET_MS, readPage, readProduct, type Read } from './slow-supplier-reads.ts';
import { startStackProcess, type StackProcess } from './stack-processes.ts';

// Generous limits: these rows are about time, not quota; our own limiter must not degrade the healthy suppliers.
const LIMITS: Record<string, SupplierLimitOverride> = {
  brightline: { requests: { limit: 60_000, perSeconds: 60 } },
  harborpromo: { requests: { limit: 60_000, perSeconds: 60 } },
  maplecart: { cost: { maximumAvailable: 1_000_000, restoreRate: 100_000 } },
};
export const BREAKER_OPEN_MS = 2_000;
export const SLOW_MS = 2 * ATTEMPT_DEADLINE_MS;

export interface SupplierFaultObservations {
  readonly budgetMs: number;
  /** Phase 1: harborpromo slow and brightline down since the stack started. */
  readonly atStart: readonly Read[];
  /** Phase 2: every offer read fresh after both faults were lifted. */
  readonly warm: readonly Read[];
  readonly atStartRecoveryMs: { readonly harborpromo: number; readonly brightline: number };
  /** Phase 3: reads while harborpromo turned slow mid-traffic, and its recovery once lifted. */
  readonly slowMid: readonly Read[];
  readonly slowRecoveryMs: number;
  /** Phase 4: reads while brightline went down mid-traffic, and its recovery once lifted. */
  readonly downMid: readonly Read[];
  readonly downRecoveryMs: number;
  /** The stack's log lines (JSON, warn and above). */
  readonly logs: readonly Record<string, unknown>[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function faults(sandbox: SupplierSandbox, knobs: Record<string, unknown> | null): Promise<void> {
  const response = await fetch(`${sandbox.url}/__sandbox/${knobs ? 'faults' : 'reset-faults'}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(knobs ?? {}) });
  if (!response.ok) throw new Error(`${sandbox.url} faults: HTTP ${response.status}`);
}

/** Reads products two at a time (every fifth read the first page) for `ms`, running `during` meanwhile. */
async function traffic(url: string, skus: readonly string[], ms: number, during: () => Promise<void>): Promise<Read[]> {
  const reads: Read[] = [];
  const until = performance.now() + ms;
  const loop = async (offset: number) => {
    for (let i = offset; performance.now() < until; i += 2) reads.push(i % 5 === 4 ? await readPage(url) : await readProduct(url, skus[i % skus.length]!));
  };
  await Promise.all([loop(0), loop(1), during()]);
  return reads;
}

let measured: Promise<SupplierFaultObservations> | undefined;

/** Runs the setting once per process; the slow and the down rows (and the fault test) share the one run. */
export function measureSupplierFaults(): Promise<SupplierFaultObservations> {
  measured ??= run();
  return measured;
}

async function run(): Promise<SupplierFaultObservations> {
  let redis: PrivateService | undefined;
  let mongo: PrivateService | undefined;
  const sandboxes = new Map<string, SupplierSandbox>();
  let stack: StackProcess | undefined;
  try {
    [redis, mongo] = await Promise.all([startPrivateRedis(), startPrivateFerretdb()]);
    for (const supplier of SUPPLIERS) {
      sandboxes.set(supplier.slug, await startSandbox(supplier.protocol, { port: 0, host: '127.0.0.1', ...sandboxLimitsOf(publishedLimitsOf(supplier.slug, LIMITS[supplier.slug])) }));
    }
    const sandbox = (slug: string) => sandboxes.get(slug)!;
    const env: Record<string, string> = {
      MONGO_URL: mongo.url,
      MONGO_DB: `fault_slow_${randomBytes(3).toString('hex')}`,
      REDIS_URL: redis.url,
      KEY_PREFIX: 'fault:slow:',
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'warn',
      SUPPLIER_LIMITS: JSON.stringify(LIMITS),
      SUPPLIER_TIMEOUT_MS: String(ATTEMPT_DEADLINE_MS),
      SUPPLIER_BREAKER_OPEN_MS: String(BREAKER_OPEN_MS),
      REQUEST_BUDGET_MS: String(BUDGET_MS),
      // Every read asks the supplier; the last known value is still kept for degraded reads.
      OFFER_CACHE_TTL_MS: '0',
      BRIGHTLINE_URL: sandbox('brightline').url,
      BRIGHTLINE_CLIENT_ID: sandbox('brightline').credentials['clientId']!,
      BRIGHTLINE_CLIENT_SECRET: sandbox('brightline').credentials['clientSecret']!,
      HARBORPROMO_URL: sandbox('harborpromo').url,
      HARBORPROMO_ID: sandbox('harborpromo').credentials['id']!,
      HARBORPROMO_PASSWORD: sandbox('harborpromo').credentials['password']!,
      MAPLECART_URL: sandbox('maplecart').url,
      MAPLECART_ACCESS_TOKEN: sandbox('maplecart').credentials['accessToken']!,
      OUTBOUND_ALLOW_LOOPBACK_HTTP: 'true',
      BRIGHTLINE_POLL_INTERVAL_MS: '0',
      HARBORPROMO_POLL_INTERVAL_MS: '0',
      MAPLECART_POLL_INTERVAL_MS: '0',
      RECONCILE_INTERVAL_MS: '0',
      PARTNER_RATE_PER_SECOND: '0',
      PARTNER_SUPPLIER_SHARE: '1',
    };
    const config = loadConfig(env);
    const log = silentLogger();
    const stores = await openStores({ mongoUrl: config.mongoUrl, mongoDb: config.mongoDb, redisUrl: config.redisUrl, keyPrefix: config.keyPrefix }, log);
    let bySupplier: Map<string, string[]>;
    try {
      const suppliers = await openSuppliers({ config, rateLimits: stores.rateLimits, metrics: createMetrics({ defaultMetrics: false }), log });
      try {
        bySupplier = await seedFewProducts({ connectors: [...suppliers.connectors.values()], catalog: stores.catalog, log, perSupplier: 6 });
      } finally {
        await suppliers.close();
      }
    } finally {
      await stores.close();
    }
    const skus = [...new Set([...bySupplier.values()].flat())].sort();
    for (const slug of ['brightline', 'harborpromo']) if ((bySupplier.get(slug) ?? []).length === 0) throw new Error(`no product of ${slug} seeded`);

    // The faulted supplier back: how long until its offers are live again (its breaker probes after BREAKER_OPEN_MS).
    const recovery = async (slug: string): Promise<number> => {
      const back = performance.now();
      const offerType = SUPPLIERS.find((s) => s.slug === slug)!.offerType;
      const sku = bySupplier.get(slug)![0]!;
      while (performance.now() - back < BREAKER_OPEN_MS + 10_000) {
        const offers = (await readProduct(stack!.graphqlUrl, sku)).offers.filter((o) => o.__typename === offerType);
        if (offers.length > 0 && offers.every((o) => o.stale === false && typeof o.available === 'number')) return Math.round(performance.now() - back);
        await sleep(100);
      }
      return Number.POSITIVE_INFINITY;
    };

    // 1. At start.
    await faults(sandbox('harborpromo'), { latencyMs: SLOW_MS });
    await faults(sandbox('brightline'), { down: true });
    stack = await startStackProcess('slow-supplier', env);
    const url = stack.graphqlUrl;
    const atStart = [await readPage(url), ...(await Promise.all(skus.map((sku) => readProduct(url, sku))))];

    // 2. Lifted; every offer read fresh.
    await Promise.all([faults(sandbox('harborpromo'), null), faults(sandbox('brightline'), null)]);
    const atStartRecoveryMs = { harborpromo: await recovery('harborpromo'), brightline: await recovery('brightline') };
    const warm = [await readPage(url), ...(await Promise.all(skus.map((sku) => readProduct(url, sku))))];

    // 3. Slow mid-traffic.
    const slowMid = await traffic(url, skus, 7_000, async () => {
      await sleep(1_000);
      await faults(sandbox('harborpromo'), { latencyMs: SLOW_MS });
    });
    await faults(sandbox('harborpromo'), null);
    const slowRecoveryMs = await recovery('harborpromo');

    // 4. Down mid-traffic.
    const downMid = await traffic(url, skus, 6_000, async () => {
      await sleep(1_000);
      await faults(sandbox('brightline'), { down: true });
    });
    await faults(sandbox('brightline'), null);
    const downRecoveryMs = await recovery('brightline');

    return { budgetMs: BUDGET_MS, atStart, warm, atStartRecoveryMs, slowMid, slowRecoveryMs, downMid, downRecoveryMs, logs: [...stack.logs] };
  } finally {
    await stack?.stop();
    await Promise.all([...sandboxes.values()].map((s) => s.close()));
    await Promise.all([redis?.close(), mongo?.close()]);
  }
}
