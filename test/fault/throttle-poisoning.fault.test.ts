/**
 * Issue 14, point 3: one cost report locked a supplier out for weeks. A maplecart answer reporting a tiny restore
 * rate, a negative level and a huge bucket was adopted as is, shared through Redis, and refused every maplecart call
 * locally for 14.6 days — and since nothing was sent, no healthy answer could correct it.
 *
 * Here: the real maplecart sandbox behind a hostile proxy (a broken edge in front of the supplier) that rewrites
 * `extensions.cost.throttleStatus` of its answers while poisoned, and two separate Node processes
 * (throttle-poisoning-process.ts) with the maplecart connector and its traffic policies on one shared Redis (a random
 * key prefix), each reading stock on a steady beat. Acceptance: once the supplier answers normally again, both
 * processes' calls go through and succeed within the breaker's open time — orders and tracking included.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphqlSandbox, type GraphqlSandbox } from '../../sandboxes/graphql/index.ts';
import { publishedLimitsOf, sandboxLimitsOf } from '../../stack/supplier-limits.ts';
import { cleanUpTestData } from '../support/test-data.ts';

const { REDIS_URL } = process.env;
const ROOT = path.resolve(import.meta.dirname, '../..');
const ENTRY = path.resolve(import.meta.dirname, 'throttle-poisoning-process.ts');

/** Short, so the scenario fits a CI budget: waits are capped at it and a probe goes every half of it. */
const BREAKER_OPEN_MS = 4_000;
/** Each process's beat of live stock reads: together well under the published 50 points a second. */
const EVERY_MS = 250;
const POISONED_MS = 6_000;
/** What the hostile edge reports while poisoned: the shape of the report that locked maplecart out. */
const POISON = { maximumAvailable: 1e12, currentlyAvailable: -1e12, restoreRate: 1e-9 };

interface CallLine {
  readonly t: number;
  readonly op: string;
  readonly lane: string;
  readonly ok: boolean;
  readonly code?: string;
  readonly ms: number;
}

