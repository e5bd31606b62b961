/**
 * The kill matrix of the multi-process suite: under steady load (load.ts), SIGKILL one process of each role in
 * turn, restart it after a while, then let the work settle and check that nothing was lost or duplicated.
 */
import { MongoClient } from 'mongodb';
import { expect } from 'vitest';
import { pollLease } from '../../../stack/inventory-sync.ts';
import { LEASE_TTL_MS, POLL_INTERVAL_MS, type Cluster } from './cluster.ts';
import { QUERY_BOUND_MS, startLoad, type Load } from './load.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A victim: a process name, or `jobs:holder-of:<slug>` for whichever jobs process polls that supplier now. */
export type Victim = string;

export interface KillRecord {
  readonly name: string;
  readonly role: string;
  readonly killedAt: number;
  readonly restartedAt: number;
}

export interface ScenarioResult {
  readonly load: Load;
  readonly kills: KillRecord[];
  readonly endedAt: number;
}

/** Which jobs process instance polls `slug` now, as its taps see it (the most recent request). */
function currentPoller(cluster: Cluster, slug: string): string | null {
  let best: { instance: string; at: number } | null = null;
  for (const [instance, taps] of cluster.taps) {
    const last = taps.get(slug)?.requests.at(-1);
    if (last && (best === null || last.at > best.at)) best = { instance, at: last.at };
  }
  return best?.instance ?? null;
}

export async function runKillScenario(cluster: Cluster, victims: readonly Victim[], options: { downMs?: number; betweenMs?: number } = {}): Promise<ScenarioResult> {
  const load = startLoad(cluster);
  const kills: KillRecord[] = [];
  try {
    await sleep(options.betweenMs ?? 3_000);
    for (const victim of victims) {
      let name = victim;
      if (victim.startsWith('jobs:holder-of:')) {
        const instance = currentPoller(cluster, victim.slice('jobs:holder-of:'.length));
        name = instance === null ? 'jobs-1' : instance.split('#')[0]!;
      }
      const role = cluster.processes.get(name)!.role;
      await cluster.kill(name);
      const killedAt = Date.now();
      await sleep(options.downMs ?? 3_000);
      await cluster.restart(name);
      kills.push({ name, role, killedAt, restartedAt: Date.now() });
      await sleep(options.betweenMs ?? 3_000);
    }
    // A restarted process is cold on a busy machine: the load goes on until answers are complete again (bounded).
    const until = Date.now() + 15_000;
    while (Date.now() < until && !load.queries.slice(-3).every((q) => q.complete)) await sleep(250);
  } finally {
    await load.stop();
  }
  return { load, kills, endedAt: Date.now() };
}

/** Every query answered within its budget: complete, or degraded (HTTP 200 with errors) while a role was down. */
export function checkQueries(result: ScenarioResult): void {
  const { queries } = result.load;
  expect(queries.length).toBeGreaterThan(20);
  const slow = queries.filter((q) => q.ms > QUERY_BOUND_MS);
  expect(slow, `queries over ${QUERY_BOUND_MS} ms`).toEqual([]);
  const unanswered = queries.filter((q) => q.status !== 200);
  expect(unanswered, 'queries without an HTTP 200 answer').toEqual([]);
  // Degraded answers only near a kill: from the kill until a few seconds after the restart.
  const nearKill = (at: number) => result.kills.some((k) => at >= k.killedAt - 1_000 && at <= k.restartedAt + 8_000);
  // Away from kills only a supplier may degrade its own offers (a sandbox slowed by this busy machine answers
  // SUPPLIER_TIMEOUT within the budget, by design); nothing a role being down would cause.
  const supplierOnly = (q: { codes: string[] }) => q.codes.length > 0 && q.codes.every((c) => c.startsWith('SUPPLIER_') || c === 'RATE_LIMITED_LOCALLY');
  const degradedElsewhere = queries.filter((q) => !q.complete && !nearKill(q.at) && !supplierOnly(q));
  expect(degradedElsewhere, 'incomplete answers while every role was up').toEqual([]);
  // And full answers again after every restart, and at the end.
  for (const kill of result.kills) {
    const recovered = queries.find((q) => q.at > kill.restartedAt && q.complete);
    expect(recovered, `a complete answer after ${kill.name} restarted`).toBeDefined();
    expect(recovered!.at - kill.restartedAt, `recovery after ${kill.name} restarted`).toBeLessThan(12_000);
  }
  expect(queries.slice(-3).filter((q) => !q.complete && !supplierOnly(q))).toEqual([]);
}

