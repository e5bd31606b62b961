/**
 * `npm run bench:subscriptions-reconnect -- [--clients 10000] [--processes 2] [--retry-wait 1300,4000]`: the
 * snapshot-on-reconnect path at scale (docs/benchmarks.md). Needs REDIS_URL: two gateway processes share nothing
 * else.
 *
 * This process runs the stack (subgraphs, sandboxes, stores) and two gateway processes as deployed (bin/gateway.ts,
 * A and B, on one Redis). `--processes` client processes (bench/subscription-reconnect-clients.ts) open
 * `--clients` graphql-ws connections to A, each subscribed with `snapshot: true` to one SKU's stock. Then A gets
 * SIGTERM (its sockets close 1012) and, during the restart, the SKU's stock changes (a supplier report through the
 * stock updater, as an import applies it: stored, then published). Every client retries to B after graphql-ws's
 * randomised wait and subscribes again; B sends each the current state first.
 *
 * Printed: time to converge (SIGTERM → the last client holding the current version), how the clients got it
 * (SNAPSHOT or the change event), the close codes seen, and B's RSS (idle before; after converging; its peak,
 * VmHWM) and CPU during the reconnect — read from /proc for B's own process, so the clients' and the stack's CPU
 * are not in it. A's RSS with every client subscribed is printed too.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { silentLogger } from '../platform/logger.ts';
import { loadConfig } from '../platform/config.ts';
import { startStack } from '../stack/start-stack.ts';
import { gatewayEnvFor, startGatewayProcess, type GatewayProcess } from '../test/support/gateway-process.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (kib: number) => Math.round(kib / 1024);
type Status = { reached: number; last: number; open: number; reconnects: number; sources: Record<string, number>; closeCodes: Record<string, number>; cpu: NodeJS.CpuUsage };

/** A process's own figures, from the kernel: RSS and peak RSS (KiB), CPU (ms, user + system). */
function procOf(pid: number): { rssKiB: number; hwmKiB: number; cpuMs: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name): utime, stime in clock ticks (100 Hz).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { rssKiB: kib('VmRSS'), hwmKiB: kib('VmHWM'), cpuMs: (Number(fields[11]) + Number(fields[12])) * 10 };
}

