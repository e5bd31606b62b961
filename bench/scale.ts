/**
 * `npm run bench:scale`: how the stateless roles scale out on this machine. Every role runs as its own
 * `serve <role>` process (the multi-process suite's cluster, test/fault/multi-process/cluster.ts), with round-robin
 * TCP balancers in front of the gateways, inventories and ingests, on a private Redis and FerretDB started for the
 * run (bench/scale/stores.ts; `--shared-stores` uses MONGO_URL / REDIS_URL instead). One run measures, with first 1
 * and then 2 processes each of gateway, inventory and ingest:
 *
 * - products query/s: `{ products(first: 10) { sku stock { available } } }` through the gateways' balancer
 *   (gateway → catalog + inventory → stores), `--connections` (16) for `--seconds` (10) after a 3 s warm-up;
 * - gateway-only query/s: `{ __typename }`, which the gateway answers itself (empty query plan): the stores and
 *   subgraphs are out of the way, so it shows whether the gateway tier on its own scales here;
 * - webhook deliveries/s: Brightline-signed `inventory.updated` deliveries posted to the ingests' balancer,
 *   `--deliveries` (1000) with 16 in flight: acknowledged/s, and applied/s (until the inbox has them all done).
 *
 * The load generator is its own process (bench/scale/load.ts). For each measured window it prints CPU per role
 * (process plus descendants, /proc; % of one core and CPU ms per operation), the machine's total against
 * cores × 100 % and the part not ours (other people on a shared machine), round trips per operation to Redis
 * (INFO commandstats deltas) and FerretDB (its Prometheus metrics), and a bottleneck line. Then the ratio 2 / 1 and
 * the scale-out cost (CPU per operation, 1 vs 2). Method and figures: docs/benchmarks.md, "Scale-out".
 */