/** Each order once in the store and once at its supplier; no hold leaked or doubled on any stock row. */
export async function checkOrders(cluster: Cluster, result: ScenarioResult): Promise<void> {
  const { orders } = result.load;
  expect(orders.length).toBeGreaterThan(3);
  expect(orders.filter((o) => !o.answered).map((o) => o.key), 'orders never answered').toEqual([]);
  const sandboxOrders = new Map([...cluster.sandboxes].map(([slug, s]) => [slug, s.orders().map((o) => JSON.stringify(o))]));
  /** Orders the supplier holds under a sub-order key, in its own format. */
  const occurrences = (slug: string, key: string) => sandboxOrders.get(slug)!.filter((o) => o.includes(key)).length;
  for (const placed of orders) {
    const order = await cluster.stores.orders.getByIdempotencyKey('default', placed.key);
    expect(order, `order ${placed.key}`).not.toBeNull();
    for (const sub of order!.subOrders ?? []) {
      // A sub-order key is sent to its supplier at most once, and exactly once once the sub-order is submitted.
      const held = occurrences(sub.supplier, sub.idempotencyKey);
      if (sub.state === 'submitted') expect(held, `${placed.key} at ${sub.supplier}`).toBeGreaterThanOrEqual(1);
      expect(held, `${placed.key} at ${sub.supplier}: never ordered twice`).toBeLessThanOrEqual(1);
    }
  }
  // The holds ledger on every row agrees with its counters, and no reservation holds twice.
  for (const [slug, skus] of cluster.skus) {
    for (const sku of skus) {
      const state = await cluster.stores.stock.getState(sku, slug);
      if (state === null) continue;
      const refs = state.holds.map((h) => h.ref);
      expect(new Set(refs).size, `${sku}@${slug} holds`).toBe(refs.length);
      expect(state.record.reserved).toBe(state.holds.filter((h) => h.state === 'reserved').reduce((a, h) => a + h.units, 0));
      expect(state.record.committed).toBe(state.holds.filter((h) => h.state === 'committed').reduce((a, h) => a + h.units, 0));
    }
  }
}

/** The delivery id header of each pushing sandbox's webhooks. */
const DELIVERY_HEADERS: Readonly<Record<string, string>> = { brightline: 'x-brightline-delivery', maplecart: 'x-shopify-webhook-id' };

/**
 * Every webhook delivery we acknowledged (2xx) is in the inbox exactly once and applied; a delivery a killed ingest
 * never answered is one the supplier retries (Brightline does; all of its deliveries end acknowledged). The stored
 * figure of each item is the last one the sandbox set, and no change was announced twice.
 */
