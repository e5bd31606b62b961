/**
 * `npm run bench:tracing -- [--block 100] [--rounds 30] [--budget 270] [--concurrency 8] [--products 8]`: what OpenTelemetry
 * tracing costs one GraphQL request through the gateway (docs/operations.md, "Traces"; method and figures in
 * docs/benchmarks.md, "Tracing overhead"). An A/B/C run in one go:
 * - `off` — no OTLP endpoint: nothing registered, the API's no-op path (the default);
 * - `sampled-off` — the SDK on with OTEL_TRACES_SAMPLER=parentbased_traceidratio, ratio 0: every span decision
 *   made, nothing recorded or exported;
 * - `10 %` — the same at ratio 0.1, spans batched and POSTed as OTLP/HTTP to a local sink in this process.
 *
 * The tracing SDK is process-wide (one global provider), so each mode is its own child process running the whole
 * stack (gateway, subgraphs, sandboxes, stores) exactly as `npm start` does, with OTEL_* in its configuration.
 * This process is the client: it sends the same query to the four stacks (off, a second off for the A/A noise
 * floor, sampled-off, 10 %) in blocks, one block per stack per round, the order rotated every round, so drift on
 * this shared machine (other processes, GC, JIT) falls on every mode alike; warm-up is not counted. Rounds stop at
 * `--rounds`, or once `--budget` seconds have gone since the bench started (at least 4 rounds), so the whole run
 * (start-up, rounds, part 2, shutdown) stays under 6 minutes even on a loaded machine.
 * The figure that decides is the server side's CPU time per request (each child's own user + system time, asked
 * over IPC around each block): it is what tracing adds, whatever else the machine is doing. Each mode's block is
 * divided by the off block of the same round; the verdict is the median of those paired ratios, shown with their
 * interquartile range, beside the A/A pair's (the noise floor). Latencies are shown too.
 *
 * Stores: embedded by default; MONGO_URL / REDIS_URL when set (a random database and key prefix per child, removed
 * afterwards). The offer cache is warm (long TTL): the sandboxes' simulated latency would bury the difference.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { Redis } from 'ioredis';

const QUERY = `query TracingBench($first: Int!) {
  products(first: $first) {
    sku title brand gtin
    stock { available onHand bySupplier { supplier available } }
    offers { __typename available stale cost { amount currency } leadTimeDays }
  }
}`;

type ModeName = 'off' | 'off again (A/A)' | 'sampled-off' | '10 %';
/** `off again`: a second, identical off stack — its ratio to `off` is the noise floor of a comparison between processes. */
const MODES: readonly { name: ModeName; env: (sink: string) => Record<string, string> }[] = [
  { name: 'off', env: () => ({}) },
  { name: 'off again (A/A)', env: () => ({}) },
  { name: 'sampled-off', env: (sink) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: sink, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }) },
  { name: '10 %', env: (sink) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: sink, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }) },
];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const percentile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)]!;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: readonly number[]) => percentile([...xs].sort((a, b) => a - b), 0.5);

// ---------------------------------------------------------------------------------------------------------------
// Child: one stack with the mode's OTEL_* settings; answers `cpu` with its CPU time so far, `close` by stopping.
// ---------------------------------------------------------------------------------------------------------------
async function child(): Promise<void> {
  const { loadConfig } = await import('../platform/config.ts');
  const { silentLogger } = await import('../platform/logger.ts');
  const { startStack } = await import('../stack/start-stack.ts');
  const { seedSmallCatalog } = await import('../test/security/support.ts');
  const env = JSON.parse(process.env['TRACING_BENCH_ENV']!) as Record<string, string>;
  const stack = await startStack({
    config: loadConfig({
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'silent',
      AUTH_MODE: 'dev',
      OFFER_CACHE_TTL_MS: '3600000',
      BRIGHTLINE_POLL_INTERVAL_MS: '0',
      HARBORPROMO_POLL_INTERVAL_MS: '0',
      MAPLECART_POLL_INTERVAL_MS: '0',
      RECONCILE_INTERVAL_MS: '0',
      ...env,
    }),
    log: silentLogger(),
    subgraphPorts: 'random',
    seed: false,
  });
  await seedSmallCatalog(stack, Number(process.env['TRACING_BENCH_PRODUCTS']));
  let profiler: import('node:inspector/promises').Session | undefined;
  process.on('message', (message: { kind: string }) => {
    if (message.kind === 'profile-start') {
      // bench/tracing-profile.ts: the V8 CPU profile of the measured requests only (not start-up or seeding).
      void (async () => {
        const { Session } = await import('node:inspector/promises');
        profiler = new Session();
        profiler.connect();
        await profiler.post('Profiler.enable');
        await profiler.post('Profiler.setSamplingInterval', { interval: 100 });
        await profiler.post('Profiler.start');
        process.send!({ kind: 'profile-started' });
      })();
    } else if (message.kind === 'profile-stop') {
      void profiler!.post('Profiler.stop').then(({ profile }) => process.send!({ kind: 'profile', profile: JSON.stringify(profile) }));
    } else if (message.kind === 'cpu') {
      const used = process.cpuUsage();
      process.send!({ kind: 'cpu', us: used.user + used.system });
    } else if (message.kind === 'close') {
      void stack.close().finally(() => process.exit(0));
    }
  });
  process.send!({ kind: 'ready', url: stack.gateway.graphqlUrl });
}

