/**
 * `npm run bench:subscriptions -- [--sizes 100,1000,10000] [--events 20] [--clients 2] [--floor]`: event → client
 * latency (p50 / p99) and gateway RSS as the number of concurrent subscribers on one gateway process grows
 * (docs/benchmarks.md).
 *
 * This process runs the stack (gateway, subgraphs, sandboxes; embedded stores, or Redis with REDIS_URL) and
 * publishes `stock.changed` events; `--clients` child processes (bench/subscription-clients.ts, lean raw-socket
 * clients) hold N WebSocket connections between them, one subscription each, all with the same selection including
 * `product { title }` — so every event costs one entity resolution through the gateway and one fan-out to N
 * sockets. Events are spaced 250 ms apart, so each figure is the latency of one event against N subscribers, not of
 * a backlog. Besides latency it prints what the hub measured itself (event → results ready; the fan-out's wall
 * time and CPU time) and the clients' CPU, so the bound of a run shows.
 *
 * `--floor`: the same clients and events against a bare WebSocket fan-out instead of the gateway — a `net` server
 * that answers the upgrade and `connection_init`, and per event writes one pre-built frame to every socket in a
 * loop. No GraphQL, no hub, no outbox: the least any Node process can do per delivery on this machine.
 *
 * `--client-prof DIR`: a CPU profile of each client process. The gateway side is profiled by running this file
 * under `node --cpu-prof --import tsx` (the gateway runs in this process).
 */
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import { serverTextFrame } from '../gateway/subscriptions/outgoing-result.ts';
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
type ClientReport = { latencies: number[]; busyMs: number; verified: number; mismatches: number };

