/**
 * `npm run bench:subscriptions -- [--sizes 100,1000,10000] [--events 20] [--warmup 5] [--clients 2] [--rounds 3]
 * [--floor | --no-floor] [--ids same|uuid]`: event → client latency (p50 / p99), gateway RSS and fan-out CPU per
 * delivery as the number of concurrent subscribers on one gateway process grows (docs/benchmarks.md).
 *
 * This process runs the stack (gateway, subgraphs, sandboxes; embedded stores, or Redis with REDIS_URL) and
 * publishes `stock.changed` events; `--clients` child processes (bench/subscription-clients.ts, lean raw-socket
 * clients) hold N WebSocket connections between them, one subscription each, all with the same selection including
 * `product { title }` — so every event costs one entity resolution through the gateway and one fan-out to N
 * sockets. Events are spaced 250 ms apart, so each figure is the latency of one event against N subscribers, not of
 * a backlog; `--warmup` events go first and are not counted (JIT compilation is not a delivery's cost). Besides
 * latency it prints what the hub measured itself (event → results ready; the fan-out's wall time and CPU time) and
 * the clients' CPU, so the bound of a run shows.
 *
 * By default every round runs each size against the gateway AND against the bare floor below, in this one process
 * (alternating which goes first), and ends with the ratio of fan-out CPU per delivery, gateway over floor, per size
 * and round, and a verdict against issue 13's ≤ 1.2×. `--floor` runs the floor only, `--no-floor` the gateway only.
 *
 * The floor: the least a graphql-ws server can do per delivery, on the same stack as the gateway's endpoint — an
 * HTTP server whose upgrades `ws` handles (same library, same server options, so the same socket options and
 * per-connection objects), answering `connection_init` and recording each `subscribe`'s id; per event it serialises
 * the payload once, frames a `next` once per distinct subscription id, and for each subscription checks the
 * WebSocket is open (no data frame may follow a close frame) and writes that frame to its socket — what the
 * gateway's delivery does minus every product rule (filters, versions, outbox, backpressure). `--ids uuid` gives
 * every subscription its own id, as graphql-ws and Apollo clients do (default: all "1"), so both sides frame per
 * delivery.
 *
 * `--client-prof DIR`: a CPU profile of each client process. The gateway side is profiled by running this file
 * under `node --cpu-prof --import tsx` (the gateway runs in this process).
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import os from 'node:os';
import { WebSocketServer, type WebSocket } from 'ws';
import { loadConfig } from '../platform/config.ts';
import { silentLogger } from '../platform/logger.ts';
import { startStack } from '../stack/start-stack.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}
const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type ClientReport = { latencies: number[]; busyMs: number; verified: number; mismatches: number; frameBytes: number };

/** What the benchmark runs against: the gateway, or the bare fan-out floor. */
interface Target {
  readonly name: 'gateway' | 'floor';
  readonly wsUrl: string;
  readonly subscribers: number;
  publish(i: number): Promise<void>;
  /** Summed over events, as the hub counts them (HubStats). */
  readonly stats: { readonly events: number; readonly readyMs: number; readonly fanOutMs: number; readonly fanOutCpuMs: number };
  close(): Promise<void>;
}

const GRAPHQL_TRANSPORT_WS = 'graphql-transport-ws';

/** One unmasked, unfragmented text frame (RFC 6455 §5.2): header, `{"id":<id>` and the shared tail, one allocation. */
function nextFrame(id: string, tail: Buffer): Buffer {
  const head = `{"id":${JSON.stringify(id)}`;
  const length = Buffer.byteLength(head) + tail.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81;
  if (length < 126) frame[1] = length;
  else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  tail.copy(frame, headerLength + frame.write(head, headerLength));
  return frame;
}