// ---------------------------------------------------------------------------------------------------------------
// Isolated (part 2): one request's span work alone, in a process of its own, mode after mode (the SDK can be
// started and shut down in turn). End to end, a few per cent is below what this shared machine resolves; here the
// same work is timed sequentially, without HTTP, stores or GraphQL around it.
// ---------------------------------------------------------------------------------------------------------------
async function isolated(): Promise<void> {
  const { loadConfig } = await import('../platform/config.ts');
  const { silentLogger } = await import('../platform/logger.ts');
  const { startTracing } = await import('../platform/tracing/start-tracing.ts');
  const spans = await import('../platform/tracing/spans.ts');
  const { storeSpan } = await import('../adapters/store-kit/store-span.ts');
  const { callSpan } = await import('../adapters/core/policies/call-trace.ts');
  const { trace } = await import('@opentelemetry/api');
  const sink = process.env['TRACING_BENCH_SINK']!;
  const apollo = trace.getTracer('apollo/gateway-js'); // what @apollo/gateway calls, tracing on or off
  const asApollo = <T>(name: string, fn: () => Promise<T>): Promise<T> =>
    apollo.startActiveSpan(name, async (span) => {
      try {
        return await fn();
      } finally {
        span.end();
      }
    });
  const SUBGRAPHS = ['catalog', 'inventory', 'supplier-brightline', 'supplier-harborpromo', 'supplier-maplecart'];
  const stores = process.env['TRACING_BENCH_STORES'] === 'external';
  /**
   * The span shape of one bench query, as the e2e trace shows it: the gateway's server span, @apollo/gateway's
   * request/validate/plan/execute/postprocessing and a fetch per subgraph (traceparent injected), each subgraph's
   * server span (traceparent extracted), a DataLoader batch and its cache read per supplier subgraph, the catalog's
   * store read; with external stores also the rate-limit and token calls.
   */
  const request = () =>
    spans.inRootSpan('gateway /graphql', { 'http.request.method': 'POST', 'url.path': '/graphql' }, () =>
      asApollo('gateway.request', async () => {
        await asApollo('gateway.validate', async () => {});
        await asApollo('gateway.plan', async () => {});
        await asApollo('gateway.execute', async () => {
          for (const subgraph of SUBGRAPHS) {
            await asApollo('gateway.fetch', async () => {
              const headers: Record<string, string> = { 'content-type': 'application/json' };
              spans.injectTraceHeaders(headers);
              await spans.inRemoteSpan(headers['traceparent'], `${subgraph} /graphql`, { 'http.request.method': 'POST', 'url.path': '/graphql' }, async () => {
                if (stores) await storeSpan('redis', 'authguard.claimOnce', async () => {});
                if (subgraph.startsWith('supplier-')) {
                  await spans.inSpan('dataloader offers', { 'supplier.slug': subgraph.slice(9), 'dataloader.keys': 8 }, async () => {
                    await storeSpan('redis', 'cache.getMany', async () => {});
                    // A warm cache: no supplier call; the gate of one is still paid per batch in the product code.
                    await callSpan('supplier getStock', {}, async () => {}).catch(() => {});
                  });
                } else if (stores) await storeSpan('mongodb', `${subgraph}.read`, async () => {});
              });
            });
          }
          await asApollo('gateway.postprocessing', async () => {});
        });
      }),
    );
  const results: Record<string, { cpuUs: number; wallUs: number }> = {};
  for (const mode of MODES.filter((m) => m.name !== 'off again (A/A)')) {
    const tracing = startTracing({ config: loadConfig(mode.env(sink)).tracing, log: silentLogger() });
    const n = Number(process.env['TRACING_BENCH_ISOLATED'] ?? 20_000);
    for (let i = 0; i < 2_000; i += 1) await request(); // warm-up (JIT, the exporter's first batches)
    const cpu = process.cpuUsage();
    const t = performance.now();
    for (let i = 0; i < n; i += 1) await request();
    const wallUs = ((performance.now() - t) * 1000) / n;
    await tracing.forceFlush(); // the export work of what was recorded counts too
    const used = process.cpuUsage(cpu);
    results[mode.name] = { cpuUs: (used.user + used.system) / n, wallUs };
    await tracing.shutdown();
  }
  process.send!({ kind: 'isolated', results });
}