async function main(): Promise<void> {
  const redisUrl = process.env['REDIS_URL'];
  if (!redisUrl) throw new Error('REDIS_URL is required: two gateway processes share the event bus through Redis');
  const clients = Number(arg('clients', '10000'));
  const processes = Number(arg('processes', '2'));
  const retryWait = arg('retry-wait', '1300,4000');
  const secret = 'bench-reconnect-signing-secret-0123456789abcdef';
  const config = loadConfig({
    GATEWAY_PORT: '0', LOG_LEVEL: 'silent', KEY_PREFIX: `bench:${Date.now()}:`, REDIS_URL: redisUrl, GATEWAY_SIGNING_SECRET: secret,
    BRIGHTLINE_POLL_INTERVAL_MS: '0', HARBORPROMO_POLL_INTERVAL_MS: '0', MAPLECART_POLL_INTERVAL_MS: '0', RECONCILE_INTERVAL_MS: '0',
  });
  const stack = await startStack({ config, log: silentLogger(), subgraphPorts: 'random', seed: false, orderLoopMs: 0 });
  const gateways: GatewayProcess[] = [];
  const children: ReturnType<typeof fork>[] = [];
  try {
    const sku = 'DS-BENCH-RECONNECT';
    await stack.stores.catalog.insert({ sku, title: 'Bench reconnect', brand: null, gtin: null, manufacturer: null, mpn: null, description: null, suppliers: [{ supplier: 'brightline', supplierSku: 'B-RECONNECT' }] });
    let onHand = 100;
    const report = async () => {
      onHand += 1;
      await stack.updater.applyReport({ sku, supplier: 'brightline', supplierSku: 'B-RECONNECT', onHand, supplierAsOf: new Date().toISOString() }, 'import');
      return (await stack.stores.stock.get(sku, 'brightline'))!.version;
    };
    const initial = await report();
    const env = gatewayEnvFor(stack, config, secret);
    const [a, b] = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
    gateways.push(a!, b!);
    // B's warnings and errors (its JSON log lines at level ≥ 40), counted by message: a snapshot that failed leaves
    // its client with changes only, and this says why.
    const bWarnings = new Map<string, number>();
    createInterface({ input: b!.child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
        if ((entry.level ?? 0) < 40) return;
        const key = `${entry.msg}${entry.err?.message ? `: ${entry.err.message.slice(0, 120)}` : ''}`;
        bWarnings.set(key, (bWarnings.get(key) ?? 0) + 1);
      } catch {
        // not a log line
      }
    });
    const ws = (url: string) => url.replace(/^http/, 'ws');
    const query = 'subscription($skus: [ID!]) { stockChanged(skus: $skus, snapshot: true) { sku supplier newAvailable version source at product { title } } }';
    console.log(`snapshot on reconnect: ${clients} clients in ${processes} processes on gateway A; SIGTERM A; a stock change during the restart; clients retry to B after ${retryWait.replace(',', '–')} ms; event bus: Redis`);
    console.log(`selection: ${query}`);

    const started = Date.now();
    const shares = Array.from({ length: processes }, (_, i) => Math.floor(clients / processes) + (i < clients % processes ? 1 : 0));
    for (const share of shares) {
      const child = fork(new URL('./subscription-reconnect-clients.ts', import.meta.url).pathname, [JSON.stringify([ws(a!.url), ws(b!.url)]), String(share), query, JSON.stringify({ skus: [sku] }), retryWait], { execArgv: ['--import', 'tsx'] });
      children.push(child);
      // One after another: two processes connecting at once only compete.
      await new Promise<void>((resolve) => child.once('message', () => resolve()));
    }
    const status = async (version: number) => {
      const all = await Promise.all(
        children.map((child) => {
          const answer = new Promise<Status>((resolve) => child.once('message', (m) => resolve(m as Status)));
          child.send({ cmd: 'status', version });
          return answer;
        }),
      );
      const sum = (f: (s: Status) => number) => all.reduce((total, s) => total + f(s), 0);
      const merge = (f: (s: Status) => Record<string, number>) => {
        const merged: Record<string, number> = {};
        for (const s of all) for (const [k, n] of Object.entries(f(s))) merged[k] = (merged[k] ?? 0) + n;
        return merged;
      };
      return { reached: sum((s) => s.reached), last: Math.max(...all.map((s) => s.last)), open: sum((s) => s.open), reconnects: sum((s) => s.reconnects), sources: merge((s) => s.sources), closeCodes: merge((s) => s.closeCodes), clientCpuMs: sum((s) => (s.cpu.user + s.cpu.system) / 1000) };
    };
    const first = await status(initial);
    if (first.reached !== clients) throw new Error(`only ${first.reached} of ${clients} clients got the initial snapshot`);
    console.log(`initial: ${clients} clients subscribed to A, every one holding the snapshot (version ${initial}) after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await sleep(2_000); // let the connect phase's garbage settle before the idle figures
    const aBefore = procOf(a!.child.pid!);
    const bBefore = procOf(b!.child.pid!);
    const before = await status(initial);

    // The deploy: SIGTERM A; the change lands while the clients wait to reconnect.
    const sigterm = Date.now();
    const aStopped = a!.stop();
    const current = await report();
    let now = await status(current);
    const deadline = sigterm + 180_000;
    while (now.reached < clients && Date.now() < deadline) {
      await sleep(100);
      now = await status(current);
    }
    const bAfter = procOf(b!.child.pid!);
    const aExit = await aStopped;
    const converged = now.reached === clients;
    const closeCodes = Object.fromEntries(Object.entries(now.closeCodes).map(([code, n]) => [code, n - (before.closeCodes[code] ?? 0)]).filter(([, n]) => n !== 0));
    console.log(
      `${converged ? 'converged' : `NOT converged (${now.reached} of ${clients})`}: the last client held version ${current} ${((now.last - sigterm) / 1000).toFixed(2)} s after SIGTERM; ` +
        `got it by: ${JSON.stringify(now.sources)}; closes seen (code or error: count): ${JSON.stringify(closeCodes)}; reconnects: ${now.reconnects - before.reconnects}; open on B: ${now.open}; A exited ${aExit}`,
    );
    console.log(`gateway A with ${clients} subscribers: RSS ${mib(aBefore.rssKiB)} MiB`);
    console.log(
      `gateway B: RSS idle ${mib(bBefore.rssKiB)} MiB → ${mib(bAfter.rssKiB)} MiB with ${clients} subscribers (peak ${mib(bAfter.hwmKiB)} MiB); ` +
        `CPU during the reconnect ${((bAfter.cpuMs - bBefore.cpuMs) / 1000).toFixed(1)} s (${((bAfter.cpuMs - bBefore.cpuMs) / clients).toFixed(2)} ms per client); clients' CPU ${((now.clientCpuMs - before.clientCpuMs) / 1000).toFixed(1)} s`,
    );
    for (const [message, n] of [...bWarnings].sort((x, y) => y[1] - x[1]).slice(0, 8)) console.log(`gateway B logged ${n} × ${message}`);
    if (!converged) process.exitCode = 1;
  } finally {
    for (const child of children) child.send({ cmd: 'close' });
    await Promise.all(gateways.map((g) => g.stop()));
    await stack.close();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
