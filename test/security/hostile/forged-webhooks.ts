/**
 * Unauthenticated senders: webhook deliveries to a supplier's endpoint signed with a key we do not hold, as a
 * forger would post them — plausible topic and id headers, a well-formed body, a wrong HMAC.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import path from 'node:path';

export interface ForgeryOutcome {
  /** HTTP status → count. */
  readonly statuses: Readonly<Record<string, number>>;
}

function postOnce(url: URL, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    // A fresh connection each: the endpoint closes the connection of every refused delivery.
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }, agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** `count` maplecart inventory-level deliveries with a wrong HMAC, `concurrency` at a time. */
export async function forgeMaplecartWebhooks(webhookUrl: string, count: number, concurrency: number): Promise<ForgeryOutcome> {
  const url = new URL(webhookUrl);
  const wrongKey = randomBytes(32);
  const statuses: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const body = JSON.stringify({ inventory_item_id: 40_000_000 + next, location_id: 1, available: 1_000_000, updated_at: new Date().toISOString() });
      const status = await postOnce(url, body, {
        'x-shopify-topic': 'inventory_levels/update',
        'x-shopify-webhook-id': randomUUID(),
        'x-shopify-hmac-sha256': createHmac('sha256', wrongKey).update(body).digest('base64'),
      });
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { statuses };
}

/** A counter's value from a Prometheus text exposition (0 when absent). */
export async function counterValue(metricsUrl: string, name: string, labels: Readonly<Record<string, string>>): Promise<number> {
  const text = await (await fetch(metricsUrl, { signal: AbortSignal.timeout(10_000) })).text();
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** forgeMaplecartWebhooks in a child process (flood-process.ts); rejects after `timeoutMs`. */
export function forgeInChildProcess(webhookUrl: string, count: number, concurrency: number, timeoutMs: number): Promise<ForgeryOutcome> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/security/hostile/flood-process.ts', webhookUrl, String(count), String(concurrency)], {
    cwd: path.resolve(import.meta.dirname, '../../..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the forged webhooks took over ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(JSON.parse(out) as ForgeryOutcome);
      else reject(new Error(`the webhook forger exited with ${code}`));
    });
  });
}
