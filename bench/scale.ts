/**
 * `npm run bench:scale`: how the stateless roles scale out on this machine. Every role runs as its own
 * `serve <role>` process on MongoDB/FerretDB and Redis (MONGO_URL, REDIS_URL; the multi-process suite's cluster,
 * test/fault/multi-process/cluster.ts), with round-robin TCP balancers in front of the gateways, inventories and
 * ingests. One run measures, with first 1 and then 2 processes each of gateway, inventory and ingest:
 *
 * - queries/s: `{ products(first: 10) { sku stock { available } } }` through the gateways' balancer (gateway →
 *   catalog + inventory), autocannon with `--connections` (16) for `--seconds` (10) after a warm-up;
 * - webhook deliveries/s: Brightline-signed `inventory.updated` deliveries (distinct ids, newer figures, over the
 *   seeded products) posted to the ingests' balancer, `--deliveries` (1500) with 16 in flight: acknowledged per
 *   second, and applied per second (until the inbox holds no pending entry);
 * - CPU seconds each role process used per phase (/proc), and how busy the whole machine was.
 *
 * The ratio (2 processes / 1) and where it stops scaling are printed; method and figures: docs/benchmarks.md.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { MongoClient } from 'mongodb';
import { startCluster, type Cluster } from '../test/fault/multi-process/cluster.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}
const SECONDS = arg('seconds', 10);
const CONNECTIONS = arg('connections', 16);
const DELIVERIES = arg('deliveries', 1_500);
const IN_FLIGHT = 16;
const SCALED = ['gateway-2', 'inventory-2', 'ingest-2'];
const QUERY = JSON.stringify({ query: '{ products(first: 10) { sku stock { available } } }' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (user + system) of a process so far, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
/** Machine-wide busy and total jiffies, from /proc/stat. */
function machine(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = values.map(Number);
  const idle = n[3]! + n[4]!;
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

async function queries(cluster: Cluster, seconds: number): Promise<{ rps: number; p99: number; errors: number; non2xx: number }> {
  const result = await autocannon({
    url: cluster.graphqlUrl,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: QUERY,
    connections: CONNECTIONS,
    duration: seconds,
  });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx };
}