/** What the benchmark runs against: the gateway, or the bare fan-out of `--floor`. */
interface Target {
  readonly wsUrl: string;
  readonly subscribers: number;
  publish(i: number): Promise<void>;
  /** Summed over events, as the hub counts them (HubStats). */
  readonly stats: { readonly events: number; readonly readyMs: number; readonly fanOutMs: number; readonly fanOutCpuMs: number };
  close(): Promise<void>;
}

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The `--floor` target: the WebSocket and graphql-transport-ws handshakes, then one write of one frame per socket. */
async function startFloor(sku: string, title: string): Promise<Target> {
  const subscribed = new Set<net.Socket>();
  const stats = { events: 0, readyMs: 0, fanOutMs: 0, fanOutCpuMs: 0 };
  const ack = serverTextFrame(Buffer.from('{"type":"connection_ack"}'));
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    let upgraded = false;
    let frames = 0;
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const key = /sec-websocket-key: *(\S+)/i.exec(buffer.toString('latin1', 0, end))?.[1] ?? '';
        const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`);
        upgraded = true;
        buffer = buffer.subarray(end + 4);
      }
      // Client frames (masked, small): the first is connection_init, the second subscribe; their content is the
      // lean client's own, so only their boundaries matter here.
      while (buffer.length >= 2) {
        const length = buffer[1]! & 0x7f;
        const size = length === 126 ? 8 + buffer.readUInt16BE(2) : 6 + length;
        if (buffer.length < size) break;
        buffer = buffer.subarray(size);
        frames += 1;
        if (frames === 1) socket.write(ack);
        else if (frames === 2) subscribed.add(socket);
      }
    });
    socket.on('close', () => subscribed.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  return {
    wsUrl: `ws://127.0.0.1:${(server.address() as net.AddressInfo).port}/graphql`,
    get subscribers() {
      return subscribed.size;
    },
    async publish(i) {
      const arrived = performance.now();
      const message = { id: '1', type: 'next', payload: { data: { stockChanged: { sku, newAvailable: i + 1, at: new Date().toISOString(), product: { title } } } } };
      const frame = serverTextFrame(Buffer.from(JSON.stringify(message)));
      const started = performance.now();
      const cpu = process.cpuUsage();
      for (const socket of subscribed) socket.write(frame);
      const used = process.cpuUsage(cpu);
      stats.events += 1;
      stats.readyMs += started - arrived;
      stats.fanOutMs += performance.now() - started;
      stats.fanOutCpuMs += (used.user + used.system) / 1000;
    },
    stats,
    async close() {
      for (const socket of subscribed) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function main(): Promise<void> {
  const sizes = arg('sizes', '100,1000,10000').split(',').map(Number);
  const events = Number(arg('events', '20'));
  const clients = Number(arg('clients', '2'));
  // `--client-prof DIR`: a CPU profile of each client process (node --cpu-prof), to see where the client side goes.
  const clientProf = arg('client-prof', '');
  const clientExecArgv = clientProf ? ['--cpu-prof', `--cpu-prof-dir=${clientProf}`] : [];
  const floor = process.argv.includes('--floor');
  const sku = 'DS-BENCH-1';
  const title = 'Bench product';
  const query = 'subscription { stockChanged { sku newAvailable at product { title } } }';
  const target = floor ? await startFloor(sku, title) : await startGatewayTarget(sku, title);
  console.log(`${floor ? 'FLOOR (bare WebSocket fan-out, no gateway)' : `gateway; event bus: ${process.env['REDIS_URL'] ? 'Redis' : 'in-process'}`}; ${events} events per size, 250 ms apart; ${clients} client processes; selection: ${query}`);
  console.log('subscribers | p50 ms | p99 ms | max ms | delivered | ready ms | fan-out ms | fan-out CPU ms | client CPU ms | RSS MiB | load | payloads checked/wrong');
  try {
    for (const n of sizes) {
      const shares = Array.from({ length: Math.min(clients, n) }, (_, i) => Math.floor(n / clients) + (i < n % clients ? 1 : 0));
      const children = shares.map((share) =>
        fork(new URL('./subscription-clients.ts', import.meta.url).pathname, [target.wsUrl, String(share), query, JSON.stringify({ sku, title })], { execArgv: ['--import', 'tsx', ...clientExecArgv] }),
      );
      // One after another: connecting is not what is measured, and two processes connecting at once only compete.
      for (const child of children) await new Promise<void>((resolve) => child.once('message', () => resolve()));
      while (target.subscribers < n) await sleep(20);
      const hub = target.stats;
      const before = { events: hub.events, readyMs: hub.readyMs, fanOutMs: hub.fanOutMs, fanOutCpuMs: hub.fanOutCpuMs };
      const load = os.loadavg()[0]!;
      for (const child of children) child.send({ cmd: 'mark' });
      for (let i = 0; i < events; i += 1) {
        await target.publish(i);
        await sleep(250);
      }
      await sleep(1_000);
      const rss = process.memoryUsage().rss;
      const reports = await Promise.all(
        children.map((child) => {
          const report = new Promise<ClientReport>((resolve) => child.once('message', (m) => resolve(m as ClientReport)));
          child.send({ cmd: 'collect' });
          return report;
        }),
      );
      for (const child of children) child.send({ cmd: 'close' });
      await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
      const sorted = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
      const busy = Math.round(reports.reduce((sum, r) => sum + r.busyMs, 0) / events);
      const fanned = hub.events - before.events;
      const ready = ((hub.readyMs - before.readyMs) / fanned).toFixed(1);
      const fanOut = ((hub.fanOutMs - before.fanOutMs) / fanned).toFixed(1);
      const fanOutCpu = ((hub.fanOutCpuMs - before.fanOutCpuMs) / fanned).toFixed(1);
      const checked = reports.reduce((sum, r) => sum + r.verified, 0);
      const wrong = reports.reduce((sum, r) => sum + r.mismatches, 0);
      console.log(
        `${String(n).padStart(11)} | ${String(percentile(sorted, 50)).padStart(6)} | ${String(percentile(sorted, 99)).padStart(6)} | ${String(sorted.at(-1)).padStart(6)} | ${String(sorted.length).padStart(9)} | ${ready.padStart(8)} | ${fanOut.padStart(10)} | ${fanOutCpu.padStart(14)} | ${String(busy).padStart(13)} | ${String(mib(rss)).padStart(7)} | ${load.toFixed(2).padStart(4)} | ${checked}/${wrong}`,
      );
      if (wrong > 0) process.exitCode = 1;
      while (target.subscribers > 0) await sleep(20);
    }
  } finally {
    await target.close();
  }
}

/** The real product path: the stack's gateway, events published on the stack's event bus. */
async function startGatewayTarget(sku: string, title: string): Promise<Target> {
  const redisUrl = process.env['REDIS_URL'] || undefined;
  const config = loadConfig({ GATEWAY_PORT: '0', LOG_LEVEL: 'silent', KEY_PREFIX: `bench:${Date.now()}:`, ...(redisUrl ? { REDIS_URL: redisUrl } : {}), BRIGHTLINE_POLL_INTERVAL_MS: '0', HARBORPROMO_POLL_INTERVAL_MS: '0', MAPLECART_POLL_INTERVAL_MS: '0', RECONCILE_INTERVAL_MS: '0' });
  const stack = await startStack({ config, log: silentLogger(), subgraphPorts: 'random', seed: false });
  await stack.stores.catalog.insert({ sku, title, brand: null, gtin: null, manufacturer: null, mpn: null, description: null, suppliers: [] });
  const subscriptions = stack.gateway.subscriptions!;
  return {
    wsUrl: stack.gateway.graphqlUrl.replace(/^http/, 'ws'),
    get subscribers() {
      return subscriptions.subscribers;
    },
    async publish(i) {
      await stack.stores.events.publish('stock.changed', { type: 'stock.changed', sku, supplier: 'brightline', supplierSku: 'B-1', oldAvailable: i, newAvailable: i + 1, onHand: i + 1, version: i + 1, source: 'poll', at: new Date().toISOString() });
    },
    stats: subscriptions.stats,
    close: () => stack.close(),
  };
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
