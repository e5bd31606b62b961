/**
 * The stack under attack and its three suppliers. Each supplier is its bundled sandbox (this process) behind a
 * hostile server (this process); the suppliers file of the stack names the hostile servers as the suppliers' URLs.
 * The stack is one child process (stack-process.ts: embedded stores, everything in one process as `npm start` runs
 * it), so its RSS and its log lines are its own, and the probes measure it from outside, over HTTP.
 *
 * Settings that differ from `npm start`, and why:
 * - OFFER_CACHE_TTL_MS=0: every product query asks the suppliers, so a probe measures a real supplier round trip
 *   and every attack query reaches the hostile server (last known figures are still kept for degraded reads);
 * - SUPPLIER_BREAKER_OPEN_MS=1000: an opened breaker lets the next call through after a second, so the attack keeps
 *   reaching the stack while it runs, and the next test starts with a closed breaker;
 * - published limits raised (the sandboxes enforce none): the probes (10/s) must not be throttled by the limits
 *   of the demo file, which would measure our rate limiter instead of isolation;
 * - polling off: only the suite's queries reach the suppliers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DEFAULT_SUPPLIERS_FILE, type SupplierEntry } from '../../../platform/suppliers-file.ts';
import { createGraphqlSandbox } from '../../../sandboxes/graphql/index.ts';
import { createRestSandbox, DEFAULT_CREDENTIALS } from '../../../sandboxes/rest/index.ts';
import type { SupplierSandbox } from '../../../sandboxes/shared/sandbox.ts';
import { createSoapSandbox } from '../../../sandboxes/soap/index.ts';
import { postGraphql } from '../../support/stack-env.ts';
import { createHostileServer, type HostileServer } from './hostile-server.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

export type Slug = 'brightline' | 'harborpromo' | 'maplecart';
export const SLUGS: readonly Slug[] = ['brightline', 'harborpromo', 'maplecart'];

export interface LogLine {
  /** performance.now() of this process when the line arrived. */
  readonly at: number;
  readonly text: string;
}

export interface CatalogProduct {
  readonly sku: string;
  /** Offer ids (`<slug>:<supplierSku>`) by supplier. */
  readonly offers: ReadonlyMap<string, string>;
}

export interface HostileStack {
  readonly graphqlUrl: string;
  readonly gatewayUrl: string;
  /** `<inventory subgraph>/webhooks/` (append the supplier slug). */
  readonly webhookBase: string;
  readonly pid: number;
  readonly sandboxes: ReadonlyMap<Slug, SupplierSandbox>;
  readonly hostile: ReadonlyMap<Slug, HostileServer>;
  /** Every log line of the stack so far. */
  readonly logs: readonly LogLine[];
  readonly catalog: readonly CatalogProduct[];
  /** The stack process's resident set, in bytes (/proc/<pid>/status VmRSS). */
  rssBytes(): number;
  /** The stack's longest event-loop stall since the last call, in ms (its own measure: not the machine's load). */
  loopDelayMaxMs(): Promise<number>;
  /** Whether the process is still running (a crash is a failure of every attack). */
  alive(): boolean;
  close(): Promise<void>;
}

export const WEBHOOK_SECRET = 'whsec_hostile_suite_0123456789abcdef';
const HARBOR = { id: 'hostile-suite-account', password: 'hostile-suite-password' };
const MAPLECART_TOKEN = 'shpat_hostile_suite_0123456789abcdef';
const LIMITS = { requests: { limit: 100_000, perSeconds: 60, burst: 5_000 }, maxConcurrent: 16 };
const COST = { maximumAvailable: 200_000, restoreRate: 20_000 };

function suppliersFile(urls: ReadonlyMap<Slug, string>): unknown {
  const demo = JSON.parse(readFileSync(DEFAULT_SUPPLIERS_FILE, 'utf8')) as { suppliers: SupplierEntry[] };
  return {
    suppliers: demo.suppliers.map(({ sandbox: _bundled, ...entry }) => ({
      ...entry,
      url: urls.get(entry.slug as Slug),
      pollIntervalMs: 0,
      limits:
        entry.family === 'maplecart-graphql'
          ? { ...entry.limits, ...LIMITS, cost: COST }
          : // Brightline's per-endpoint catalog bucket (120 an hour) goes with its operation table.
            LIMITS,
    })),
  };
}