// ---------------------------------------------------------------------------------------------------------------
// Parent: the OTLP sink, the three children, the client.
// ---------------------------------------------------------------------------------------------------------------
interface Running {
  readonly name: ModeName;
  readonly process: ChildProcess;
  readonly url: string;
  cpu(): Promise<number>;
}

function startChild(name: ModeName, env: Record<string, string>, products: number): Promise<Running> {
  const proc = fork(fileURLToPath(import.meta.url), ['--child'], {
    env: { ...process.env, TRACING_BENCH_ENV: JSON.stringify(env), TRACING_BENCH_PRODUCTS: String(products) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting: ((us: number) => void)[] = [];
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`${name}: the stack process exited (${code}) before it was ready`)));
    proc.on('message', (message: { kind: string; url?: string; us?: number }) => {
      if (message.kind === 'ready') {
        resolve({
          name,
          process: proc,
          url: message.url!,
          cpu: () =>
            new Promise<number>((done) => {
              waiting.push(done);
              proc.send({ kind: 'cpu' });
            }),
        });
      } else if (message.kind === 'cpu') waiting.shift()?.(message.us!);
    });
  });
}

async function main(): Promise<void> {
  const perRound = arg('block', 100);
  const concurrency = arg('concurrency', 8);
  const rounds = arg('rounds', 30);
  const budgetMs = arg('budget', 270) * 1000;
  const benchStarted = performance.now();
  const products = arg('products', 8);
  const mongoUrl = process.env['MONGO_URL'] || undefined;
  const redisUrl = process.env['REDIS_URL'] || undefined;
  const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`tracing overhead benchmark: stores in ${mongoUrl ? 'MongoDB (MONGO_URL)' : 'memory'} / ${redisUrl ? 'Redis (REDIS_URL)' : 'memory'}; node ${process.version}`);
  console.log(`load average at start (1/5/15 min): ${load()} — shared 2-core machine`);

  // The OTLP/HTTP collector stand-in: accepts every export, counts bodies and bytes.
  const sink = { posts: 0, bytes: 0 };
  const collector = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (sink.bytes += chunk.length));
    req.on('end', () => {
      sink.posts += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const sinkUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;

  const ids = MODES.map(() => randomBytes(4).toString('hex'));
  const stores = (i: number): Record<string, string> => ({
    KEY_PREFIX: `bench:tracing:${ids[i]}:`,
    MONGO_DB: `bench_tracing_${ids[i]}`,
    ...(mongoUrl ? { MONGO_URL: mongoUrl } : {}),
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
  });
  // One at a time: three stacks seeding at once would only compete for the two cores.
  const running: Running[] = [];
  try {
    for (const [i, mode] of MODES.entries()) running.push(await startChild(mode.name, { ...stores(i), ...mode.env(sinkUrl) }, products));
    const body = JSON.stringify({ query: QUERY, variables: { first: products } });
    const send = async (url: string): Promise<{ ok: boolean; data: string }> => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const json = (await response.json()) as { errors?: unknown[]; data?: { products?: unknown[] } };
      return { ok: response.status === 200 && !json.errors && (json.data?.products?.length ?? 0) > 0, data: JSON.stringify(json.data) };
    };
    const block = async (mode: Running, count: number) => {
      const latencies: number[] = [];
      let errors = 0;
      let next = 0;
      const cpuBefore = await mode.cpu();
      const started = performance.now();
      const worker = async () => {
        while (next < count) {
          next += 1;
          const t = performance.now();
          const { ok } = await send(mode.url);
          latencies.push(performance.now() - t);
          if (!ok) errors += 1;
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      const wallMs = performance.now() - started;
      const cpuUs = (await mode.cpu()) - cpuBefore;
      return { latencies, wallMs, cpuUs, errors, count };
    };

    // Same answer from each stack, then warm-up (JIT, offer caches, sockets, the exporter's first batches).
    const answers = await Promise.all(running.map((r) => send(r.url)));
    for (const [i, a] of answers.entries()) if (!a.ok) throw new Error(`${running[i]!.name}: the query failed: ${a.data}`);
    if (new Set(answers.map((a) => a.data)).size !== 1) throw new Error('the modes got different answers: the comparison would be unfair');
    for (let w = 0; w < 2; w += 1) for (const r of running) await block(r, 60);
    const postsBefore = sink.posts;

    const totals = new Map(running.map((r) => [r.name, { latencies: [] as number[], wallMs: 0, cpuUs: 0, errors: 0, requests: 0, roundCpu: [] as number[], roundMean: [] as number[] }]));
    const started = performance.now();
    let roundsRun = 0;
    for (let round = 0; round < rounds && (round < 4 || performance.now() - benchStarted < budgetMs); round += 1) {
      roundsRun += 1;
      for (let k = 0; k < running.length; k += 1) {
        const mode = running[(round + k) % running.length]!;
        const s = await block(mode, perRound);
        const t = totals.get(mode.name)!;
        t.latencies.push(...s.latencies);
        t.wallMs += s.wallMs;
        t.cpuUs += s.cpuUs;
        t.errors += s.errors;
        t.requests += s.count;
        t.roundCpu.push(s.cpuUs / s.count);
        t.roundMean.push(mean(s.latencies));
      }
    }
    const seconds = (performance.now() - started) / 1000;
    // Let the 10 % stack's batch processor send what it holds (it exports every 2 s).
    await new Promise((resolve) => setTimeout(resolve, 2_500));

    const base = totals.get('off')!;
    const rows = running.map((r) => {
      const t = totals.get(r.name)!;
      const sorted = [...t.latencies].sort((a, b) => a - b);
      const cpuRatios = [...t.roundCpu.map((x, i) => x / base.roundCpu[i]!)].sort((a, b) => a - b);
      const meanRatios = t.roundMean.map((x, i) => x / base.roundMean[i]!);
      return {
        r,
        t,
        sorted,
        cpuRatio: median(cpuRatios),
        cpuQ1: percentile(cpuRatios, 0.25),
        cpuQ3: percentile(cpuRatios, 0.75),
        cpuMin: cpuRatios[0]!,
        cpuMax: cpuRatios[cpuRatios.length - 1]!,
        pooled: t.cpuUs / t.requests / (base.cpuUs / base.requests),
        meanRatio: median(meanRatios),
      };
    });
    console.log(`\nproducts(first: ${products}) with catalog, stock and every supplier's offer: ${base.requests} measured requests per mode, ${concurrency} in flight, ${roundsRun} rounds × ${perRound} per mode, order rotated each round (${seconds.toFixed(1)} s); load average now ${load()}`);
    console.table(
      rows.map(({ r, t, sorted, cpuRatio, cpuQ1, cpuQ3, cpuMin, cpuMax, pooled, meanRatio }) => ({
        mode: r.name,
        'req/s': ((t.requests * 1000) / t.wallMs).toFixed(0),
        'p50 ms': percentile(sorted, 0.5).toFixed(2),
        'p99 ms': percentile(sorted, 0.99).toFixed(2),
        'mean ms': mean(sorted).toFixed(2),
        'mean / off, per round: median': meanRatio.toFixed(3),
        'server CPU µs/req': (t.cpuUs / t.requests).toFixed(0),
        'CPU / off, paired per round: median [IQR] (range)': `${cpuRatio.toFixed(3)} [${cpuQ1.toFixed(3)}–${cpuQ3.toFixed(3)}] (${cpuMin.toFixed(2)}–${cpuMax.toFixed(2)})`,
        'CPU / off, pooled': pooled.toFixed(3),
        errors: t.errors,
      })),
    );
    console.log(`OTLP exports received during the measured rounds: ${sink.posts - postsBefore} POSTs, ${(sink.bytes / 1024).toFixed(0)} KiB in all (10 % mode only)`);
    const pct = (ratio: number) => `${ratio >= 1 ? '+' : '−'}${(Math.abs(ratio - 1) * 100).toFixed(1)} %`;
    const row = (name: ModeName) => rows.find((x) => x.r.name === name)!;
    const aa = row('off again (A/A)');
    // Half the A/A pair's interquartile range: how far a paired median moves with no difference at all.
    const noise = Math.max(Math.abs(aa.cpuRatio - 1), (aa.cpuQ3 - aa.cpuQ1) / 2);
    console.log(`\nnoise floor (A/A, two identical off stacks): ${pct(aa.cpuRatio)} [IQR ${pct(aa.cpuQ1)} … ${pct(aa.cpuQ3)}]; load average ${load()}`);
    for (const [name, limit] of [['sampled-off', 2], ['10 %', 10]] as const) {
      const x = row(name);
      const pass = x.cpuRatio - 1 <= limit / 100;
      const conclusive = pass ? x.cpuRatio - 1 + noise <= limit / 100 : x.cpuRatio - 1 - noise > limit / 100;
      console.log(
        `VERDICT ${name}: ${pct(x.cpuRatio)} server CPU per request over off (median of ${x.t.roundCpu.length} paired rounds, IQR ${pct(x.cpuQ1)} … ${pct(x.cpuQ3)}; pooled ${pct(x.pooled)}) — target ≤ ${limit} %: ${pass ? 'PASS' : 'OVER'}${conclusive ? '' : ` (within the noise floor of ±${(noise * 100).toFixed(1)} %: not conclusive on this run)`}`,
      );
    }
    if (rows.some((x) => x.t.errors > 0)) process.exitCode = 1;

    // Part 2: the same span work alone, priced against the off stack's CPU per request from part 1.
    const iso = fork(fileURLToPath(import.meta.url), ['--isolated'], {
      env: { ...process.env, TRACING_BENCH_SINK: sinkUrl, TRACING_BENCH_STORES: mongoUrl || redisUrl ? 'external' : 'embedded' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const priced = await new Promise<Record<Exclude<ModeName, 'off again (A/A)'>, { cpuUs: number; wallUs: number }>>((resolve, reject) => {
      iso.on('message', (m: { kind: string; results: Record<Exclude<ModeName, 'off again (A/A)'>, { cpuUs: number; wallUs: number }> }) => m.kind === 'isolated' && resolve(m.results));
      iso.once('exit', (code) => code !== 0 && reject(new Error(`the isolated run exited ${code}`)));
    });
    const offCpu = base.cpuUs / base.requests;
    console.log(`\n2. One request's span work alone (the bench query's span shape, sequential, no HTTP), CPU µs per request; share of the off stack's ${offCpu.toFixed(0)} µs/req from part 1:`);
    console.table(
      (['off', 'sampled-off', '10 %'] as const).map((name) => ({
        mode: name,
        'CPU µs/req': priced[name].cpuUs.toFixed(1),
        'wall µs/req': priced[name].wallUs.toFixed(1),
        'Δ over off, µs': (priced[name].cpuUs - priced.off.cpuUs).toFixed(1),
        'Δ / off stack CPU per request': `${(((priced[name].cpuUs - priced.off.cpuUs) / offCpu) * 100).toFixed(2)} %`,
      })),
    );
    for (const [name, limit] of [['sampled-off', 2], ['10 %', 10]] as const) {
      const share = ((priced[name].cpuUs - priced.off.cpuUs) / offCpu) * 100;
      console.log(`isolated ${name}: ${share.toFixed(2)} % of a request's CPU (target ≤ ${limit} %) ${share <= limit ? 'PASS' : 'OVER'}`);
    }
    console.log(`\nwhole run ${((performance.now() - benchStarted) / 1000).toFixed(0)} s; load average at the end ${load()}`);
  } finally {
    await Promise.all(
      running.map(
        (r) =>
          new Promise<void>((resolve) => {
            r.process.once('exit', () => resolve());
            r.process.send({ kind: 'close' });
            setTimeout(() => (r.process.kill(), resolve()), 20_000).unref();
          }),
      ),
    );
    collector.close();
    if (mongoUrl) {
      const client = new MongoClient(mongoUrl);
      try {
        for (const id of ids) await client.db(`bench_tracing_${id}`).dropDatabase();
      } finally {
        await client.close();
      }
    }
    if (redisUrl) {
      const redis = new Redis(redisUrl);
      try {
        for (const id of ids) {
          const keys = await redis.keys(`bench:tracing:${id}:*`);
          if (keys.length > 0) await redis.del(...keys);
        }
      } finally {
        redis.disconnect();
      }
    }
  }
}

if (process.argv.includes('--isolated')) {
  isolated()
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
} else if (process.argv.includes('--child')) {
  child().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
