/**
 * `npx tsx bench/tracing-profile.ts [--requests 3000] [--modes off,sampled-off,10pct]`: where tracing's fixed cost goes
 * (docs/benchmarks.md, "Tracing overhead"). Runs the bench:tracing stack (bench/tracing-overhead.ts `--child`) once
 * per mode, sends each the same requests (after a warm-up) under the V8 CPU profiler (started over IPC in the stack
 * process), and prints the self time per package and per
 * function, side by side, normalised per request, with the largest differences first.
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const argOf = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const requests = Number(argOf('requests', '3000'));
const concurrency = 8;
const products = 8;
const modes = argOf('modes', 'off,sampled-off').split(',');
// The OTLP/HTTP collector stand-in (the 10 % mode exports): accepts every POST.
const collector = createServer((req, res) => req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}')));
await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
const sink = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
const ENV: Record<string, Record<string, string>> = {
  off: {},
  'sampled-off': { OTEL_EXPORTER_OTLP_ENDPOINT: sink, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' },
  '10pct': { OTEL_EXPORTER_OTLP_ENDPOINT: sink, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
};
const QUERY = `query TracingBench($first: Int!) {
  products(first: $first) {
    sku title brand gtin
    stock { available onHand bySupplier { supplier available } }
    offers { __typename available stale cost { amount currency } leadTimeDays }
  }
}`;

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

function pkgOf(url: string): string {
  if (url === '') return '(native/vm)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return url;
  const main = url.search(/\/(work\/main|tmp\/old)\//);
  return main >= 0 ? `ours:${url.slice(main).split('/').slice(3).join('/').split('/').slice(0, 2).join('/')}` : url;
}

/** Self time in µs per key, from the samples (each sample's delta charged to its leaf node). */
function selfTimes(profile: Profile, key: (n: Node) => string): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const k = key(byId.get(id)!);
    out.set(k, (out.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return out;
}

async function runMode(mode: string): Promise<Profile> {
  const proc = fork(fileURLToPath(new URL('./tracing-overhead.ts', import.meta.url)), ['--child'], {
    env: { ...process.env, TRACING_BENCH_ENV: JSON.stringify({ KEY_PREFIX: `prof:${mode}:`, MONGO_DB: `prof_${mode.replace(/\W/g, '_')}_${Date.now()}`, ...ENV[mode] }), TRACING_BENCH_PRODUCTS: String(products) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  proc.once('exit', (code) => code !== 0 && (console.error(`${mode}: the stack process exited (${code})`), process.exit(1)));
  const next = (kind: string) => new Promise<{ kind: string; url?: string; profile?: string }>((resolve) => {
    const on = (m: { kind: string }) => m.kind === kind && (proc.off('message', on), resolve(m));
    proc.on('message', on);
  });
  const url = (await next('ready')).url!;
  const body = JSON.stringify({ query: QUERY, variables: { first: products } });
  const load = async (count: number) => {
    let sent = 0;
    const worker = async () => {
      while (sent < count) {
        sent += 1;
        const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await r.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };
  await load(300); // warm-up: JIT, caches, sockets
  const started = next('profile-started');
  proc.send({ kind: 'profile-start' });
  await started;
  await load(requests);
  const stopped = next('profile');
  proc.send({ kind: 'profile-stop' });
  const profile = JSON.parse((await stopped).profile!) as Profile;
  const dir = mkdtempSync(join(tmpdir(), `tracing-prof-${mode}-`));
  writeFileSync(join(dir, 'main.cpuprofile'), JSON.stringify(profile));
  console.error(`${mode}: ${join(dir, 'main.cpuprofile')}`);
  await new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.send({ kind: 'close' });
  });
  return profile;
}

const profiles: Profile[] = [];
for (const mode of modes) profiles.push(await runMode(mode));

function table(title: string, key: (n: Node) => string, top: number): void {
  const maps = profiles.map((p) => selfTimes(p, key));
  const keys = new Set(maps.flatMap((m) => [...m.keys()]));
  const rows = [...keys].map((k) => {
    const per = maps.map((m) => (m.get(k) ?? 0) / requests);
    return { k, per, diff: per[per.length - 1]! - per[0]! };
  });
  rows.sort((a, b) => Math.abs(b.diff) - Math.abs(a.diff));
  const totals = maps.map((m) => [...m.values()].reduce((a, b) => a + b, 0) / requests);
  console.log(`\n${title} — self µs per request (total: ${totals.map((t, i) => `${modes[i]} ${t.toFixed(0)}`).join(', ')})`);
  console.table(rows.slice(0, top).map((r) => Object.fromEntries([['key', r.k.slice(0, 110)], ...r.per.map((v, i) => [modes[i]!, v.toFixed(1)]), ['Δ', r.diff.toFixed(1)]])));
}
table('by package', (n) => pkgOf(n.callFrame.url), 25);
table('by function', (n) => `${n.callFrame.functionName || '(anon)'} ${pkgOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`, 40);

// Under load the sampled times stretch (a descheduled thread is charged to what it was running), so the summary is
// a share of each profile's busy time, which load stretches alike in both modes.
const TRACING = /^@opentelemetry\/|^ours:platform\/tracing|^ours:adapters\/events\/trace-envelope|^node:async_hooks$/;
console.log('\nshare of busy time (not idle, not GC) in tracing code (@opentelemetry/*, platform/tracing, node:async_hooks run/get):');
for (const [i, p] of profiles.entries()) {
  const byPkg = selfTimes(p, (n) => (n.callFrame.functionName === '(idle)' || n.callFrame.functionName === '(garbage collector)' ? '(skip)' : pkgOf(n.callFrame.url)));
  const busy = [...byPkg].filter(([k]) => k !== '(skip)').reduce((a, [, v]) => a + v, 0);
  const gc = selfTimes(p, (n) => n.callFrame.functionName)?.get('(garbage collector)') ?? 0;
  const traced = [...byPkg].filter(([k]) => TRACING.test(k)).reduce((a, [, v]) => a + v, 0);
  console.log(`  ${modes[i]}: ${((traced / busy) * 100).toFixed(2)} % of busy time (${(traced / requests).toFixed(1)} µs/req); GC ${((gc / (busy + gc)) * 100).toFixed(1)} % of busy + GC`);
}
collector.close();
