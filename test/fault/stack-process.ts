/**
 * One process of the fault-injection suite (traffic.fault.test.ts): a whole stack started with `startStack` from
 * this process's environment, plus a small control server through which the test drives connector calls in a
 * given lane (order traffic, sync floods) — placing orders through the graph is a later issue. Prints one JSON
 * line `{ graphqlUrl, gatewayUrl, controlUrl }` on stdout once everything listens, logs to stderr, and shuts
 * down cleanly on SIGTERM.
 *
 *   node --import tsx test/fault/stack-process.ts     (env: the usual settings)
 *
 * It never seeds the catalog: the parent seeds a few products itself (importing the whole catalog through a
 * MongoDB-protocol server costs minutes on a busy two-core machine, and the suite needs a handful).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { z } from 'zod';
import type { CallContext, Lane, SupplierConnector } from '../../adapters/core/connector.ts';
import { toRegistryError } from '../../kernel/errors.ts';
import { loadConfig } from '../../platform/config.ts';
import { createLogger, type Logger } from '../../platform/logger.ts';
import { startStack } from '../../stack/start-stack.ts';

const LANE = z.enum(['order', 'interactive', 'sync']);
const CallsRequest = z.object({
  supplier: z.string(),
  operation: z.enum(['getStock', 'placeOrder', 'getOrderStatus']),
  lane: LANE,
  /** placeOrder / getOrderStatus: one call per key, in order. */
  keys: z.array(z.string().min(1)).max(500).default([]),
  /** getStock: the SKUs of each call; placeOrder: the first is ordered. */
  skus: z.array(z.string()).max(500).default([]),
  /** getStock: how many calls. */
  count: z.number().int().min(0).max(500).default(1),
  /** Pause after each call, so a caller can pace its traffic. */
  pauseMs: z.number().int().min(0).max(10_000).default(0),
});
const FloodRequest = z.object({ supplier: z.string(), lane: LANE, skus: z.array(z.string()).min(1).max(500), concurrency: z.number().int().min(1).max(32) });

export interface CallResult {
  readonly key?: string;
  readonly ms: number;
  readonly ok: boolean;
  readonly code?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SHIP_TO = { name: 'Fault Suite', line1: '1 Test Way', city: 'Portland', region: 'OR', postalCode: '97201', country: 'US' };

function contextFor(lane: Lane, log: Logger, signal: AbortSignal, requestId: string): CallContext {
  return { lane, log, signal, requestId };
}

async function timed(call: () => Promise<unknown>, key?: string): Promise<CallResult> {
  const started = performance.now();
  try {
    await call();
    return { ...(key ? { key } : {}), ms: performance.now() - started, ok: true };
  } catch (error) {
    return { ...(key ? { key } : {}), ms: performance.now() - started, ok: false, code: toRegistryError(error).code };
  }
}

async function runCalls(connector: SupplierConnector, input: z.infer<typeof CallsRequest>, log: Logger, signal: AbortSignal): Promise<CallResult[]> {
  const results: CallResult[] = [];
  const ctx = contextFor(input.lane, log, signal, `fault-${input.operation}-${Date.now()}`);
  const one = (i: number): Promise<CallResult> => {
    const key = input.keys[i];
    switch (input.operation) {
      case 'getStock':
        return timed(() => connector.getStock(input.skus, ctx));
      case 'placeOrder':
        return timed(() => connector.placeOrder({ idempotencyKey: key!, lines: [{ lineNumber: 1, supplierSku: input.skus[0]!, quantity: 1 }], shipTo: SHIP_TO }, ctx), key);
      case 'getOrderStatus':
        return timed(() => connector.getOrderStatus({ supplierOrderId: null, idempotencyKey: key! }, ctx), key);
    }
  };
  const n = input.operation === 'getStock' ? input.count : input.keys.length;
  for (let i = 0; i < n && !signal.aborted; i += 1) {
    results.push(await one(i));
    if (input.pauseMs > 0) await sleep(input.pauseMs);
  }
  return results;
}

/** Workers calling getStock back to back until stopped: a poller or reconciliation gone wild. */
function startFlood(connector: SupplierConnector, input: z.infer<typeof FloodRequest>, log: Logger) {
  const stop = new AbortController();
  const summary = { calls: 0, ok: 0, failed: {} as Record<string, number> };
  const ctx = contextFor(input.lane, log, stop.signal, `flood-${Date.now()}`);
  const worker = async () => {
    while (!stop.signal.aborted) {
      const result = await timed(() => connector.getStock(input.skus, ctx));
      summary.calls += 1;
      if (result.ok) summary.ok += 1;
      else {
        summary.failed[result.code!] = (summary.failed[result.code!] ?? 0) + 1;
        // A refused call comes back at once; without a pause the worker would spin on the limiter.
        await sleep(50);
      }
    }
  };
  const workers = Array.from({ length: input.concurrency }, worker);
  return {
    stop: async () => {
      stop.abort();
      await Promise.all(workers);
      return summary;
    },
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.length === 0 ? {} : (JSON.parse(text) as unknown);
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // stdout carries the one JSON line the parent waits for; logs go to stderr.
  const log = createLogger({ level: config.logLevel, name: `fault-stack-${process.pid}`, destination: pino.destination(2) });
  const stack = await startStack({ config, log, subgraphPorts: 'random', seed: false });
  const closing = new AbortController();
  let flood: ReturnType<typeof startFlood> | null = null;
  const connectorOf = (slug: string): SupplierConnector => {
    const connector = stack.connectors.get(slug);
    if (!connector) throw new Error(`no supplier ${slug}`);
    return connector;
  };

  const control = createServer((req, res) => {
    const route = `${req.method} ${req.url}`;
    (async () => {
      if (route === 'POST /calls') {
        const input = CallsRequest.parse(await readJson(req));
        return send(res, 200, { results: await runCalls(connectorOf(input.supplier), input, log, closing.signal) });
      }
      if (route === 'POST /flood') {
        const input = FloodRequest.parse(await readJson(req));
        if (flood) return send(res, 409, { error: 'a flood is already running' });
        flood = startFlood(connectorOf(input.supplier), input, log);
        return send(res, 204);
      }
      if (route === 'DELETE /flood') {
        const running = flood;
        flood = null;
        return send(res, 200, running ? await running.stop() : { calls: 0, ok: 0, failed: {} });
      }
      return send(res, 404, { error: `no route ${route}` });
    })().catch((error: unknown) => send(res, 400, { error: error instanceof Error ? error.message : String(error) }));
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const { port } = control.address() as AddressInfo;

  process.stdout.write(`${JSON.stringify({ graphqlUrl: stack.gateway.graphqlUrl, gatewayUrl: stack.gateway.url, controlUrl: `http://127.0.0.1:${port}` })}\n`);

  let stopping = false;
  process.on('SIGTERM', () => {
    if (stopping) return;
    stopping = true;
    closing.abort();
    void (async () => {
      await flood?.stop();
      control.closeAllConnections();
      await new Promise<void>((resolve) => control.close(() => resolve()));
      await stack.close();
      process.exit(0);
    })();
  });
}

main().catch((error: unknown) => {
  console.error('fault stack process failed to start:', error);
  process.exit(1);
});
