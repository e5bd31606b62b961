/**
 * `MONGO_URL=… npx tsx bench/webhook-delivery-log.ts [docs]`: what the outbound order webhook delivery log costs on
 * a MongoDB-protocol server (docs/orders.md, "Delivery log"). Per delivery the dispatcher does one insert and, per
 * attempt, one replace, both on `_id`; this measures them (and a `get`) on a collection already holding `docs`
 * deliveries (default 5 000), against a two-key filter that FerretDB must answer with a collection scan — the cost
 * the `_id`-only hot path avoids. Sequential, medians of 9. Works in a random database and drops it.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { createMongoWebhookDeliveryLog } from '../adapters/storage/mongo/webhook-delivery-log.ts';
import { newDelivery } from '../test/contract/webhook-delivery-log.contract.ts';

const url = process.env.MONGO_URL;
if (!url) throw new Error('set MONGO_URL (eval "$(bash scripts/test-services.sh env)" and export it)');
const size = Number(process.argv[2] ?? 5_000);
const client = await new MongoClient(url).connect();
const db = client.db(`bench_${randomBytes(4).toString('hex')}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  const log = createMongoWebhookDeliveryLog({ db });
  await log.ensureIndexes();
  const raw = db.collection<{ _id: string }>('order_webhook_deliveries');
  for (let b = 0; b * 500 < size; b += 1) {
    await raw.insertMany(Array.from({ length: Math.min(500, size - b * 500) }, (_, i) => ({ ...newDelivery('x'), id: undefined, _id: `fill_${b}_${i}` })));
  }
  const times: Record<string, number[]> = {};
  const rec = async (label: string, run: () => Promise<unknown>) => {
    const t0 = performance.now();
    await run();
    (times[label] ??= []).push(performance.now() - t0);
  };
  for (let i = 0; i < 9; i += 1) {
    const id = `msg_bench_${i}`;
    await rec('create (insert, _id)', () => log.create(newDelivery(id)));
    await rec('get (find {_id})', () => log.get(id));
    await rec('update (replace {_id})', () => log.update(newDelivery(id, { state: 'delivered', nextAttemptAt: null })));
    await rec('contrast: find {_id, tenant} (scanned)', () => raw.findOne({ _id: id, tenant: 'acme' } as never));
  }
  for (const [label, xs] of Object.entries(times)) console.log(`${size} deliveries stored, ${label}: median ${median(xs).toFixed(1)} ms`);
} finally {
  await db.dropDatabase();
  await client.close();
}