export async function checkWebhooks(cluster: Cluster, result: ScenarioResult): Promise<void> {
  const client = await new MongoClient(process.env.MONGO_URL!).connect();
  try {
    const inbox = client.db(cluster.config.mongoDb).collection<{ _id: string; supplier: string; status: string }>('webhook_inbox');
    // Settle: entries a killed ingest held are taken again once their lease (WEBHOOK_LEASE_MS) ends and a scan runs.
    const deadline = Date.now() + 40_000;
    for (;;) {
      const pending = await inbox.countDocuments({ status: 'pending' });
      if (pending === 0 || Date.now() > deadline) break;
      await sleep(1_000);
    }
    for (const [slug, header] of Object.entries(DELIVERY_HEADERS)) {
      const attempts = cluster.webhookTap.requests.filter((r) => r.path === `/webhooks/${slug}`);
      const ids = (predicate: (status: number | null) => boolean) => new Set(attempts.filter((r) => predicate(r.status)).map((r) => String(r.headers[header])));
      const acknowledged = ids((status) => status !== null && status >= 200 && status < 300);
      const sent = ids(() => true);
      expect(acknowledged.size, `${slug} deliveries acknowledged`).toBeGreaterThan(10);
      if (slug === 'brightline') expect([...sent].filter((id) => !acknowledged.has(id)), 'brightline deliveries never acknowledged (it retries)').toEqual([]);
      const entries = await inbox.find({ supplier: slug }).toArray();
      const stored = new Set(entries.map((e) => e._id.slice(slug.length + 1)));
      expect([...acknowledged].filter((id) => !stored.has(id)), `${slug} deliveries acknowledged but not stored`).toEqual([]);
      expect([...stored].filter((id) => !sent.has(id)), `${slug} stored deliveries nobody sent`).toEqual([]);
      expect(entries.filter((e) => e.status !== 'done').map((e) => `${e._id} ${e.status}`), `${slug} deliveries not applied`).toEqual([]);
    }
    for (const [key, value] of result.load.lastSet) {
      const [slug, supplierSku] = key.split(':') as [string, string];
      const product = await cluster.stores.catalog.findBySupplierSku(slug, supplierSku);
      if (product === null) continue;
      const stored = (await cluster.stores.stock.get(product.sku, slug))?.onHand;
      // The last figure set, or a later one the supplier reported after an order of ours reduced it.
      expect(stored, `${key} stored figure`).toBeLessThanOrEqual(value);
      expect(stored, `${key} stored figure`).toBeGreaterThan(value - 20);
    }
    // A delivery applied twice would announce its change twice: every figure the load set is heard at most once.
    const heard = new Map<string, number>();
    for (const e of result.load.events) heard.set(`${e.supplier}:${e.sku}:${e.available}`, (heard.get(`${e.supplier}:${e.sku}:${e.available}`) ?? 0) + 1);
    const setFigures = new Set([...result.load.setValues]);
    expect([...heard].filter(([k, n]) => n > 1 && setFigures.has(Number(k.split(':').at(-1)))), 'changes announced twice').toEqual([]);
  } finally {
    await client.close();
  }
}

/** The live subscription kept receiving changes after every gateway kill (it reconnected through the balancer). */
export function checkSubscription(result: ScenarioResult): void {
  const { events } = result.load;
  expect(events.length).toBeGreaterThan(5);
  for (const kill of result.kills) {
    const after = events.filter((e) => e.at > kill.killedAt + 500);
    expect(after.length, `stock changes heard after ${kill.name} was killed`).toBeGreaterThan(0);
  }
}

/**
 * Each supplier polled by one jobs process at a time, counted at the supplier (each jobs process has its own tap):
 * the instances that polled a supplier form contiguous runs, a run ends only when its process was killed, and the
 * next one begins within the lease bound after the kill.
 */
export function checkPolls(cluster: Cluster, result: ScenarioResult): void {
  const killedAt = new Map<string, number>();
  for (const history of cluster.instances.values()) for (const i of history) if (i.killedAt !== null) killedAt.set(i.instance, i.killedAt);
  for (const slug of cluster.sandboxes.keys()) {
    const requests = [...cluster.taps].flatMap(([instance, taps]) => (taps.get(slug)?.requests ?? []).map((r) => ({ instance, at: r.at }))).sort((a, b) => a.at - b.at);
    expect(requests.length, `${slug} polls`).toBeGreaterThan(3);
    const runs: { instance: string; first: number; last: number }[] = [];
    for (const r of requests) {
      const run = runs.at(-1);
      if (run && run.instance === r.instance) run.last = r.at;
      else runs.push({ instance: r.instance, first: r.at, last: r.at });
    }
    const owners = runs.map((r) => r.instance);
    expect(new Set(owners).size, `${slug} pollers in turn: ${owners.join(' → ')}`).toBe(owners.length);
    for (let i = 1; i < runs.length; i += 1) {
      const before = runs[i - 1]!;
      const died = killedAt.get(before.instance);
      expect(died, `${slug}: ${before.instance} stopped polling without being killed (${runs[i]!.instance} took over)`).toBeDefined();
      // Passed on within the bound: lease TTL + a renewal period, then the next poll tick (+ slack for a busy machine).
      expect(runs[i]!.first - died!, `${slug}: handover after ${before.instance} died`).toBeLessThan(LEASE_TTL_MS + LEASE_TTL_MS / 3 + POLL_INTERVAL_MS + 4_000);
    }
    expect(pollLease(slug)).toBe(`poll:${slug}`);
  }
}