async function webhooks(cluster: Cluster, inbox: ReturnType<ReturnType<MongoClient['db']>['collection']>, count: number): Promise<{ ackPerS: number; appliedPerS: number; statuses: Record<number, number> }> {
  const sandbox = cluster.sandboxes.get('brightline')!;
  const partNumbers = sandbox.supplierSkus().slice(0, cluster.skus.get('brightline')!.length);
  const url = `${cluster.ingestUrl}/webhooks/brightline`;
  const before = await inbox.countDocuments({ supplier: 'brightline', status: 'done' });
  const statuses: Record<number, number> = {};
  const baseMs = Date.now();
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const id = randomUUID();
      const lastUpdated = new Date(baseMs + i).toISOString();
      const body = JSON.stringify({ id, type: 'inventory.updated', createdAt: lastUpdated, data: { partNumber: partNumbers[i % partNumbers.length], status: 'IN_STOCK', warehouses: [{ warehouseCode: 'DAL', quantityAvailable: 1_000 + i }], lastUpdated } });
      const t = Math.floor(Date.now() / 1000);
      const signature = `t=${t},v1=${createHmac('sha512', sandbox.webhookSecret!).update(`${t}.${body}`).digest('hex')}`;
      const send = () => fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-brightline-signature': signature, 'x-brightline-delivery': id, 'x-brightline-event': 'inventory.updated' } });
      // A kept-alive connection the server has just closed fails at once: sent again, as any webhook sender retries.
      const response = await send().catch(() => send()).catch(() => null);
      await response?.arrayBuffer();
      statuses[response?.status ?? 0] = (statuses[response?.status ?? 0] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  const ackS = (performance.now() - started) / 1000;
  const deadline = Date.now() + 120_000;
  while ((await inbox.countDocuments({ supplier: 'brightline', status: 'done' })) - before < (statuses[202] ?? 0) && Date.now() < deadline) await sleep(100);
  const appliedS = (performance.now() - started) / 1000;
  return { ackPerS: count / ackS, appliedPerS: (statuses[202] ?? 0) / appliedS, statuses };
}

/** The store servers' processes (shared with anything else using them on this machine). */
function storePids(): { name: string; pid: number }[] {
  const found: { name: string; pid: number }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.includes('ferretdb')) found.push({ name: `ferretdb(${entry})`, pid: Number(entry) });
      else if (cmd.startsWith('redis-server')) found.push({ name: `redis(${entry})`, pid: Number(entry) });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function phase(cluster: Cluster, label: string, inbox: Parameters<typeof webhooks>[1]) {
  await queries(cluster, 3); // warm-up: JIT, connection pools, caches
  const pids = [...[...cluster.processes].map(([name, p]) => ({ name, pid: p.pid })), ...storePids()];
  const cpuBefore = new Map(pids.map(({ name, pid }) => [name, cpuSeconds(pid)]));
  const m0 = machine();
  const q = await queries(cluster, SECONDS);
  const m1 = machine();
  const cpuQ = new Map(pids.map(({ name, pid }) => [name, cpuSeconds(pid) - cpuBefore.get(name)!]));
  const w = await webhooks(cluster, inbox, DELIVERIES);
  const m2 = machine();
  const cpuW = new Map(pids.map(({ name, pid }) => [name, cpuSeconds(pid) - cpuBefore.get(name)! - cpuQ.get(name)!]));
  const busy = (a: typeof m0, b: typeof m0) => Math.round((100 * (b.busy - a.busy)) / (b.total - a.total));
  const top = (cpu: Map<string, number>) => [...cpu].filter(([, s]) => s >= 0.5).sort((a, b) => b[1] - a[1]).map(([n, s]) => `${n} ${s.toFixed(1)}s`).join(', ');
  console.log(`\n${label}`);
  console.log(`  queries/s ${q.rps.toFixed(0)} (p99 ${q.p99} ms, errors ${q.errors}, non-2xx ${q.non2xx}); machine busy ${busy(m0, m1)}%; CPU: ${top(cpuQ)}`);
  console.log(`  webhooks: acknowledged/s ${w.ackPerS.toFixed(0)}, applied/s ${w.appliedPerS.toFixed(0)} (${JSON.stringify(w.statuses)}); machine busy ${busy(m1, m2)}%; CPU: ${top(cpuW)}`);
  return { q, w };
}

// Polls are the jobs role's, not what is measured here: one pass every 10 minutes keeps them out of the figures.
const quietPolls = { BRIGHTLINE_POLL_INTERVAL_MS: '600000', HARBORPROMO_POLL_INTERVAL_MS: '600000', MAPLECART_POLL_INTERVAL_MS: '600000' };
const cluster = await startCluster({ perSupplier: 50, env: { LOG_LEVEL: 'warn', REQUEST_BUDGET_MS: '10000', ...quietPolls } });
const mongo = await new MongoClient(process.env.MONGO_URL!).connect();
try {
  const inbox = mongo.db(cluster.config.mongoDb).collection('webhook_inbox');
  console.log(`bench:scale — ${CONNECTIONS} connections × ${SECONDS} s of queries, ${DELIVERIES} webhooks with ${IN_FLIGHT} in flight, per phase; ${(await import('node:os')).cpus().length} cores`);
  for (const name of SCALED) await cluster.kill(name);
  await sleep(2_000);
  const one = await phase(cluster, '1 gateway, 1 inventory, 1 ingest', inbox);
  for (const name of SCALED) await cluster.restart(name);
  await sleep(2_000);
  const two = await phase(cluster, '2 gateways, 2 inventories, 2 ingests', inbox);
  console.log('\nratio (2 / 1)');
  console.log(`  queries/s ×${(two.q.rps / one.q.rps).toFixed(2)}; webhooks acknowledged/s ×${(two.w.ackPerS / one.w.ackPerS).toFixed(2)}, applied/s ×${(two.w.appliedPerS / one.w.appliedPerS).toFixed(2)}`);
} finally {
  await mongo.close();
  await cluster.close();
}
process.exit(0);
