/**
 * `npm run bench:gateway -- [--duration 10] [--warmup 3] [--rounds 3] [--connections 50] [--targets a,b] [--profile] [--client autocannon|wrk]`
 * `npm run bench:gateway -- --readme [--targets caches-off,offer-cache-inprocess,…]`: the README's product query through the whole stack instead (readme.ts).
 *
 * Gateway speed (docs/benchmarks.md, "Gateway speed"): the fixture's four subgraphs in one process and autocannon
 * in this one, both on core 0; each gateway its own process pinned to core 1 (`taskset -c 1`). Every target gets a
 * warm-up window, then a measured window, per round, rounds in rotated order. Every response body must equal the
 * baseline's byte for byte (autocannon's `expectBody`): mismatches are printed and fail the run.
 *
 * `--client wrk` (wrk-client.ts; needs `apt install wrk`): wrk 4.1, one thread under `taskset -c 0`, in place of
 * autocannon, whose JavaScript parsing and comparing of every answer limits core 0 when caches make the gateway fast.
 * Same body, headers, connections, windows and rounds; its Lua script checks every answer's status and body the same
 * way. autocannon stays the default so earlier figures stay reproducible; both print the same table.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { prepareWrk, requireWrk, runWrk, type LoadResult } from './wrk-client.ts';
import { composeFixture } from './fixture/supergraph.ts';
import { DEEP_QUERY, DEEP_VARIABLES } from './fixture/queries.ts';
import type { FixtureCounters } from './fixture/serve.ts';
import type { FixtureSubgraph } from './fixture/schemas.ts';
import { cpuSecondsOf, loadAverage, rssMbOf } from './process-stats.ts';
import { TARGETS, type Target } from './targets.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    targets: { type: 'string' },
    profile: { type: 'boolean', default: false },
    readme: { type: 'boolean', default: false },
    client: { type: 'string', default: 'autocannon' },
  },
});
if (args.client !== 'autocannon' && args.client !== 'wrk') throw new Error(`--client ${args.client}: autocannon or wrk`);
if (args.client === 'wrk' && args.readme) throw new Error('--client wrk: the --readme bench runs autocannon only');
// Checked before anything starts, so a missing wrk fails at once with how to install it.
let wrkPath: string | undefined;
if (args.client === 'wrk') {
  try {
    wrkPath = requireWrk();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
const durationS = Number(args.duration);
const warmupS = Number(args.warmup);
const rounds = Number(args.rounds);
const connections = Number(args.connections);
const chosen = args.targets ? TARGETS.filter((t) => args.targets!.split(',').includes(t.name)) : TARGETS;
const SECRET = 'bench-gateway-signing-secret-0123456789abcdef';
const root = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'bench-gateway-'));

function startFixtureProcess(): Promise<{ child: ChildProcess; urls: Record<FixtureSubgraph, string> }> {
  const child = spawn('taskset', ['-c', '0', process.execPath, '--import', 'tsx', join(root, 'bench/gateway/fixture-process.ts')], {
    cwd: root,
    env: { ...process.env, BENCH_SIGNING_SECRET: SECRET },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  started.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', (m: { urls: Record<FixtureSubgraph, string> }) => resolve({ child, urls: m.urls }));
    child.once('exit', (code) => reject(new Error(`fixture process exited ${code}`)));
  });
}

const counters = (child: ChildProcess): Promise<FixtureCounters> =>
  new Promise((resolve) => {
    const on = (m: { type: string; counters: FixtureCounters }) => {
      if (m.type !== 'counters') return;
      child.off('message', on);
      resolve(m.counters);
    };
    child.on('message', on);
    child.send({ type: 'counters' });
  });

/** A port nobody listens on right now (the target binds it a moment later). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitFor(url: string, body: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

let stopping = false;
const started: ChildProcess[] = [];
// Whatever happens, no target or fixture process outlives the run.
process.on('exit', () => {
  stopping = true;
  for (const child of started) child.kill('SIGKILL');
});

interface Running {
  readonly target: Target;
  readonly child: ChildProcess;
  readonly url: string;
}

async function startTarget(target: Target, port: number, supergraphPath: string): Promise<Running> {
  const nodeArgs = ['--import', 'tsx', ...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(work, 'profiles', target.name)}`] : []), join(root, target.entry)];
  const child = spawn('taskset', ['-c', '1', process.execPath, ...nodeArgs], {
    cwd: root,
    env: { ...process.env, ...target.env({ port, supergraphPath, secret: SECRET, keyPrefix: `bench-gw-${process.pid}-${chosen.indexOf(target)}:` }) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.once('exit', (code) => {
    if (!stopping) {
      console.error(`${target.name} exited (${code}) during the run`);
      process.exit(1);
    }
  });
  started.push(child);
  const url = `http://127.0.0.1:${port}${target.path}`;
  await waitFor(url, JSON.stringify({ query: '{ __typename }' }));
  return { target, child, url };
}

interface Row {
  target: string;
  rps: number[];
  p50: number[];
  p99: number[];
  cpu: number[];
  cpuPerOp: number[];
  rss: number[];
  fetches: number[];
  signed: number[];
  mismatches: number;
  non2xx: number;
  errors: number;
}

async function main(): Promise<void> {
  console.log(`bench:gateway — ${new Date().toISOString()}, load average ${loadAverage()}, node ${process.version}, client ${args.client}`);
  const fixture = await startFixtureProcess();
  const supergraphPath = join(work, 'supergraph.graphql');
  writeFileSync(supergraphPath, composeFixture(fixture.urls));
  const body = JSON.stringify({ query: DEEP_QUERY, variables: DEEP_VARIABLES });
  const running: Running[] = [];
  for (const target of chosen) running.push(await startTarget(target, await freePort(), supergraphPath));
  const baseline = running.find((r) => r.target.name === 'baseline') ?? running[0]!;
  const expected = await (await fetch(baseline.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text();
  console.log(`deep query: ${(expected.length / 1024).toFixed(1)} KB response; expected body from ${baseline.target.name}`);
  const wrk = wrkPath ? { path: wrkPath, ...prepareWrk(work, body, expected) } : undefined;
  const rows = new Map<string, Row>(running.map((r) => [r.target.name, { target: r.target.name, rps: [], p50: [], p99: [], cpu: [], cpuPerOp: [], rss: [], fetches: [], signed: [], mismatches: 0, non2xx: 0, errors: 0 }]));

  for (let round = 0; round < rounds; round += 1) {
    const order = running.map((_, i) => running[(i + round) % running.length]!);
    for (const r of order) {
      const load = async (duration: number): Promise<LoadResult> => {
        if (wrk) return runWrk({ wrk: wrk.path, script: wrk.script, url: r.url, connections, durationS: duration });
        const a = await autocannon({ url: r.url, connections, duration, method: 'POST', headers: { 'content-type': 'application/json' }, body, expectBody: expected, timeout: 20 });
        return { requests: a.requests.total, durationS: a.duration, p50Ms: a.latency.p50, p99Ms: a.latency.p99, mismatches: a.mismatches, non2xx: a.non2xx, errors: a.errors + a.timeouts };
      };
      await load(warmupS);
      // The client stops sending at the window's end; let the warm-up's requests in flight finish before counting.
      await new Promise((r) => setTimeout(r, 2_000));
      fixture.child.send({ type: 'reset' });
      const cpuBefore = cpuSecondsOf(r.child.pid!);
      const result = await load(durationS);
      const cpu = cpuSecondsOf(r.child.pid!) - cpuBefore;
      const c = await counters(fixture.child);
      const ok = result.requests - result.non2xx;
      const subgraphRequests = Object.values(c.requests).reduce((a, b) => a + b, 0);
      const row = rows.get(r.target.name)!;
      row.rps.push(ok / result.durationS);
      row.p50.push(result.p50Ms);
      row.p99.push(result.p99Ms);
      row.cpu.push((cpu / result.durationS) * 100);
      row.cpuPerOp.push(ok > 0 ? (cpu * 1000) / ok : NaN);
      row.rss.push(rssMbOf(r.child.pid!));
      row.fetches.push(ok > 0 ? subgraphRequests / ok : NaN);
      row.signed.push(subgraphRequests > 0 ? c.signed / subgraphRequests : 0);
      row.mismatches += result.mismatches;
      row.non2xx += result.non2xx;
      row.errors += result.errors;
      console.log(`round ${round + 1} ${r.target.name}: ${(ok / result.durationS).toFixed(0)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, cpu ${row.cpu.at(-1)!.toFixed(0)} % (${row.cpuPerOp.at(-1)!.toFixed(2)} ms/op), fetches/op ${row.fetches.at(-1)!.toFixed(1)}, mismatches ${result.mismatches}, non-2xx ${result.non2xx}`);
    }
  }
  stopping = true;
  for (const r of running) r.child.kill('SIGTERM');
  fixture.child.disconnect();

  // A window without one completed request has no per-operation figures: its NaNs are left out, not sorted in.
  const median = (xs: number[]) => {
    const finite = xs.filter(Number.isFinite).sort((a, b) => a - b);
    return finite.length === 0 ? NaN : finite[Math.floor(finite.length / 2)]!;
  };
  const base = median(rows.get(baseline.target.name)!.rps);
  const baseCpu = median(rows.get(baseline.target.name)!.cpuPerOp);
  console.log(`\nload average ${loadAverage()}; medians over ${rounds} rounds of ${durationS} s, ${connections} connections, client ${args.client}\n`);
  console.log('| target | requests/s | × baseline | p50 ms | p99 ms | gateway CPU | CPU ms/op | × baseline CPU/op | RSS MB | subgraph fetches/op | signed | mismatches |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  let failed = false;
  for (const row of rows.values()) {
    const bad = row.mismatches + row.non2xx + row.errors;
    if (bad > 0) failed = true;
    console.log(`| ${row.target} | ${median(row.rps).toFixed(0)} | ${(median(row.rps) / base).toFixed(2)} | ${median(row.p50)} | ${median(row.p99)} | ${median(row.cpu).toFixed(0)} % | ${median(row.cpuPerOp).toFixed(2)} | ${(baseCpu / median(row.cpuPerOp)).toFixed(2)} | ${median(row.rss).toFixed(0)} | ${median(row.fetches).toFixed(1)} | ${(median(row.signed) * 100).toFixed(0)} % | ${row.mismatches}${row.non2xx ? ` (+${row.non2xx} non-2xx)` : ''}${row.errors ? ` (+${row.errors} errors)` : ''} |`);
  }
  if (args.profile) console.log(`\nCPU profiles under ${join(work, 'profiles')}`);
  if (failed) {
    if (wrk && existsSync(wrk.bad)) console.error(`\nfirst bad answer (status, then its first 600 bytes):\n${readFileSync(wrk.bad, 'utf8')}`);
    console.error('\nFAILED: some responses differ from the baseline or failed');
    process.exitCode = 1;
  }
}

if (args.readme) {
  const { runReadme } = await import('./readme.ts');
  if (!(await runReadme({ durationS, warmupS, connections, ...(args.targets ? { targets: args.targets.split(',') } : {}) }))) process.exitCode = 1;
} else {
  await main();
}