import { cpus } from 'node:os';
import { MongoClient } from 'mongodb';
import { startCluster, type Cluster } from '../test/fault/multi-process/cluster.ts';
import { loadAverage, startCpuWindow, type CpuWindow, type Tracked } from './scale/cpu.ts';
import { startLoad } from './scale/load-process.ts';
import type { LoadJob } from './scale/load.ts';
import { openBenchStores, type BenchStores } from './scale/stores.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}
const SECONDS = arg('seconds', 10);
const CONNECTIONS = arg('connections', 16);
const DELIVERIES = arg('deliveries', 1_000);
const SHARED_STORES = process.argv.includes('--shared-stores');
/** `--workloads products,typename,webhooks` (default all): a subset, for a quicker look. */
const WORKLOADS = new Set((process.argv.includes('--workloads') ? process.argv[process.argv.indexOf('--workloads') + 1]! : 'products,typename,webhooks').split(','));
const IN_FLIGHT = 16;
const CORES = cpus().length;
const SCALED = ['gateway-2', 'inventory-2', 'ingest-2'];
const PRODUCTS = JSON.stringify({ query: '{ products(first: 10) { sku stock { available } } }' });
const TYPENAME = JSON.stringify({ query: '{ __typename }' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a measured window gave: operations, their rate, CPU, store round trips. */
interface Measured {
  readonly workload: string;
  readonly ops: number;
  readonly rate: number;
  readonly cpu: CpuWindow;
  readonly redis: Map<string, number>;
  readonly ferret: Map<string, number> | null;
  /** The same configuration with no load (background: jobs, sweepers, heartbeats), to take out of per-operation figures. */
  readonly idle?: Measured;
}

const IDLE_SECONDS = 5;
/** `m`'s CPU seconds of a group minus what the group used idle over as long. */
const netCpu = (m: Measured, g: string) => Math.max(0, (m.cpu.perGroup.get(g)?.cpu ?? 0) - (m.idle ? ((m.idle.cpu.perGroup.get(g)?.cpu ?? 0) * m.cpu.seconds) / m.idle.cpu.seconds : 0));
const netCalls = (m: Measured, calls: Map<string, number>, idleCalls: Map<string, number> | null | undefined) =>
  new Map([...calls].map(([k, v]) => [k, Math.max(0, v - (m.idle && idleCalls ? ((idleCalls.get(k) ?? 0) * m.cpu.seconds) / m.idle.cpu.seconds : 0))] as const).filter(([, v]) => v > 0));
const netTotalCpu = (m: Measured) => [...m.cpu.perGroup.keys()].reduce((a, g) => a + netCpu(m, g), 0);

const groupOf = (name: string): string => (name.startsWith('supplier-') ? 'supplier-*' : name.replace(/-\d+$/, ''));
const pct = (cpuSeconds: number, seconds: number) => (100 * cpuSeconds) / seconds;
const diff = (a: Map<string, number>, b: Map<string, number>) => new Map([...b].map(([k, v]) => [k, v - (a.get(k) ?? 0)] as const).filter(([, v]) => v > 0));
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
/** Round trips per operation, the top commands, then error answers (counted apart: they are not extra trips). */
const perOp = (all: Map<string, number>, ops: number) => {
  const m = new Map([...all].filter(([k]) => !k.endsWith('(error answers)')));
  const errors = [...all].filter(([k]) => k.endsWith('(error answers)'));
  const top = [...m].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${k} ${(v / ops).toFixed(2)}`);
  return `${(sum(m) / ops).toFixed(2)}${m.size > 0 ? ` (${top.join(', ')})` : ''}${errors.length > 0 ? `; ${errors.map(([k, v]) => `${k} ${(v / ops).toFixed(2)}`).join(', ')}` : ''}`;
};

function tracked(cluster: Cluster, stores: BenchStores, loaderPid: number | null): Tracked[] {
  return [
    ...[...cluster.processes].filter(([, p]) => p.pid !== undefined).map(([name, p]) => ({ name, group: groupOf(name), pid: p.pid })),
    { name: 'bench process', group: 'balancers+sandboxes', pid: process.pid, ownOnly: true },
    ...(loaderPid === null ? [] : [{ name: 'load generator', group: 'load generator', pid: loaderPid }]),
    ...stores.pids,
  ];
}

/** Runs one load job in a measured window; `settle` extends the window until the work it started is done. */
async function measure(workload: string, cluster: Cluster, stores: BenchStores, job: LoadJob, settle?: (sent: Record<number, number>) => Promise<{ ops: number; excludeFerret?: Map<string, number> }>): Promise<Measured & { extra: string }> {
  const loader = await startLoad(job);
  const alive = [...cluster.processes].filter(([name]) => !killed.has(name));
  const track = tracked({ ...cluster, processes: new Map(alive) }, stores, loader.pid);
  const redis0 = await stores.redisCommands();
  const ferret0 = await stores.ferretCommands();
  const window = startCpuWindow(track);
  const result = await loader.run();
  let ops: number;
  let extra: string;
  let exclude = new Map<string, number>();
  if (result.mode === 'queries') {
    ops = result.requests;
    extra = `p99 ${result.p99} ms, errors ${result.errors}, non-2xx ${result.non2xx}`;
  } else {
    const settled = await settle!(result.statuses);
    ops = settled.ops;
    exclude = settled.excludeFerret ?? exclude;
    extra = `acknowledged/s ${(result.sent / result.seconds).toFixed(0)} (statuses ${JSON.stringify(result.statuses)})`;
  }
  const cpu = window.end();
  const redis = diff(redis0, await stores.redisCommands());
  const ferret1 = await stores.ferretCommands();
  await loader.close();
  const ferret = ferret0 && ferret1 ? diff(new Map([...ferret0].map(([k, v]) => [k, v + (exclude.get(k) ?? 0)])), ferret1) : null;
  return { workload, ops, rate: ops / cpu.seconds, cpu, redis, ferret, extra };
}

/** A window with no load: what the configuration spends on its own (polls are off; leases, sweepers, heartbeats). */
async function measureIdle(cluster: Cluster, stores: BenchStores): Promise<Measured> {
  const alive = [...cluster.processes].filter(([name]) => !killed.has(name));
  const redis0 = await stores.redisCommands();
  const ferret0 = await stores.ferretCommands();
  const window = startCpuWindow(tracked({ ...cluster, processes: new Map(alive) }, stores, null));
  await sleep(IDLE_SECONDS * 1000);
  const cpu = window.end();
  const redis = diff(redis0, await stores.redisCommands());
  const ferret1 = await stores.ferretCommands();
  const ferret = ferret0 && ferret1 ? diff(ferret0, ferret1) : null;
  const groups = [...cpu.perGroup].sort((a, b) => b[1].cpu - a[1].cpu).filter(([, g]) => pct(g.cpu, cpu.seconds) >= 0.5);
  const perS = (m: Map<string, number> | null) => (m ? (sum(m) / cpu.seconds).toFixed(1) : 'n/a');
  console.log(`  idle ${cpu.seconds.toFixed(1)} s (subtracted from the per-operation figures below): CPU ${groups.map(([g, { cpu: c }]) => `${g} ${pct(c, cpu.seconds).toFixed(0)} %`).join(', ') || 'none'}; Redis ${perS(redis)}/s, FerretDB ${perS(ferret)}/s; machine ${cpu.machinePct.toFixed(0)} % of ${CORES * 100} %`);
  return { workload: 'idle', ops: 0, rate: 0, cpu, redis, ferret };
}

function report(m: Measured & { extra: string }, unit: string): void {
  const s = m.cpu.seconds;
  console.log(`  ${m.workload}: ${m.rate.toFixed(0)} ${unit}/s (${m.ops} in ${s.toFixed(1)} s; ${m.extra})`);
  const ours = (100 * sum(new Map([...m.cpu.perProcess]))) / s;
  console.log(`    machine ${m.cpu.machinePct.toFixed(0)} % of ${CORES * 100} % (tracked processes ${ours.toFixed(0)} %, everything else on the machine ${m.cpu.othersPct.toFixed(0)} %); load average ${loadAverage()}`);
  const groups = [...m.cpu.perGroup].sort((a, b) => b[1].cpu - a[1].cpu);
  const rows = groups.map(([g, { cpu, processes }]) => {
    const each = [...m.cpu.perProcess].filter(([n]) => m.cpu.groupOf.get(n) === g);
    const split = processes > 1 ? ` [${each.map(([, c]) => pct(c, s).toFixed(0)).join('+')}]` : '';
    return `${g}${processes > 1 ? ` ×${processes}` : ''} ${pct(cpu, s).toFixed(0)} %${split} ${((1000 * netCpu(m, g)) / m.ops).toFixed(2)} ms`;
  });
  console.log(`    CPU by role (% of one core; CPU ms per ${unit}, net of idle): ${rows.join('; ')}`);
  const ferret = m.ferret ? perOp(netCalls(m, m.ferret, m.idle?.ferret), m.ops) : 'not counted (shared server, metrics off)';
  console.log(`    store round trips per ${unit}, net of idle: Redis ${perOp(netCalls(m, m.redis, m.idle?.redis), m.ops)}; FerretDB ${ferret}`);
  const hot = [...m.cpu.perProcess].map(([n, c]) => [n, pct(c, s)] as const).sort((a, b) => b[1] - a[1]).slice(0, 3);
  const saturated = m.cpu.machinePct >= CORES * 100 * 0.9;
  console.log(`    bottleneck: ${hot.map(([n, p]) => `${n} ${p.toFixed(0)} % of a core`).join(', ')}; machine ${m.cpu.machinePct.toFixed(0)} % of ${CORES * 100} %${saturated ? ' — saturated: every core is busy' : ''}`);
}

const killed = new Set<string>();

async function configuration(label: string, cluster: Cluster, stores: BenchStores, inbox: ReturnType<ReturnType<MongoClient['db']>['collection']>) {
  console.log(`\n${label}`);
  const idle = await measureIdle(cluster, stores);
  const queries = async (workload: string, body: string) => {
    const warm = await startLoad({ mode: 'queries', url: cluster.graphqlUrl, body, connections: CONNECTIONS, seconds: 3 });
    await warm.run(); // JIT, connection pools, caches
    await warm.close();
    const m = { ...(await measure(workload, cluster, stores, { mode: 'queries', url: cluster.graphqlUrl, body, connections: CONNECTIONS, seconds: SECONDS })), idle };
    report(m, 'query');
    return m;
  };
  const products = WORKLOADS.has('products') ? await queries('products query (gateway → catalog + inventory → stores)', PRODUCTS) : null;
  const typename = WORKLOADS.has('typename') ? await queries('gateway-only query `{ __typename }` (no subgraph, no store)', TYPENAME) : null;
  if (!WORKLOADS.has('webhooks')) return { products, typename, webhooks: null };
  const sandbox = cluster.sandboxes.get('brightline')!;
  const before = await inbox.countDocuments({ supplier: 'brightline', status: 'done' });
  let polls = 0;
  const webhooks = await measure(
    'webhook deliveries (ingest → inbox → worker → stock)',
    cluster,
    stores,
    { mode: 'webhooks', url: `${cluster.ingestUrl}/webhooks/brightline`, secret: sandbox.webhookSecret!, partNumbers: sandbox.supplierSkus().slice(0, cluster.skus.get('brightline')!.length), count: DELIVERIES, inFlight: IN_FLIGHT, baseMs: Date.now() },
    async (statuses) => {
      const accepted = statuses[202] ?? 0;
      const deadline = Date.now() + 60_000; // after the last acknowledgement
      // countDocuments is an `aggregate` at the server: the bench's own polls are taken out of the counts.
      let done = 0;
      while (Date.now() < deadline) {
        polls++;
        done = (await inbox.countDocuments({ supplier: 'brightline', status: 'done' })) - before;
        if (done >= accepted) break;
        if (polls % 50 === 0) console.error(`    … ${done} of ${accepted} accepted deliveries done`);
        await sleep(200);
      }
      if (done < accepted) {
        const byStatus = await inbox.aggregate([{ $match: { supplier: 'brightline' } }, { $group: { _id: '$status', n: { $sum: 1 } } }]).toArray();
        console.log(`    (only ${done} of ${accepted} accepted deliveries done 60 s after the last acknowledgement; inbox by status ${JSON.stringify(byStatus)})`);
      }
      return { ops: done, excludeFerret: new Map([['aggregate', polls]]) };
    },
  );
  const webhooksNet = { ...webhooks, idle };
  report(webhooksNet, 'delivery');
  return { products, typename, webhooks: webhooksNet };
}

function compare(name: string, one: Measured | null, two: Measured | null, unit: string): void {
  if (!one || !two) return;
  console.log(`  ${name}: ${one.rate.toFixed(0)} → ${two.rate.toFixed(0)} ${unit}/s, ×${(two.rate / one.rate).toFixed(2)}; machine ${one.cpu.machinePct.toFixed(0)} % → ${two.cpu.machinePct.toFixed(0)} % of ${CORES * 100} %`);
  const groups = [...new Set([...one.cpu.perGroup.keys(), ...two.cpu.perGroup.keys()])];
  const ms = (m: Measured, g: string) => (1000 * netCpu(m, g)) / m.ops;
  const total = (m: Measured) => (1000 * netTotalCpu(m)) / m.ops;
  const rows = groups.map((g) => [g, ms(one, g), ms(two, g)] as const).filter(([, a, b]) => a >= 0.05 || b >= 0.05).sort((a, b) => b[2] - a[2]);
  console.log(`    CPU ms per ${unit} net of idle, 1 → 2: ${rows.map(([g, a, b]) => `${g} ${a.toFixed(2)} → ${b.toFixed(2)}`).join('; ')}; all tracked ${total(one).toFixed(2)} → ${total(two).toFixed(2)}`);
  // Throughput per CPU-second the run's processes actually got: the ratio with other people's load taken out.
  const perCpu = (m: Measured) => m.ops / netTotalCpu(m);
  console.log(`    ${unit} per CPU-second of this run's processes (net of idle): ${perCpu(one).toFixed(1)} → ${perCpu(two).toFixed(1)}, ×${(perCpu(two) / perCpu(one)).toFixed(2)} (the scale-out cost; below 1 is more CPU per ${unit} with 2)`);
  const busy = Math.min(one.cpu.machinePct, two.cpu.machinePct);
  const ours = (m: Measured) => (100 * sum(new Map([...m.cpu.perProcess]))) / m.cpu.seconds;
  const hot = [...two.cpu.perProcess].sort((a, b) => b[1] - a[1])[0]!;
  const hotLine = `busiest process with 2 per role: ${hot[0]} ${pct(hot[1], two.cpu.seconds).toFixed(0)} % of a core`;
  if (busy >= CORES * 100 * 0.9) {
    console.log(
      `    where it stops: the machine is saturated in both (≥ ${(CORES * 90).toFixed(0)} % of ${CORES * 100} %; this run's processes got ${ours(one).toFixed(0)} % and ${ours(two).toFixed(0)} % of it, ` +
        `other work on the machine the rest): on ${CORES} cores a second process per role adds no CPU to run on, only its own cost (CPU per ${unit} above) — 2 processes cannot be faster here; ${hotLine}.`,
    );
  } else {
    console.log(`    where it stops: machine not saturated (${two.cpu.machinePct.toFixed(0)} % with 2 per role); ${hotLine}.`);
  }
}

const stores = await openBenchStores(SHARED_STORES);
process.env['MONGO_URL'] = stores.mongoUrl;
process.env['REDIS_URL'] = stores.redisUrl;
const startedAt = Date.now();
console.log(`bench:scale — ${CORES} cores; load average at start ${loadAverage()}; stores: ${stores.private ? 'private Redis + FerretDB (SQLite) for this run' : 'the shared test services (other suites use them too)'}`);
console.log(`per configuration: ${CONNECTIONS} connections × ${SECONDS} s per query workload (after 3 s warm-up), ${DELIVERIES} webhooks with ${IN_FLIGHT} in flight`);
// Polls are the jobs role's, not what is measured here: one pass every 10 minutes keeps them out of the figures.
const quietPolls = { BRIGHTLINE_POLL_INTERVAL_MS: '600000', HARBORPROMO_POLL_INTERVAL_MS: '600000', MAPLECART_POLL_INTERVAL_MS: '600000' };
try {
  const cluster = await startCluster({ perSupplier: 50, env: { LOG_LEVEL: 'warn', REQUEST_BUDGET_MS: '10000', ...quietPolls } });
  const mongo = await new MongoClient(stores.mongoUrl).connect();
  try {
    console.log(`cluster of ${cluster.processes.size} role processes up in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
    const inbox = mongo.db(cluster.config.mongoDb).collection('webhook_inbox');
    for (const name of SCALED) {
      await cluster.kill(name);
      killed.add(name);
    }
    await sleep(2_000);
    const one = await configuration('1 gateway, 1 inventory, 1 ingest', cluster, stores, inbox);
    for (const name of SCALED) {
      await cluster.restart(name);
      killed.delete(name);
    }
    await sleep(2_000);
    const two = await configuration('2 gateways, 2 inventories, 2 ingests', cluster, stores, inbox);
    console.log('\nratio (2 processes per role / 1) and where it stops');
    compare('products query', one.products, two.products, 'query');
    compare('gateway-only query', one.typename, two.typename, 'query');
    compare('webhook deliveries applied', one.webhooks, two.webhooks, 'delivery');
    console.log(`\nload average at end ${loadAverage()}; whole run ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  } finally {
    await mongo.close();
    await cluster.close();
  }
} finally {
  await stores.close();
}
process.exit(0);
