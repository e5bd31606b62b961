/**
 * `npm run bench:gateway -- --readme [--duration 10] [--warmup 3] [--connections 50] [--targets caches-off,…]`: the README's product query
 * (one product, its stock and its offers from three suppliers with their live fields) through the whole stack, measured
 * like the fixture targets: the stack one process pinned to core 1 (gateway, subgraphs and the bundled supplier
 * sandboxes: its CPU is the product's, not only the gateway's), autocannon on core 0, 50 connections. Each request
 * asks for the next of the products all three suppliers carry (one rotation shared by every connection), so a cold
 * window starts with every cache empty and a warm window follows a warm-up pass over them all. Supplier limits are lifted: the figures are the
 * product's cost, not what the limiter held back. There is no plain-library baseline: our subgraphs refuse unsigned
 * fetches, so "caches off" is the reference.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { cpuSecondsOf, loadAverage, rssMbOf } from './process-stats.ts';

const QUERY = `query($sku: ID!) { product(sku: $sku) { sku title stock { available } offers { __typename supplier { name } available cost { amount currency } leadTimeDays } } }`;
const LIFTED = JSON.stringify({
  brightline: { requests: { limit: 1_000_000, perSeconds: 60, burst: 100_000 } },
  harborpromo: { requests: { limit: 1_000_000, perSeconds: 60, burst: 100_000 } },
  maplecart: { requests: { limit: 1_000_000, perSeconds: 60, burst: 100_000 }, cost: { maximumAvailable: 10_000_000, restoreRate: 10_000_000 } },
});

// `key`: for `--targets a,b`. Every stack runs with GATEWAY_INPROCESS_SUBGRAPHS off unless its row says on.
const TARGETS: readonly { key: string; name: string; env: Record<string, string> }[] = [
  { key: 'caches-off', name: 'caches off (OFFER_CACHE_TTL_MS=0)', env: { OFFER_CACHE_TTL_MS: '0', GATEWAY_ENTITY_CACHE: 'off' } },
  { key: 'caches-off-inprocess', name: 'caches off + `GATEWAY_INPROCESS_SUBGRAPHS=on`', env: { OFFER_CACHE_TTL_MS: '0', GATEWAY_ENTITY_CACHE: 'off', GATEWAY_INPROCESS_SUBGRAPHS: 'on' } },
  { key: 'offer-cache', name: 'offer cache (default TTL)', env: { GATEWAY_ENTITY_CACHE: 'off' } },
  { key: 'offer-cache-inprocess', name: 'offer cache + `GATEWAY_INPROCESS_SUBGRAPHS=on`', env: { GATEWAY_ENTITY_CACHE: 'off', GATEWAY_INPROCESS_SUBGRAPHS: 'on' } },
  { key: 'entity-cache', name: 'offer cache + entity cache', env: { GATEWAY_ENTITY_CACHE: 'on' } },
  { key: 'all', name: 'offer + entity cache + dedup + pool', env: { GATEWAY_ENTITY_CACHE: 'on', GATEWAY_DEDUP: 'on', GATEWAY_SUBGRAPH_POOL: 'on' } },
  { key: 'all-inprocess', name: 'offer + entity cache + dedup + in-process', env: { GATEWAY_ENTITY_CACHE: 'on', GATEWAY_DEDUP: 'on', GATEWAY_INPROCESS_SUBGRAPHS: 'on' } },
];

export async function runReadme(options: { durationS: number; warmupS: number; connections: number; targets?: readonly string[] }): Promise<boolean> {
  console.log(`bench:gateway --readme — ${new Date().toISOString()}, load average ${loadAverage()}, node ${process.version}`);
  const root = new URL('../..', import.meta.url).pathname;
  const rows: string[] = [];
  let failed = false;
  const chosen = options.targets ? TARGETS.filter((t) => options.targets!.includes(t.key)) : TARGETS;
  for (const [i, target] of chosen.entries()) {
    const child: ChildProcess = spawn('taskset', ['-c', '1', process.execPath, '--import', 'tsx', `${root}bench/gateway/readme-stack.ts`], {
      cwd: root,
      env: { ...process.env, GATEWAY_INPROCESS_SUBGRAPHS: 'off', KEY_PREFIX: `bench-readme-${process.pid}-${i}:`, SUPPLIER_LIMITS: LIFTED, BRIGHTLINE_POLL_INTERVAL_MS: '0', HARBORPROMO_POLL_INTERVAL_MS: '0', MAPLECART_POLL_INTERVAL_MS: '0', RECONCILE_INTERVAL_MS: '0', ...target.env },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const { url, skus } = await new Promise<{ url: string; skus: string[] }>((resolve, reject) => {
      child.once('message', (m: { url: string; skus: string[] }) => resolve(m));
      child.once('exit', (code) => reject(new Error(`stack process exited ${code}`)));
    });
    let bad = 0;
    // One shared rotation: consecutive requests (from any connection) ask for different products, so connections do
    // not march through the list in step (which would hand in-flight de-duplication identical requests).
    let next = 0;
    const requests = [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request: Record<string, unknown>) => ({ ...request, body: JSON.stringify({ query: QUERY, variables: { sku: skus[next++ % skus.length] } }) }),
        // A degraded or failed answer is counted: the figures are for whole answers.
        onResponse: (status: number, body: string) => {
          if (status !== 200 || body.includes('"errors"')) bad += 1;
        },
      },
    ];
    const window = async (label: string, durationS: number, measured: boolean) => {
      bad = 0;
      const cpuBefore = cpuSecondsOf(child.pid!);
      const result = await autocannon({ url, connections: options.connections, duration: durationS, requests, timeout: 20 } as never);
      const cpu = cpuSecondsOf(child.pid!) - cpuBefore;
      const ok = result.requests.total - result.non2xx;
      if (!measured) return;
      if (result.non2xx + result.errors + result.timeouts + bad > 0) failed = true;
      rows.push(`| ${target.name} | ${label} | ${(ok / result.duration).toFixed(0)} | ${result.latency.p50} | ${result.latency.p99} | ${ok > 0 ? ((cpu * 1000) / ok).toFixed(2) : '—'} | ${rssMbOf(child.pid!).toFixed(0)} | ${result.non2xx + result.errors + result.timeouts + bad} |`);
      console.log(rows.at(-1));
    };
    await window('cold', options.durationS, true);
    await window('warm-up', options.warmupS, false);
    await new Promise((r) => setTimeout(r, 2_000));
    await window('warm', options.durationS, true);
    await new Promise((r) => setTimeout(r, 2_000));
    child.disconnect();
    await new Promise((resolve) => child.once('exit', resolve));
    console.log(`(${skus.length} products carried by all three suppliers)`);
  }
  console.log(`\nload average ${loadAverage()}; ${options.durationS} s windows, ${options.connections} connections\n`);
  console.log('| stack | window | requests/s | p50 ms | p99 ms | stack CPU ms/op | RSS MB | failed or degraded |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) console.log(row);
  return !failed;
}
