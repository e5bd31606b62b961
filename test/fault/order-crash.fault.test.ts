/**
 * docs/orders.md acceptance: "a process killed after a supplier accepted a sub-order but before we stored the
 * acknowledgement → after restart, exactly one supplier order exists and the order reaches the right state", with a
 * real OS kill. Process A (order-crash-process.ts) has its harborpromo connector wrapped by a test-only decorator
 * that SIGKILLs A as soon as the supplier's placeOrder returns. Then a fresh process B on the same MongoDB-protocol
 * database, Redis and sandboxes resumes the order from its stored state through its own resume loop.
 *
 * The sandboxes live in this (the parent) process, so the supplier's memory survives both stack processes, as a
 * real supplier's would. The SOAP supplier (PromoStandards `sendPO`) is the one whose "already exists" answer the
 * resumed submit has to recognise (a duplicate-PO service message, read back by status).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores } from '../../adapters/storage/open-stores.ts';
import { loadConfig } from '../../platform/config.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { OrderRecord } from '../../platform/ports/order-store.ts';
import type { SupplierSandbox } from '../../sandboxes/shared/sandbox.ts';
import { startSandbox } from '../../stack/sandboxes.ts';
import { publishedLimitsOf, sandboxLimitsOf } from '../../stack/supplier-limits.ts';
import { SUPPLIERS } from '../../platform/supplier-registry.ts';
import { newProduct } from '../contract/catalog-store.contract.ts';
import { postGraphql } from '../support/stack-env.ts';
import { cleanUpTestData } from '../support/test-data.ts';

const { REDIS_URL, MONGO_URL } = process.env;
const ENTRY = path.resolve(import.meta.dirname, 'order-crash-process.ts');
const ROOT = path.resolve(import.meta.dirname, '../..');
const VICTIM = 'harborpromo';
const SKU = 'DS-CRASH-SOAP';
const SHIP_TO = { name: 'Crash Test', line1: '1 Test Way', city: 'Portland', region: 'OR', postalCode: '97201', country: 'US' };
const PLACE = 'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }';

type Stores = Awaited<ReturnType<typeof openStores>>;

interface Child {
  readonly lines: Record<string, unknown>[];
  readonly logs: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly graphqlUrl: string;
  stop(): Promise<void>;
}

async function startChild(name: string, env: Record<string, string>, args: string[]): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const logs: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => logs.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 90 s; logs: ${logs.slice(-20).join('\n')}`)), 90_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      lines.push(parsed);
      if (typeof parsed['graphqlUrl'] === 'string') {
        clearTimeout(timer);
        resolve(parsed['graphqlUrl']);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before it started; logs: ${logs.slice(-20).join('\n')}`));
    });
  });
  const graphqlUrl = await ready;
  return {
    lines,
    logs,
    exited,
    graphqlUrl,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(!REDIS_URL || !MONGO_URL)('an order process killed by the OS between the supplier\'s ack and storing it', () => {
  const id = randomBytes(4).toString('hex');
  const dbName = `order_crash_${id}`;
  const keyPrefix = `order-crash:${id}:`;
  const sandboxes = new Map<string, SupplierSandbox>();
  const children: Child[] = [];
  let env: Record<string, string>;
  let stores: Stores;

  beforeAll(async () => {
    for (const supplier of SUPPLIERS) {
      sandboxes.set(supplier.slug, await startSandbox(supplier.protocol, { port: 0, host: '127.0.0.1', ...sandboxLimitsOf(publishedLimitsOf(supplier.slug)) }));
    }
    const credentials = (slug: string) => sandboxes.get(slug)!.credentials;
    env = {
      MONGO_URL: MONGO_URL!,
      MONGO_DB: dbName,
      REDIS_URL: REDIS_URL!,
      KEY_PREFIX: keyPrefix,
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'warn',
      // Both processes must open the customer data the other sealed, as any two processes of one deployment do.
      SECRETS_KEK: `crash-test:${randomBytes(32).toString('base64')}`,
      BRIGHTLINE_URL: sandboxes.get('brightline')!.url,
      BRIGHTLINE_CLIENT_ID: credentials('brightline')['clientId']!,
      BRIGHTLINE_CLIENT_SECRET: credentials('brightline')['clientSecret']!,
      HARBORPROMO_URL: sandboxes.get('harborpromo')!.url,
      HARBORPROMO_ID: credentials('harborpromo')['id']!,
      HARBORPROMO_PASSWORD: credentials('harborpromo')['password']!,
      MAPLECART_URL: sandboxes.get('maplecart')!.url,
      MAPLECART_ACCESS_TOKEN: credentials('maplecart')['accessToken']!,
      OUTBOUND_ALLOW_LOOPBACK_HTTP: 'true',
      // No background supplier traffic: only the order's own calls reach the sandboxes.
      BRIGHTLINE_POLL_INTERVAL_MS: '0',
      HARBORPROMO_POLL_INTERVAL_MS: '0',
      MAPLECART_POLL_INTERVAL_MS: '0',
      RECONCILE_INTERVAL_MS: '0',
    };
    const config = loadConfig(env);
    stores = await openStores({ mongoUrl: config.mongoUrl, mongoDb: config.mongoDb, redisUrl: config.redisUrl, keyPrefix: config.keyPrefix }, silentLogger());
    // One product carried by the SOAP supplier only, with stock both in our canonical store and at the supplier.
    const soap = sandboxes.get(VICTIM)!;
    const supplierSku = soap.supplierSkus().find((s) => (soap.stockOf(s) ?? 0) > 0)!;
    expect(supplierSku).toBeDefined();
    soap.driftStock(supplierSku, 500);
    await stores.catalog.insert(newProduct(SKU, { title: 'Crash test product', suppliers: [{ supplier: VICTIM, supplierSku }] }));
    const applied = await stores.stock.applyReport({ sku: SKU, supplier: VICTIM, supplierSku, onHand: 5, supplierAsOf: new Date().toISOString() }, 0);
    expect(applied.outcome).toBe('applied');
  }, 120_000);

  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop()));
    await stores?.close();
    await Promise.all([...sandboxes.values()].map((s) => s.close()));
    await cleanUpTestData({ mongoUrl: MONGO_URL, mongoDb: dbName, redisUrl: REDIS_URL, keyPrefix });
  }, 60_000);

  it('after the restart the supplier holds exactly one order for the sub-order, and the order is submitted with it', async () => {
    const soap = sandboxes.get(VICTIM)!;
    const heldUnder = (key: string) => soap.orders().filter((o) => JSON.stringify(o).includes(key));
    const idempotencyKey = `crash-${id}`;

    // Process A places the order and is killed by the OS right after the supplier accepted the sub-order.
    const a = await startChild('A', env, ['--kill-after-place', VICTIM]);
    children.push(a);
    const placing = postGraphql(a.graphqlUrl, { query: PLACE, variables: { input: { idempotencyKey, shipTo: SHIP_TO, lines: [{ sku: SKU, quantity: 1 }] } } }).then(
      (answer) => ({ answered: answer }),
      (error: unknown) => ({ failed: String(error) }),
    );
    const death = await a.exited;
    expect(death.signal).toBe('SIGKILL');
    expect(await placing).toHaveProperty('failed'); // the client saw the connection drop, not an answer
    const killing = a.lines.find((l) => typeof l['killing'] === 'string');
    expect(killing, 'A died in the decorator, after the supplier answered').toBeDefined();
    const subKey = killing!['killing'] as string;

    // What A left behind: the supplier has the order; our store still says `submitting` (the ack was never stored).
    const left = (await stores.orders.getByIdempotencyKey('default', idempotencyKey))!;
    expect(left).not.toBeNull();
    const leftSub = left.subOrders!.find((s) => s.idempotencyKey === subKey)!;
    expect(leftSub).toMatchObject({ supplier: VICTIM, state: 'submitting', supplierOrderId: null });
    expect(left.workflow).toBe('placing');
    expect(heldUnder(subKey)).toHaveLength(1);
    expect(await stores.stock.get(SKU, VICTIM)).toMatchObject({ reserved: 1, committed: 0 });

    // Process B: a fresh stack on the same database, Redis and suppliers; its own resume loop finds the order.
    const b = await startChild('B', env, ['--loop-ms', '300', '--resume-after-ms', '500']);
    children.push(b);
    const settled = await until<OrderRecord | null>(
      'the resumed order to be submitted',
      () => stores.orders.get('default', left.id),
      (o) => o?.subOrders?.find((s) => s.id === leftSub.id)?.state === 'submitted',
      60_000,
    );
    const sub = settled!.subOrders!.find((s) => s.id === leftSub.id)!;
    expect(heldUnder(subKey)).toHaveLength(1);
    expect(sub).toMatchObject({ state: 'submitted', status: 'submitted', lastError: null });
    // B's resend met the supplier's duplicate-PO Error and read the PO back through Order Status, which names it by
    // its sales order number (it cannot return the transactionId A was acknowledged with): either is that one order.
    const held = heldUnder(subKey)[0] as { transactionId: string; salesOrderNumber: string };
    expect(held.transactionId).toBe(killing!['supplierOrderId']);
    expect([held.transactionId, held.salesOrderNumber]).toContain(sub.supplierOrderId);
    expect(settled).toMatchObject({ status: 'submitted', workflow: 'tracking' });
    expect(settled!.subOrders).toHaveLength(1);
    expect(await stores.stock.get(SKU, VICTIM)).toMatchObject({ reserved: 0, committed: 1 });

    // B answers the client's retry with the same key from the stored order, and sends nothing again.
    const retried = await postGraphql(b.graphqlUrl, { query: PLACE, variables: { input: { idempotencyKey, shipTo: SHIP_TO, lines: [{ sku: SKU, quantity: 1 }] } } });
    expect(retried.json.errors).toBeUndefined();
    expect(retried.json.data.placeOrder.id).toBe(left.id);
    expect(heldUnder(subKey)).toHaveLength(1);
    expect(soap.orders()).toHaveLength(1);
  }, 180_000);
});
