import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryWebhookDeliveryLog } from '../../../adapters/storage/memory/webhook-delivery-log.ts';
import { silentLogger } from '../../../platform/logger.ts';
import { verifyStandardWebhook } from './standard-webhooks.ts';
import { createWebhookDispatcher } from './webhook-dispatcher.ts';

const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const OLD_SECRET = `whsec_${Buffer.from('fedcba9876543210fedcba9876543210').toString('base64')}`;
const verify = (secret: string, r: Received) =>
  verifyStandardWebhook(secret, { id: r.headers['webhook-id']!, timestamp: r.headers['webhook-timestamp']!, signature: r.headers['webhook-signature']! }, r.body, Math.floor(Date.now() / 1000));

interface Received {
  headers: Record<string, string>;
  body: string;
}

async function receiver(answers: number[]): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answers.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, server };
}

describe('order webhook dispatcher', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((r) => server?.close(r));
  });

  it('signs per Standard Webhooks, retries a 500 with the same webhook-id, and logs every attempt', async () => {
    const hook = await receiver([500, 503, 204]);
    server = hook.server;
    const dispatcher = createWebhookDispatcher({ endpoints: [{ id: 'ep1', tenant: 't1', url: hook.url, secret: SECRET }], log: silentLogger(), deliveries: createMemoryWebhookDeliveryLog(), baseDelayMs: 20 });
    dispatcher.publish('t1', 'order.status_changed', 'o1:shipped', { orderId: 'o1', status: 'shipped' });
    dispatcher.publish('t2', 'order.status_changed', 'o2:shipped', { orderId: 'o2' }); // no endpoint for t2
    await dispatcher.idle();

    expect(hook.received).toHaveLength(3);
    const ids = new Set(hook.received.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    for (const r of hook.received) {
      const ok = verifyStandardWebhook(SECRET, { id: r.headers['webhook-id']!, timestamp: r.headers['webhook-timestamp']!, signature: r.headers['webhook-signature']! }, r.body, Math.floor(Date.now() / 1000));
      expect(ok).toBe(true);
      expect(JSON.parse(r.body)).toMatchObject({ type: 'order.status_changed', data: { orderId: 'o1', status: 'shipped' } });
    }
    const [log] = await dispatcher.deliveries.list('t1');
    expect(log).toMatchObject({ state: 'delivered', endpointId: 'ep1' });
    expect(log!.attempts.map((a) => a.status)).toEqual([500, 503, 204]);
    expect(await dispatcher.deliveries.list('t2')).toEqual([]);
    dispatcher.close();
  });

  it('gives up after maxAttempts and marks the delivery failed', async () => {
    const hook = await receiver([500, 500, 500]);
    server = hook.server;
    const dispatcher = createWebhookDispatcher({ endpoints: [{ id: 'ep1', tenant: 't1', url: hook.url, secret: SECRET }], log: silentLogger(), deliveries: createMemoryWebhookDeliveryLog(), baseDelayMs: 10, maxAttempts: 2 });
    dispatcher.publish('t1', 'order.status_changed', 'o1:accepted', {});
    await dispatcher.idle();
    const [log] = await dispatcher.deliveries.list('t1');
    expect(log).toMatchObject({ state: 'failed' });
    expect(log!.attempts).toHaveLength(2);
    dispatcher.close();
  });

  it('signs with every secret of a rotation (either verifies), sends only subscribed events, records a repeated event once', async () => {
    const hook = await receiver([]);
    server = hook.server;
    const endpoints = [
      { id: 'rotating', tenant: 't1', url: hook.url, secrets: [SECRET, OLD_SECRET] },
      { id: 'other-events', tenant: 't1', url: hook.url, secret: SECRET, events: ['order.created'] },
    ];
    const dispatcher = createWebhookDispatcher({ endpoints, log: silentLogger(), deliveries: createMemoryWebhookDeliveryLog(), baseDelayMs: 10 });
    dispatcher.publish('t1', 'order.status_changed', 'o1:accepted', { orderId: 'o1' });
    await dispatcher.idle();
    dispatcher.publish('t1', 'order.status_changed', 'o1:accepted', { orderId: 'o1' }); // same event again
    await dispatcher.idle();
    expect(hook.received).toHaveLength(1);
    const [r] = hook.received;
    expect(r!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(verify(SECRET, r!)).toBe(true);
    expect(verify(OLD_SECRET, r!)).toBe(true);
    const log = await dispatcher.deliveries.list('t1');
    expect(log.map((d) => [d.endpointId, d.state, d.attempts.length])).toEqual([['rotating', 'delivered', 1]]);
    dispatcher.close();
  });

  it('a delivery left pending when a dispatcher stops is resumed from the log by the next one', async () => {
    const hook = await receiver([503]);
    server = hook.server;
    const deliveries = createMemoryWebhookDeliveryLog();
    const endpoints = [{ id: 'ep1', tenant: 't1', url: hook.url, secret: SECRET }];
    let clock = Date.now();
    const first = createWebhookDispatcher({ endpoints, log: silentLogger(), deliveries, baseDelayMs: 60_000, now: () => clock });
    first.publish('t1', 'order.status_changed', 'o1:shipped', { orderId: 'o1' });
    for (let i = 0; i < 200 && (await deliveries.list('t1'))[0]?.attempts.length !== 1; i += 1) await new Promise((r) => setTimeout(r, 5));
    first.close(); // the process stops; its retry timer dies with it
    const [pending] = await deliveries.list('t1');
    expect(pending).toMatchObject({ state: 'pending', attempts: [{ status: 503 }] });
    expect(Date.parse(pending!.nextAttemptAt!)).toBeGreaterThanOrEqual(clock + 30_000); // 60 s ± 50 %

    clock = Date.parse(pending!.nextAttemptAt!); // the next process starts when the retry is due
    const second = createWebhookDispatcher({ endpoints, log: silentLogger(), deliveries, baseDelayMs: 10, now: () => clock });
    expect(await second.resume()).toBe(1);
    await second.idle();
    const [done] = await deliveries.list('t1');
    expect(done).toMatchObject({ state: 'delivered', nextAttemptAt: null });
    expect(done!.attempts.map((a) => a.status)).toEqual([503, 200]);
    expect(new Set(hook.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    second.close();
  });

  it('a pending delivery whose endpoint is no longer configured is marked failed on resume, and says why', async () => {
    const deliveries = createMemoryWebhookDeliveryLog();
    await deliveries.create({ id: 'msg_x', endpointId: 'gone', tenant: 't1', eventType: 'order.status_changed', eventKey: 'o1:shipped', body: '{}', state: 'pending', attempts: [], createdAt: new Date().toISOString(), nextAttemptAt: new Date().toISOString() });
    const dispatcher = createWebhookDispatcher({ endpoints: [], log: silentLogger(), deliveries });
    expect(await dispatcher.resume()).toBe(0);
    expect(await deliveries.get('msg_x')).toMatchObject({ state: 'failed', attempts: [{ status: null, error: 'endpoint no longer configured' }] });
    dispatcher.close();
  });
});
