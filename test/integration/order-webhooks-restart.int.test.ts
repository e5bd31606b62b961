/**
 * Outbound order webhooks across a restart, as the stack wires them (stack/orders.ts): endpoints from
 * ORDER_WEBHOOK_ENDPOINTS, the delivery log in the stores (MongoDB with MONGO_URL, else embedded), and a starting
 * process resuming what a stopped one left pending. The first "process" gets a 500 and stops before its retry; the
 * second opens its own stores on the same database and delivers with the same webhook-id.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../adapters/storage/open-stores.ts';
import { silentLogger } from '../../platform/logger.ts';
import { startStackOrders } from '../../stack/orders.ts';
import { createBufferPolicy } from '../../subgraphs/inventory/buffer-policy.ts';
import { createReservationService } from '../../subgraphs/inventory/reservations.ts';
import { createStockUpdater } from '../../subgraphs/inventory/stock-updater.ts';
import { verifyStandardWebhook } from '../../subgraphs/orders/outbound/standard-webhooks.ts';
import { testConfig } from '../support/stack-env.ts';
import { cleanUpTestData } from '../support/test-data.ts';

const log = silentLogger();
const SECRET = `whsec_${Buffer.from('restart-suite-merchant-secret-32b').toString('base64')}`;

describe(`order webhooks survive a restart (${process.env.MONGO_URL ? 'MongoDB' : 'embedded stores'})`, () => {
  let merchantUp = false; // 500 until the second process runs
  const received: { id: string; timestamp: string; signature: string; body: string }[] = [];
  let server: Server;
  let config: ReturnType<typeof testConfig>;
  let shared: Stores | undefined; // embedded mode: a restart keeps nothing but what a shared store would

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ id: String(req.headers['webhook-id']), timestamp: String(req.headers['webhook-timestamp']), signature: String(req.headers['webhook-signature']), body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(merchantUp ? 204 : 500).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    config = testConfig({ ORDER_WEBHOOK_ENDPOINTS: JSON.stringify([{ id: 'merchant', tenant: 'acme', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, secret: SECRET }]) });
    if (!config.mongoUrl) shared = await openStores({}, log);
  });

  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await shared?.close();
    if (config) await cleanUpTestData(config);
  });

  /** One "process": its own stores (on the shared database) and the order flow as the stack starts it. */
  async function startProcess() {
    const stores = shared ?? (await openStores({ mongoUrl: config.mongoUrl, mongoDb: config.mongoDb }, log));
    const updater = createStockUpdater({ stock: stores.stock, cache: stores.cache, events: stores.events, log });
    const flow = startStackOrders({
      config,
      log,
      stores,
      reservations: createReservationService({ reservations: stores.reservations, updater, buffers: createBufferPolicy(), log }),
      connectors: new Map(),
      loopMs: 0,
    });
    return { stores, flow, stop: async () => { await flow.close(); if (stores !== shared) await stores.close(); } };
  }

  it('a delivery pending when one process stops is delivered by the next one at start, same webhook-id', async () => {
    const first = await startProcess();
    first.flow.webhooks.publish('acme', 'order.status_changed', 'o1:shipped', { orderId: 'o1', status: 'shipped' });
    for (let i = 0; i < 400 && ((await first.stores.orderWebhookDeliveries.list('acme'))[0]?.attempts.length ?? 0) === 0; i += 1) await new Promise((r) => setTimeout(r, 25));
    await first.stop(); // its retry timer dies with it
    const between = shared ?? (await openStores({ mongoUrl: config.mongoUrl, mongoDb: config.mongoDb }, log));
    const [pending] = await between.orderWebhookDeliveries.list('acme');
    expect(pending).toMatchObject({ endpointId: 'merchant', state: 'pending' });
    expect(pending!.attempts.length).toBeGreaterThan(0);
    expect(pending!.attempts.every((a) => a.status === 500)).toBe(true);
    const sentBefore = received.length;
    // Make the retry due now rather than waiting out the backoff: the next start takes it at once.
    await between.orderWebhookDeliveries.update({ ...pending!, nextAttemptAt: new Date().toISOString() });
    if (between !== shared) await between.close();
    merchantUp = true;

    const second = await startProcess();
    try {
      let done;
      for (let i = 0; i < 400; i += 1) {
        [done] = await second.stores.orderWebhookDeliveries.list('acme');
        if (done?.state !== 'pending') break;
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(done).toMatchObject({ state: 'delivered', nextAttemptAt: null });
      expect(done!.attempts.map((a) => a.status)).toEqual([...pending!.attempts.map(() => 500), 204]);
    } finally {
      await second.stop();
    }
    expect(received).toHaveLength(sentBefore + 1);
    expect(new Set(received.map((r) => r.id)).size).toBe(1);
    for (const r of received) expect(verifyStandardWebhook(SECRET, r, r.body, Math.floor(Date.now() / 1000))).toBe(true);
  }, 60_000);
});
