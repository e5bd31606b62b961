/**
 * The load generator of bench:scale, as its own process so its CPU is counted apart from the balancers and
 * sandboxes in the bench process. Reads its job from BENCH_SCALE_LOAD (JSON), prints `ready`, starts when a line
 * arrives on stdin (so the parent's CPU window leaves out the loader's start), prints one JSON result line, and exits on the next line.
 *
 * - queries: autocannon POSTs one GraphQL body with `connections` open for `seconds`;
 * - webhooks: Brightline-signed `inventory.updated` deliveries (distinct ids, newer figures each), `inFlight` at a
 *   time, `count` in all; a connection the server just closed is retried once, as a webhook sender would.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

export type LoadJob =
  | { mode: 'queries'; url: string; body: string; connections: number; seconds: number }
  | { mode: 'webhooks'; url: string; secret: string; partNumbers: string[]; count: number; inFlight: number; baseMs: number };

export type LoadResult =
  | { mode: 'queries'; requests: number; seconds: number; p99: number; errors: number; non2xx: number }
  | { mode: 'webhooks'; sent: number; seconds: number; statuses: Record<number, number> };

async function queries(job: Extract<LoadJob, { mode: 'queries' }>): Promise<LoadResult> {
  const started = performance.now();
  const r = await autocannon({ url: job.url, method: 'POST', headers: { 'content-type': 'application/json' }, body: job.body, connections: job.connections, duration: job.seconds });
  return { mode: 'queries', requests: r.requests.total, seconds: (performance.now() - started) / 1000, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

async function webhooks(job: Extract<LoadJob, { mode: 'webhooks' }>): Promise<LoadResult> {
  const statuses: Record<number, number> = {};
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < job.count) {
      const i = next++;
      const id = randomUUID();
      const lastUpdated = new Date(job.baseMs + i).toISOString();
      const body = JSON.stringify({ id, type: 'inventory.updated', createdAt: lastUpdated, data: { partNumber: job.partNumbers[i % job.partNumbers.length], status: 'IN_STOCK', warehouses: [{ warehouseCode: 'DAL', quantityAvailable: 1_000 + i }], lastUpdated } });
      const t = Math.floor(Date.now() / 1000);
      const signature = `t=${t},v1=${createHmac('sha512', job.secret).update(`${t}.${body}`).digest('hex')}`;
      // A bounded wait: a delivery that is never answered counts as failed (status 0) instead of hanging the run.
      const send = () => fetch(job.url, { method: 'POST', body, signal: AbortSignal.timeout(30_000), headers: { 'content-type': 'application/json', 'x-brightline-signature': signature, 'x-brightline-delivery': id, 'x-brightline-event': 'inventory.updated' } });
      const response = await send().catch(() => send()).catch(() => null);
      await response?.arrayBuffer().catch(() => null);
      statuses[response?.status ?? 0] = (statuses[response?.status ?? 0] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: job.inFlight }, lane));
  return { mode: 'webhooks', sent: job.count, seconds: (performance.now() - started) / 1000, statuses };
}

const job = JSON.parse(process.env['BENCH_SCALE_LOAD'] ?? 'null') as LoadJob | null;
if (job === null) throw new Error('bench/scale/load.ts is started by bench/scale.ts (BENCH_SCALE_LOAD)');
const input = createInterface({ input: process.stdin });
console.log('ready');
await new Promise<void>((resolve) => input.once('line', () => resolve()));
const result = job.mode === 'queries' ? await queries(job) : await webhooks(job);
console.log(JSON.stringify(result));
// Stays until told, so the parent closes its CPU window while this process can still be read.
await new Promise<void>((resolve) => input.once('line', () => resolve()));
process.exit(0);