function childEnv(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    // Embedded stores (as `npm start` without them), and no supplier setting from the caller's shell.
    if (value === undefined || /^(MONGO_|REDIS_|KEY_PREFIX|SUPPLIERS_FILE|BRIGHTLINE_|HARBORPROMO_|MAPLECART_|AUTH_|HOST$)/.test(name)) continue;
    env[name] = value;
  }
  return {
    ...env,
    GATEWAY_PORT: '0',
    // As `npm start` on a developer's machine: loopback, requests without a token are the built-in admin.
    AUTH_MODE: 'dev',
    LOG_LEVEL: 'info',
    SUPPLIERS_FILE: file,
    OUTBOUND_ALLOW_LOOPBACK_HTTP: 'true',
    OFFER_CACHE_TTL_MS: '0',
    SUPPLIER_BREAKER_OPEN_MS: '1000',
    RECONCILE_INTERVAL_MS: '0',
    BRIGHTLINE_CLIENT_ID: DEFAULT_CREDENTIALS.clientId,
    BRIGHTLINE_CLIENT_SECRET: DEFAULT_CREDENTIALS.clientSecret,
    BRIGHTLINE_WEBHOOK_SECRETS: WEBHOOK_SECRET,
    MAPLECART_WEBHOOK_SECRETS: WEBHOOK_SECRET,
    HARBORPROMO_ID: HARBOR.id,
    HARBORPROMO_PASSWORD: HARBOR.password,
    MAPLECART_ACCESS_TOKEN: MAPLECART_TOKEN,
  };
}

interface Started {
  graphqlUrl: string;
  webhookBase: string;
  pendingSuppliers: string[];
}

function spawnStack(env: Record<string, string>, logs: LogLine[]): Promise<{ child: ChildProcess; started: Started }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/security/hostile/stack-process.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  createInterface({ input: child.stderr! }).on('line', (text) => logs.push({ at: performance.now(), text }));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the stack did not start within 90 s'));
    }, 90_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the stack exited with ${code} before it listened:\n${logs.slice(-20).map((l) => l.text).join('\n')}`));
    });
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve({ child, started: JSON.parse(line) as Started });
    });
  });
}

async function readCatalog(graphqlUrl: string): Promise<CatalogProduct[]> {
  const products: CatalogProduct[] = [];
  let after: string | null = null;
  do {
    // Offer ids only: resolved by the inventory subgraph, no supplier is asked.
    const { json } = await postGraphql(graphqlUrl, {
      query: 'query($after: String) { productPage(first: 100, after: $after) { nodes { sku offers { id } } pageInfo { hasNextPage endCursor } } }',
      variables: { after },
    });
    if (json.errors) throw new Error(`catalog read failed: ${JSON.stringify(json.errors).slice(0, 500)}`);
    const page = json.data.productPage as { nodes: { sku: string; offers: { id: string }[] }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    for (const node of page.nodes) products.push({ sku: node.sku, offers: new Map(node.offers.map((o) => [o.id.split(':')[0]!, o.id])) });
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after !== null);
  return products;
}

export async function startHostileStack(): Promise<HostileStack> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hostile-suppliers-'));
  const sandboxes = new Map<Slug, SupplierSandbox>([
    ['brightline', await createRestSandbox({})],
    ['harborpromo', await createSoapSandbox({ credentials: HARBOR })],
    ['maplecart', await createGraphqlSandbox({ accessToken: MAPLECART_TOKEN, costBudget: COST })],
  ]);
  const hostile = new Map<Slug, HostileServer>();
  for (const [slug, sandbox] of sandboxes) hostile.set(slug, await createHostileServer(sandbox.url));
  const file = path.join(dir, 'suppliers.json');
  writeFileSync(file, JSON.stringify(suppliersFile(new Map([...hostile].map(([slug, h]) => [slug, h.url]))), null, 2));

  const logs: LogLine[] = [];
  const { child, started } = await spawnStack(childEnv(file), logs);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    for (const h of hostile.values()) await h.close();
    for (const s of sandboxes.values()) await s.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (started.pendingSuppliers.length > 0) throw new Error(`suppliers not imported through their hostile servers: ${started.pendingSuppliers.join(', ')}`);
    const catalog = await readCatalog(started.graphqlUrl);
    return {
      graphqlUrl: started.graphqlUrl,
      gatewayUrl: started.graphqlUrl.replace(/\/graphql$/, ''),
      webhookBase: started.webhookBase,
      pid: child.pid!,
      sandboxes,
      hostile,
      logs,
      catalog,
      rssBytes: () => {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) * 1024;
      },
      loopDelayMaxMs: () =>
        new Promise<number>((resolve) => {
          const timer = setTimeout(() => resolve(Number.NaN), 5_000);
          child.once('message', (m: { loopDelayMaxMs?: number }) => {
            clearTimeout(timer);
            resolve(m.loopDelayMaxMs ?? Number.NaN);
          });
          child.send('loop-delay');
        }),
      alive: () => child.exitCode === null && child.signalCode === null,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A product offered by `supplier` and not by any of `not` (its offer id), or a clear failure. */
export function productOf(stack: HostileStack, supplier: Slug, not: readonly Slug[]): CatalogProduct {
  const found = stack.catalog.find((p) => p.offers.has(supplier) && not.every((s) => !p.offers.has(s)));
  if (!found) throw new Error(`no product of ${supplier} without ${not.join(', ')} in the imported catalog`);
  return found;
}
