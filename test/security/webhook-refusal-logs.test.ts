/**
 * Issue 14, point 6: webhook refusals were logged once each without limit — 10,000 forged deliveries, 10,000 log
 * lines. Anyone who can reach the endpoint can send them. On a full stack over real HTTP: 10,000 forged Brightline
 * deliveries (as in the issue), stale ones and forged Maplecart ones; every one is answered 401 and counted in
 * webhook_deliveries_total, while the log holds the first refusal per (supplier, rejection) and, when the stack
 * stops, one summary line each whose count makes up the rest.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { signWebhook } from '../../sandboxes/rest/index.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { counterValue } from '../../subgraphs/inventory/sync-metrics.ts';
import { testConfig } from '../support/stack-env.ts';

const SECRET = `whsec_${randomBytes(16).toString('hex')}`;
// The run: 10,000 forged deliveries. Each refusal closes its connection (about 25 s on a shared box).
const FORGED_BRIGHTLINE = 10_000;
const STALE_BRIGHTLINE = 300;
const FORGED_MAPLECART = 500;
const CONCURRENCY = 32;

type Line = Record<string, unknown>;

describe('webhook refusals: logs bounded, every refusal counted (full stack, real HTTP)', () => {
  const lines: Line[] = [];
  const log = createLogger({ level: 'info', destination: new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(...String(chunk).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line)), done()) }) });
  let stack: Stack;
  let base: string;
  const statuses = new Map<number, number>();
  const counted: Record<string, number> = {};
  let floodMs = 0;
  let duringFlood: Line[] = [];

  /** Sends `count` requests built by `make`, CONCURRENCY at a time, each on its own connection (refusals close it). */
  async function flood(count: number, make: (i: number) => { path: string; headers: Record<string, string>; body: string }): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < count) {
          const { path, headers, body } = make(next++);
          const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        }
      }),
    );
  }

  beforeAll(async () => {
    stack = await startStack({
      config: testConfig({
        LOG_LEVEL: 'info',
        BRIGHTLINE_WEBHOOK_SECRETS: SECRET,
        MAPLECART_WEBHOOK_SECRETS: SECRET,
        BRIGHTLINE_POLL_INTERVAL_MS: '0',
        HARBORPROMO_POLL_INTERVAL_MS: '0',
        MAPLECART_POLL_INTERVAL_MS: '0',
        RECONCILE_INTERVAL_MS: '0',
      }),
      log,
      subgraphPorts: 'random',
      // Refusals need no catalog: no import at start.
      seed: false,
      orderLoopMs: 0,
    });
    base = stack.subgraphs.get('inventory')!.url;
    const body = (i: number) => JSON.stringify({ id: `evt-${i}`, type: 'inventory.updated', createdAt: new Date().toISOString(), data: { partNumber: 'BL-1', warehouses: [{ warehouseCode: 'DAL', quantityAvailable: i }], lastUpdated: new Date().toISOString() } });
    const now = Math.floor(Date.now() / 1000);
    const started = performance.now();
    const signed = (secret: string, t: number, i: number) => {
      const raw = body(i);
      return { path: '/webhooks/brightline', headers: { 'x-brightline-signature': signWebhook(secret, t, raw), 'x-brightline-delivery': `evt-${i}` }, body: raw };
    };
    await flood(FORGED_BRIGHTLINE, (i) => signed(`wrong-${i}`, now, i));
    await flood(STALE_BRIGHTLINE, (i) => signed(SECRET, now - 86_400, i));
    await flood(FORGED_MAPLECART, (i) => ({
      path: '/webhooks/maplecart',
      headers: { 'x-shopify-topic': 'inventory_levels/update', 'x-shopify-hmac-sha256': randomBytes(32).toString('base64'), 'x-shopify-webhook-id': randomUUID() },
      body: JSON.stringify({ inventory_item_id: i, location_id: 1, available: i, updated_at: new Date().toISOString() }),
    }));
    floodMs = performance.now() - started;
    duringFlood = lines.filter((l) => l['msg'] === 'webhook delivery refused' || l['msg'] === 'webhook delivery refused (repeated)');
    for (const [supplier, outcome] of [['brightline', 'forged'], ['brightline', 'stale'], ['maplecart', 'forged']] as const) {
      counted[`${supplier}:${outcome}`] = await counterValue(stack.metrics.registry, 'webhook_deliveries_total', { supplier, outcome });
    }
    await stack.close();
  }, 180_000);

  afterAll(async () => {
    await stack?.close().catch(() => {});
  });

  it('every forgery is refused 401 and counted in webhook_deliveries_total', () => {
    expect(Object.fromEntries(statuses)).toEqual({ 401: FORGED_BRIGHTLINE + STALE_BRIGHTLINE + FORGED_MAPLECART });
    expect(counted).toEqual({ 'brightline:forged': FORGED_BRIGHTLINE, 'brightline:stale': STALE_BRIGHTLINE, 'maplecart:forged': FORGED_MAPLECART });
  });

  it('the log holds one line per (supplier, rejection), plus at most one summary per minute each', () => {
    const keys = 3;
    const intervals = Math.ceil(floodMs / 60_000);
    expect(duringFlood.length, JSON.stringify(duringFlood)).toBeLessThanOrEqual(keys * (1 + intervals));
    const firsts = duringFlood.filter((l) => l['msg'] === 'webhook delivery refused');
    expect(firsts.map((l) => `${String(l['supplier'])}:${String(l['rejection'])}`).sort()).toEqual(['brightline:forged', 'brightline:stale', 'maplecart:forged']);
    // The reason is ours (which check failed), never what the sender wrote.
    for (const line of firsts) expect(String(line['reason']).length).toBeLessThanOrEqual(200);
  });

  it('when the stack stops, the summaries account for every refusal not logged on its own', () => {
    const refused = lines.filter((l) => l['msg'] === 'webhook delivery refused' || l['msg'] === 'webhook delivery refused (repeated)');
    expect(refused.length).toBeLessThanOrEqual(3 * (2 + Math.ceil(floodMs / 60_000)));
    const total = (supplier: string, rejection: string) =>
      refused.filter((l) => l['supplier'] === supplier && l['rejection'] === rejection).reduce((n, l) => n + (typeof l['repeated'] === 'number' ? l['repeated'] : 1), 0);
    expect({ forged: total('brightline', 'forged'), stale: total('brightline', 'stale'), maplecart: total('maplecart', 'forged') }).toEqual({
      forged: FORGED_BRIGHTLINE,
      stale: STALE_BRIGHTLINE,
      maplecart: FORGED_MAPLECART,
    });
  });
});