/** The floor (see the top of this file): `ws` on an HTTP server, one frame per distinct id, one write per subscription. */
async function startFloor(sku: string, title: string): Promise<Target> {
  type Subscription = { readonly socket: WebSocket; readonly raw: Duplex; readonly id: string };
  const subscriptions = new Set<Subscription>();
  const stats = { events: 0, readyMs: 0, fanOutMs: 0, fanOutCpuMs: 0 };
  const server = createServer();
  // The gateway's WebSocketServer options (gateway/subscriptions/subscription-server.ts), permessage-deflate off as there.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 65_536, handleProtocols: (protocols) => (protocols.has(GRAPHQL_TRANSPORT_WS) ? GRAPHQL_TRANSPORT_WS : false) });
  server.on('upgrade', (request, socket, head) => wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request)));
  wss.on('connection', (socket: WebSocket) => {
    socket.on('error', () => {});
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type?: string; id?: string };
      if (message.type === 'connection_init') socket.send('{"type":"connection_ack"}');
      else if (message.type === 'subscribe' && typeof message.id === 'string') {
        // The frame socket, as the gateway writes `next` frames to it (frameSocketOf in subscription-server.ts).
        const subscription = { socket, raw: (socket as unknown as { _socket: Duplex })._socket, id: message.id };
        subscriptions.add(subscription);
        socket.once('close', () => subscriptions.delete(subscription));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  return {
    name: 'floor',
    wsUrl: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    get subscribers() {
      return subscriptions.size;
    },
    async publish(i) {
      const arrived = performance.now();
      const payload = { data: { stockChanged: { sku, newAvailable: i + 1, at: new Date().toISOString(), product: { title } } } };
      const tail = Buffer.from(`,"type":"next","payload":${JSON.stringify(payload)}}`);
      const started = performance.now();
      const cpu = process.cpuUsage();
      const frames = new Map<string, Buffer>();
      for (const { socket, raw, id } of subscriptions) {
        if (socket.readyState !== socket.OPEN) continue;
        let frame = frames.get(id);
        if (frame === undefined) {
          frame = nextFrame(id, tail);
          // Kept for the next subscription with the same id, a few ids at most: with an id per client (`--ids
          // uuid`) a growing map of 10,000 frames per event would be work no server needs.
          if (frames.size < 16) frames.set(id, frame);
        }
        raw.write(frame);
      }
      stats.events += 1;
      stats.readyMs += started - arrived;
      // Measured as the hub does: the loop (writes without a callback queue nothing after it).
      stats.fanOutMs += performance.now() - started;
      const used = process.cpuUsage(cpu);
      stats.fanOutCpuMs += (used.user + used.system) / 1000;
    },
    stats,
    async close() {
      for (const { socket } of subscriptions) socket.terminate();
      await new Promise((resolve) => wss.close(resolve));
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** One size against one target: clients connect, `warmup` events, then `events` measured ones. */
async function runSize(target: Target, n: number, options: { events: number; warmup: number; clients: number; query: string; sku: string; title: string; ids: string; clientExecArgv: string[] }) {
  const { events, clients, query, sku, title } = options;
  const shares = Array.from({ length: Math.min(clients, n) }, (_, i) => Math.floor(n / clients) + (i < n % clients ? 1 : 0));
  const children = shares.map((share) =>
    fork(new URL('./subscription-clients.ts', import.meta.url).pathname, [target.wsUrl, String(share), query, JSON.stringify({ sku, title }), options.ids], { execArgv: ['--import', 'tsx', ...options.clientExecArgv] }),
  );
  // One after another: connecting is not what is measured, and two processes connecting at once only compete.
  for (const child of children) {
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`a client process exited (${code}) before its connections were open`)));
    });
  }
  while (target.subscribers < n) await sleep(20);
  let published = 0;
  for (let i = 0; i < options.warmup; i += 1) {
    await target.publish(published++);
    await sleep(250);
  }
  // Every warm-up delivery read before the mark: a late one (a loaded machine) would be counted as measured.
  const received = async () =>
    (await Promise.all(children.map((child) => new Promise<number>((resolve) => (child.once('message', (m) => resolve((m as { received: number }).received)), child.send({ cmd: 'count' })))))).reduce((a, b) => a + b, 0);
  const settleBy = Date.now() + 60_000;
  while ((await received()) < n * options.warmup && Date.now() < settleBy) await sleep(100);
  await sleep(250);
  const hub = target.stats;
  const before = { events: hub.events, readyMs: hub.readyMs, fanOutMs: hub.fanOutMs, fanOutCpuMs: hub.fanOutCpuMs };
  const load = os.loadavg()[0]!;
  for (const child of children) child.send({ cmd: 'mark' });
  await sleep(100); // the marks are in before the first measured event
  for (let i = 0; i < events; i += 1) {
    await target.publish(published++);
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
  const cpuPerEvent = (hub.fanOutCpuMs - before.fanOutCpuMs) / fanned;
  const ready = ((hub.readyMs - before.readyMs) / fanned).toFixed(1);
  const fanOut = ((hub.fanOutMs - before.fanOutMs) / fanned).toFixed(1);
  const checked = reports.reduce((sum, r) => sum + r.verified, 0);
  const wrong = reports.reduce((sum, r) => sum + r.mismatches, 0);
  const frameBytes = Math.max(...reports.map((r) => r.frameBytes));
  console.log(
    `${target.name.padEnd(7)} | ${String(n).padStart(11)} | ${String(percentile(sorted, 50)).padStart(6)} | ${String(percentile(sorted, 99)).padStart(6)} | ${String(sorted.at(-1)).padStart(6)} | ${String(sorted.length).padStart(9)} | ${ready.padStart(8)} | ${fanOut.padStart(10)} | ${cpuPerEvent.toFixed(1).padStart(14)} | ${((cpuPerEvent * 1000) / n).toFixed(2).padStart(6)} | ${String(busy).padStart(13)} | ${String(mib(rss)).padStart(7)} | ${load.toFixed(2).padStart(5)} | ${String(frameBytes).padStart(7)} | ${checked}/${wrong}`,
  );
  if (wrong > 0 || sorted.length !== n * events) process.exitCode = 1;
  while (target.subscribers > 0) await sleep(20);
  return { cpuPerEvent, load };
}

/** Issue 13's bound on fan-out CPU per delivery, gateway over floor. */
const TARGET_RATIO = 1.2;

