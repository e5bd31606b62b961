/**
 * The order webhook delivery log on a MongoDB-protocol server (FerretDB in tests), given by MONGO_URL; reported as
 * skipped without it. The contract, the hot path's filters (only `{_id}`, the one filter FerretDB does not answer
 * with a collection scan), and retries surviving a restart: one dispatcher stops with a delivery pending, a new
 * one on a new client resumes it. Works in its own random database and drops it afterwards.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MongoClient, type CommandStartedEvent, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMongoWebhookDeliveryLog } from '../../adapters/storage/mongo/webhook-delivery-log.ts';
import { silentLogger } from '../../platform/logger.ts';
import { verifyStandardWebhook } from '../../subgraphs/orders/outbound/standard-webhooks.ts';
import { createWebhookDispatcher } from '../../subgraphs/orders/outbound/webhook-dispatcher.ts';
import { describeWebhookDeliveryLogContract, newDelivery } from '../contract/webhook-delivery-log.contract.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-data.ts';

const mongoUrl = process.env.MONGO_URL;
const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;

describe.skipIf(!mongoUrl)('MongoDB-protocol order webhook delivery log (MONGO_URL)', () => {
  let testDb: TestDatabase;
  let client: MongoClient;
  let db: Db;
  const commands: CommandStartedEvent[] = [];

  beforeAll(async () => {
    testDb = await openTestDatabase(mongoUrl!, 'contract', { monitorCommands: true });
    ({ client, db } = testDb);
    client.on('commandStarted', (e) => commands.push(e));
  });

  afterAll(async () => {
    await testDb?.close();
  });

  describeWebhookDeliveryLogContract('mongodb', async () => {
    const log = createMongoWebhookDeliveryLog({ db });
    await log.ensureIndexes();
    return log;
  });

  it('create, get and update filter on _id alone', async () => {
    const log = createMongoWebhookDeliveryLog({ db, collection: 'deliveries_hot_path' });
    commands.length = 0;
    await log.create(newDelivery('msg_hot'));
    await log.create(newDelivery('msg_hot')); // the duplicate: refused by the insert itself, no read
    await log.get('msg_hot');
    await log.update(newDelivery('msg_hot', { state: 'delivered', nextAttemptAt: null }));
    const seen = commands.filter((c) => c.databaseName === db.databaseName).map((c) => ({ name: c.commandName, command: c.command as Record<string, any> }));
    expect(seen.map((c) => c.name)).toEqual(['insert', 'insert', 'find', 'update']);
    expect(seen.find((c) => c.name === 'find')!.command.filter).toEqual({ _id: 'msg_hot' });
    expect(seen.find((c) => c.name === 'update')!.command.updates.map((u: { q: unknown }) => u.q)).toEqual([{ _id: 'msg_hot' }]);
  });

  it('a delivery left pending by a stopped dispatcher is resumed by a new one on a new client, with the same webhook-id', async () => {
    const answers = [500];
    const received: { id: string; timestamp: string; signature: string; body: string }[] = [];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ id: String(req.headers['webhook-id']), timestamp: String(req.headers['webhook-timestamp']), signature: String(req.headers['webhook-signature']), body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(answers.shift() ?? 204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const endpoints = [{ id: 'ep-restart', tenant: 'acme', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, secret: SECRET }];
    const collection = 'deliveries_restart';
    try {
      // The first process: its first attempt gets a 500, then it stops before the (long) retry delay.
      const first = createWebhookDispatcher({ endpoints, log: silentLogger(), deliveries: createMongoWebhookDeliveryLog({ db, collection }), baseDelayMs: 60_000 });
      first.publish('acme', 'order.status_changed', 'o9:shipped', { orderId: 'o9', status: 'shipped' });
      for (let i = 0; i < 200 && received.length === 0; i += 1) await new Promise((r) => setTimeout(r, 25));
      for (let i = 0; i < 200; i += 1) {
        const [d] = await createMongoWebhookDeliveryLog({ db, collection }).list('acme');
        if (d?.attempts.length === 1) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      first.close();
      const [stored] = await createMongoWebhookDeliveryLog({ db, collection }).list('acme');
      expect(stored).toMatchObject({ state: 'pending', attempts: [{ status: 500 }] });

      // The restarted process: its own client, the same database; the retry is due at once.
      const other = await new MongoClient(mongoUrl!, { serverSelectionTimeoutMS: 5_000 }).connect();
      try {
        const otherLog = createMongoWebhookDeliveryLog({ db: other.db(db.databaseName), collection });
        await otherLog.update({ ...stored!, nextAttemptAt: new Date().toISOString() });
        const second = createWebhookDispatcher({ endpoints, log: silentLogger(), deliveries: otherLog, baseDelayMs: 10 });
        expect(await second.resume()).toBe(1);
        await second.idle();
        second.close();
        const [after] = await otherLog.list('acme');
        expect(after).toMatchObject({ state: 'delivered', nextAttemptAt: null });
        expect(after!.attempts.map((a) => a.status)).toEqual([500, 204]);
      } finally {
        await other.close();
      }
      expect(received).toHaveLength(2);
      expect(new Set(received.map((r) => r.id)).size).toBe(1);
      for (const r of received) expect(verifyStandardWebhook(SECRET, r, r.body, Math.floor(Date.now() / 1000))).toBe(true);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
