import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../platform/logger.ts';
import { verifyStandardWebhook } from './standard-webhooks.ts';
import { createWebhookDispatcher } from './webhook-dispatcher.ts';

const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;

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
    const dispatcher = createWebhookDispatcher({ endpoints: [{ id: 'ep1', tenant: 't1', url: hook.url, secret: SECRET }], log: silentLogger(), baseDelayMs: 20 });
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
    const dispatcher = createWebhookDispatcher({ endpoints: [{ id: 'ep1', tenant: 't1', url: hook.url, secret: SECRET }], log: silentLogger(), baseDelayMs: 10, maxAttempts: 2 });
    dispatcher.publish('t1', 'order.status_changed', 'o1:accepted', {});
    await dispatcher.idle();
    const [log] = await dispatcher.deliveries.list('t1');
    expect(log).toMatchObject({ state: 'failed' });
    expect(log!.attempts).toHaveLength(2);
    dispatcher.close();
  });
});