async function main(): Promise<void> {
  const sizes = arg('sizes', '100,1000,10000').split(',').map(Number);
  const events = Number(arg('events', '20'));
  const warmup = Number(arg('warmup', '5'));
  const clients = Number(arg('clients', '2'));
  const ids = arg('ids', 'same');
  // `--client-prof DIR`: a CPU profile of each client process (node --cpu-prof), to see where the client side goes.
  const clientProf = arg('client-prof', '');
  const clientExecArgv = clientProf ? ['--cpu-prof', `--cpu-prof-dir=${clientProf}`] : [];
  const floorOnly = process.argv.includes('--floor');
  const gatewayOnly = process.argv.includes('--no-floor');
  const compare = !floorOnly && !gatewayOnly;
  const rounds = Number(arg('rounds', compare ? '3' : '1'));
  const sku = 'DS-BENCH-1';
  const title = 'Bench product';
  const query = 'subscription { stockChanged { sku newAvailable at product { title } } }';
  const targets: Target[] = [];
  if (!floorOnly) targets.push(await startGatewayTarget(sku, title));
  if (!gatewayOnly) targets.push(await startFloor(sku, title));
  const started = Date.now();
  console.log(
    `${compare ? 'gateway and floor (bare ws fan-out), alternating' : targets[0]!.name}; event bus: ${process.env['REDIS_URL'] ? 'Redis' : 'in-process'}; ${rounds} round(s), ${warmup} warm-up + ${events} events per size, 250 ms apart; ${clients} client processes; subscription ids: ${ids}; selection: ${query}`,
  );
  console.log('target  | subscribers | p50 ms | p99 ms | max ms | delivered | ready ms | fan-out ms | fan-out CPU ms | µs/del | client CPU ms | RSS MiB |  load | frame B | payloads checked/wrong');
  const cpu = new Map<string, number[]>(); // `${target}\n${size}` → fan-out CPU ms per event, one per round
  const loads: number[] = [];
  try {
    for (let round = 0; round < rounds; round += 1) {
      for (const n of sizes) {
        // Alternating which goes first, so a load that rises or falls through a round is shared.
        const order = round % 2 === 0 ? targets : [...targets].reverse();
        for (const target of order) {
          const { cpuPerEvent, load } = await runSize(target, n, { events, warmup, clients, query, sku, title, ids, clientExecArgv });
          const key = `${target.name}\n${n}`;
          cpu.set(key, [...(cpu.get(key) ?? []), cpuPerEvent]);
          loads.push(load);
        }
      }
    }
  } finally {
    for (const target of targets) await target.close();
  }
  if (!compare) return;
  console.log(`\nFan-out CPU per delivery, gateway / floor (same process, same clients; load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}; ${Math.round((Date.now() - started) / 1000)} s):`);
  const verdicts: string[] = [];
  let pass = true;
  const compareAt = (figures: Map<string, number[]>, n: number) => {
    const gateway = figures.get(`gateway\n${n}`)!;
    const floor = figures.get(`floor\n${n}`)!;
    const perRound = gateway.map((g, i) => g / floor[i]!);
    const us = (ms: number) => ((ms * 1000) / n).toFixed(2);
    const ratio = median(gateway) / median(floor);
    const text = `${ratio.toFixed(2)}× (median gateway ${us(median(gateway))} µs / floor ${us(median(floor))} µs per delivery; per round ${perRound.map((r) => r.toFixed(2)).join(' · ')}, spread ${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)})`;
    return { ratio, text };
  };
  for (const n of sizes) {
    const process_ = compareAt(cpu, n);
    console.log(`RATIO ${String(n).padStart(6)} subscribers: ${process_.text}`);
    if (process_.ratio > TARGET_RATIO) pass = false;
    verdicts.push(`${n}: ${process_.ratio.toFixed(2)}×`);
  }
  console.log(`VERDICT: ${pass ? 'PASS' : 'FAIL'} — fan-out CPU per delivery ≤ ${TARGET_RATIO}× the bare floor, median of rounds (${verdicts.join(', ')})`);
}

/** The real product path: the stack's gateway, events published on the stack's event bus. */
async function startGatewayTarget(sku: string, title: string): Promise<Target> {
  const redisUrl = process.env['REDIS_URL'] || undefined;
  const config = loadConfig({ GATEWAY_PORT: '0', LOG_LEVEL: 'silent', KEY_PREFIX: `bench:${Date.now()}:`, ...(redisUrl ? { REDIS_URL: redisUrl } : {}), BRIGHTLINE_POLL_INTERVAL_MS: '0', HARBORPROMO_POLL_INTERVAL_MS: '0', MAPLECART_POLL_INTERVAL_MS: '0', RECONCILE_INTERVAL_MS: '0' });
  const stack = await startStack({ config, log: silentLogger(), subgraphPorts: 'random', seed: false });
  await stack.stores.catalog.insert({ sku, title, brand: null, gtin: null, manufacturer: null, mpn: null, description: null, suppliers: [] });
  const subscriptions = stack.gateway.subscriptions!;
  return {
    name: 'gateway',
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