interface Child {
  readonly name: string;
  readonly calls: CallLine[];
  readonly stderr: string[];
  send(line: string): void;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A proxy in front of the sandbox: passes every request through, and while poisoned rewrites the cost report. */
async function startHostileEdge(upstream: string): Promise<{ url: string; server: Server; poisoned: { on: boolean }; forwarded: number[] }> {
  const poisoned = { on: false };
  const forwarded: number[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const body = await readBody(req);
      forwarded.push(Date.now());
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
      const answer = await fetch(`${upstream}${req.url ?? '/'}`, { method: req.method ?? 'POST', headers, ...(body.length > 0 ? { body } : {}) });
      let text = await answer.text();
      if (poisoned.on && answer.ok) {
        const json = JSON.parse(text) as { extensions?: { cost?: { throttleStatus?: unknown } } };
        if (json.extensions?.cost) json.extensions.cost.throttleStatus = POISON;
        text = JSON.stringify(json);
      }
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(text);
    })().catch((error: unknown) => {
      res.writeHead(502).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, poisoned, forwarded };
}

async function startChild(name: string, env: Record<string, string>): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const calls: CallLine[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 30 s: ${stderr.slice(-10).join('\n')}`)), 30_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const parsed = JSON.parse(line) as CallLine | { ready: true };
      if ('ready' in parsed) {
        clearTimeout(timer);
        resolve();
      } else calls.push(parsed);
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it started: ${stderr.slice(-10).join('\n')}`));
    });
  });
  return {
    name,
    calls,
    stderr,
    send: (line) => void child.stdin!.write(`${line}\n`),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin!.write('stop\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * When a process recovered: the first call at or after `from` that reached the supplier and succeeded, from which on
 * every call of its beat succeeded too. Undefined when it never did.
 */
function recoveredAt(calls: readonly CallLine[], from: number): number | undefined {
  const beat = calls.filter((c) => c.op === 'getStock' && c.t >= from);
  const lastFailure = beat.findLastIndex((c) => !c.ok);
  const first = beat[lastFailure + 1];
  return first && beat.length - (lastFailure + 1) >= 4 ? first.t : undefined;
}

describe('throttle poisoning: a maplecart cost report cannot lock the supplier out (issue 14.3)', () => {
  const keyPrefix = `tp-${randomBytes(4).toString('hex')}:`;
  let sandbox: GraphqlSandbox;
  let edge: Awaited<ReturnType<typeof startHostileEdge>>;
  const children: Child[] = [];
  let healthyAt = 0;
  let poisonedAt = 0;

  beforeAll(async () => {
    if (!REDIS_URL) throw new Error('REDIS_URL is required: eval "$(bash scripts/test-services.sh env)"');
    sandbox = await createGraphqlSandbox({ port: 0, host: '127.0.0.1', ...sandboxLimitsOf(publishedLimitsOf('maplecart')) });
    edge = await startHostileEdge(sandbox.url);
    const sku = sandbox.supplierSkus().find((s) => (sandbox.stockOf(s) ?? 0) > 50);
    if (!sku) throw new Error('the maplecart sandbox carries no SKU with stock');
    const env = {
      REDIS_URL,
      TP_KEY_PREFIX: keyPrefix,
      TP_URL: edge.url,
      TP_ACCESS_TOKEN: sandbox.credentials['accessToken']!,
      TP_SKU: sku,
      TP_BREAKER_OPEN_MS: String(BREAKER_OPEN_MS),
      TP_EVERY_MS: String(EVERY_MS),
    };
    children.push(...(await Promise.all([startChild('process A', env), startChild('process B', env)])));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop()));
    await new Promise<void>((resolve) => (edge ? edge.server.close(() => resolve()) : resolve()));
    await sandbox?.close();
    await cleanUpTestData({ redisUrl: REDIS_URL, keyPrefix });
  }, 30_000);

  it('serves both processes before the poisoning (the beat fits the published budget)', async () => {
    await sleep(1_500);
    for (const child of children) {
      const beat = child.calls.filter((c) => c.op === 'getStock');
      expect(beat.length, child.name).toBeGreaterThanOrEqual(3);
      expect(beat.every((c) => c.ok), `${child.name}: ${JSON.stringify(beat.filter((c) => !c.ok))}`).toBe(true);
    }
  }, 10_000);

  it('holds both processes back while poisoned, sending at most one probe per half open time between them', async () => {
    edge.poisoned.on = true;
    poisonedAt = Date.now();
    await sleep(POISONED_MS);
    // From the first poisoned answer on, through both processes' locked-out beats.
    const settledAt = poisonedAt + 1_000;
    const sent = edge.forwarded.filter((t) => t >= settledAt && t < poisonedAt + POISONED_MS).length;
    const beats = children.map((c) => c.calls.filter((x) => x.op === 'getStock' && x.t >= settledAt && x.t < poisonedAt + POISONED_MS));
    for (const [i, child] of children.entries()) {
      expect(beats[i]!.filter((c) => c.code === 'RATE_LIMITED_LOCALLY').length, child.name).toBeGreaterThan(beats[i]!.length / 2);
    }
    // 5 s of two beats is 40 reads; the supplier saw only the probes: one per 2 s for both processes together, so at
    // most 3 in 5 s (a probe token per process sent 4 here, two at once).
    const windowMs = POISONED_MS - 1_000;
    expect(sent, `requests sent while poisoned: ${sent}`).toBeLessThanOrEqual(Math.floor(windowMs / (BREAKER_OPEN_MS / 2)) + 1);
    expect(sent).toBeGreaterThanOrEqual(1); // the probe: the supplier is still asked
  }, POISONED_MS + 5_000);

  it('recovers by itself within the breaker open time once the supplier answers normally, in both processes', async () => {
    edge.poisoned.on = false;
    healthyAt = Date.now();
    await sleep(BREAKER_OPEN_MS + 2_000);
    const recovered = children.map((c) => recoveredAt(c.calls, healthyAt));
    for (const [i, child] of children.entries()) {
      const at = recovered[i];
      expect(at, `${child.name} never recovered: ${JSON.stringify(child.calls.filter((c) => c.t >= healthyAt).slice(0, 30))}`).toBeDefined();
      expect(at! - healthyAt, `${child.name} recovered after ${at! - healthyAt} ms`).toBeLessThan(BREAKER_OPEN_MS);
    }
    console.info(`throttle poisoning: recovered ${recovered.map((at) => `${at! - healthyAt} ms`).join(', ')} after the supplier was healthy (breaker open time ${BREAKER_OPEN_MS} ms)`);
  }, BREAKER_OPEN_MS + 10_000);

  it('lets orders and order tracking through in both processes after the recovery', async () => {
    const since = Date.now();
    children.forEach((child, i) => child.send(`order tp-${keyPrefix.slice(3, 11)}-${i}`));
    const deadline = Date.now() + 15_000;
    const done = () => children.every((c) => c.calls.some((x) => x.t >= since && x.op === 'getOrderStatus') || c.calls.some((x) => x.t >= since && x.op === 'placeOrder' && !x.ok));
    while (!done() && Date.now() < deadline) await sleep(100);
    for (const child of children) {
      const writes = child.calls.filter((c) => c.t >= since && c.op !== 'getStock');
      expect(writes.map((c) => [c.op, c.lane, c.ok, c.code ?? null]), child.name).toEqual([
        ['placeOrder', 'order', true, null],
        ['getOrderStatus', 'tracking', true, null],
      ]);
    }
  }, 20_000);
});
