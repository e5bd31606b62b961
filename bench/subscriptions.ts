/**
 * `npm run bench:subscriptions -- [--sizes 100,1000,10000] [--events 20] [--clients 2]`: event → client latency (p50 / p99) and
 * gateway RSS as the number of concurrent subscribers on one gateway process grows (docs/benchmarks.md).
 *
 * This process runs the stack (gateway, subgraphs, sandboxes; embedded stores, or Redis with REDIS_URL) and
 * publishes `stock.changed` events; `--clients` child processes (bench/subscription-clients.ts) hold N WebSocket
 * connections between them, one subscription each, all with the same selection including `product { title }` — so every event costs one
 * entity resolution through the gateway and one fan-out to N sockets. Events are spaced 250 ms apart, so each
 * figure is the latency of one event against N subscribers, not of a backlog.
 */
import { fork } from 'node:child_process';
import { loadConfig } from '../platform/config.ts';
import { silentLogger } from '../platform/logger.ts';
import { startStack } from '../stack/start-stack.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}
const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const sizes = arg('sizes', '100,1000,10000').split(',').map(Number);
  const events = Number(arg('events', '20'));
  const clients = Number(arg('clients', '2'));
  const redisUrl = process.env['REDIS_URL'] || undefined;
  const config = loadConfig({ GATEWAY_PORT: '0', LOG_LEVEL: 'silent', KEY_PREFIX: `bench:${Date.now()}:`, ...(redisUrl ? { REDIS_URL: redisUrl } : {}), BRIGHTLINE_POLL_INTERVAL_MS: '0', HARBORPROMO_POLL_INTERVAL_MS: '0', MAPLECART_POLL_INTERVAL_MS: '0', RECONCILE_INTERVAL_MS: '0' });
  const stack = await startStack({ config, log: silentLogger(), subgraphPorts: 'random', seed: false });
  const sku = 'DS-BENCH-1';
  await stack.stores.catalog.insert({ sku, title: 'Bench product', brand: null, gtin: null, manufacturer: null, mpn: null, description: null, suppliers: [] });
  const query = 'subscription { stockChanged { sku newAvailable at product { title } } }';
  const wsUrl = stack.gateway.graphqlUrl.replace(/^http/, 'ws');
  console.log(`event bus: ${redisUrl ? 'Redis' : 'in-process'}; ${events} events per size, 250 ms apart; ${clients} client processes; selection: ${query}`);
  console.log('subscribers | p50 ms | p99 ms | max ms | delivered | gateway RSS MiB | client CPU ms per event (busiest process)');
  try {
    for (const n of sizes) {
      const shares = Array.from({ length: Math.min(clients, n) }, (_, i) => Math.floor(n / clients) + (i < n % clients ? 1 : 0));
      const children = shares.map((share) => fork(new URL('./subscription-clients.ts', import.meta.url).pathname, [wsUrl, String(share), query], { execArgv: ['--import', 'tsx'] }));
      // One after another: connecting is not what is measured, and two processes connecting at once only compete.
      for (const child of children) await new Promise<void>((resolve) => child.once('message', () => resolve()));
      while (stack.gateway.subscriptions!.subscribers < n) await sleep(20);
      for (const child of children) child.send({ cmd: 'mark' });
      for (let i = 0; i < events; i += 1) {
        await stack.stores.events.publish('stock.changed', { type: 'stock.changed', sku, supplier: 'brightline', supplierSku: 'B-1', oldAvailable: i, newAvailable: i + 1, onHand: i + 1, version: i + 1, source: 'poll', at: new Date().toISOString() });
        await sleep(250);
      }
      await sleep(1_000);
      const rss = process.memoryUsage().rss;
      const reports = await Promise.all(
        children.map((child) => {
          const report = new Promise<{ latencies: number[]; busyMs: number }>((resolve) => child.once('message', (m) => resolve(m as { latencies: number[]; busyMs: number })));
          child.send({ cmd: 'collect' });
          return report;
        }),
      );
      for (const child of children) child.send({ cmd: 'close' });
      await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
      const sorted = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
      const busy = Math.round(Math.max(...reports.map((r) => r.busyMs)) / events);
      console.log(`${String(n).padStart(11)} | ${String(percentile(sorted, 50)).padStart(6)} | ${String(percentile(sorted, 99)).padStart(6)} | ${String(sorted.at(-1)).padStart(6)} | ${String(sorted.length).padStart(9)} | ${String(mib(rss)).padStart(15)} | ${busy}`);
      while (stack.gateway.subscriptions!.subscribers > 0) await sleep(20);
    }
  } finally {
    await stack.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
