/**
 * What a fault row's orders left behind, read once the row is done (issue 12: "no order, reservation or webhook
 * delivery lost or duplicated"): each order as stored, its sub-orders' reservations, the hold ledger of every stock
 * row they touched (and the same figures through the graph), and the merchant webhooks a receiver in this process
 * got. The receiver is a real merchant endpoint: the stack process is configured with ORDER_WEBHOOK_ENDPOINTS
 * pointing at it, so deliveries come through the production dispatcher, signed (Standard Webhooks).
 *
 * Used as a SettingObserver (store-outage-harness.ts): `env` goes to every stack process of the row, `afterRow`
 * reads the ledger before the setting closes. It never throws from there (the row's own observations would be
 * lost): a failure is kept in `ledger.error`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openStores } from '../../adapters/storage/open-stores.ts';
import { loadConfig } from '../../platform/config.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { OrderRecord } from '../../platform/ports/order-store.ts';
import type { ReservationRecord } from '../../platform/ports/reservation-store.ts';
import type { StockState } from '../../platform/ports/stock-store.ts';
import { postGraphql } from '../support/stack-env.ts';
import type { OutageSetting, SettingObserver } from './store-outage-harness.ts';

/** The tenant of an unauthenticated client of the fault stacks (viewer.tenant). */
const TENANT = 'default';

export interface ReceivedWebhook {
  readonly webhookId: string;
  /** The signature verified against the endpoint's secret over `id.timestamp.body`. */
  readonly signed: boolean;
  /** Answered 2xx. The receiver refuses the first request of every webhook-id (503), so each is delivered by a retry. */
  readonly accepted: boolean;
  readonly body: { type: string; data: { orderId: string; idempotencyKey: string; status: string; previous: string | null } };
}

export interface OrderLedger {
  readonly orders: readonly OrderRecord[];
  /** By reservation id. */
  readonly reservations: Readonly<Record<string, ReservationRecord | null>>;
  /** Every stock row (`sku|supplier`) a sub-order of these orders holds units on. */
  readonly rows: Readonly<Record<string, StockState | null>>;
  /** `product(sku).stock` through the gateway, per SKU ordered. */
  readonly graphStock: Readonly<Record<string, { reserved: number; committed: number; bySupplier: { supplier: string; reserved: number; committed: number }[] }>>;
  /** Everything the receiver got, retries included, in arrival order. */
  readonly webhooks: readonly ReceivedWebhook[];
  /** Why the ledger could not be read, when it could not. */
  readonly error?: string;
}

export interface LedgerWatch {
  readonly observer: SettingObserver;
  /** Set once the row is done. */
  readonly ledger: () => OrderLedger | undefined;
  close(): Promise<void>;
}

/**
 * An order is stored first as `submitting` (its creation is not a status change: no event), so the chain an order's
 * webhooks must cover runs from the stored status back, by `previous`, to `submitting`.
 */
const CREATED_AS = 'submitting';

/** The status chain an order's webhooks must cover: the stored final status back to the first, by `previous`. */
export function statusChain(webhooks: readonly ReceivedWebhook[], orderId: string, finalStatus: string): { chain: string[]; broken: string | null } {
  const byStatus = new Map(webhooks.filter((w) => w.accepted && w.body.data.orderId === orderId).map((w) => [w.body.data.status, w.body.data]));
  const chain: string[] = [];
  let status: string | null = finalStatus;
  while (status !== null) {
    const event = byStatus.get(status);
    if (event === undefined) return status === CREATED_AS ? { chain, broken: null } : { chain, broken: status };
    if (chain.includes(status)) return { chain, broken: `loop at ${status}` };
    chain.unshift(status);
    status = event.previous;
  }
  return { chain, broken: null };
}

/**
 * `keyPrefix`: the idempotency keys of the row's orders (the row names them `<prefix>...`); `settle`: how long to
 * wait after the row for deliveries still being retried before reading (they must arrive, not merely be pending).
 */
export async function watchOrderLedger(keyPrefix: string, settleMs = 10_000): Promise<LedgerWatch> {
  const secretKey = randomBytes(32);
  const received: ReceivedWebhook[] = [];
  const refused = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['webhook-id'] ?? '');
      const timestamp = String(req.headers['webhook-timestamp'] ?? '');
      const expected = createHmac('sha256', secretKey).update(`${id}.${timestamp}.${raw}`).digest();
      const signed = String(req.headers['webhook-signature'] ?? '')
        .split(' ')
        .some((s) => {
          const given = Buffer.from(s.replace(/^v1,/, ''), 'base64');
          return s.startsWith('v1,') && given.length === expected.length && timingSafeEqual(given, expected);
        });
      // A merchant that is briefly down: the first request of each delivery fails, the dispatcher must retry it
      // (across a restart, too: the retry state is the delivery log).
      const accepted = refused.has(id);
      refused.add(id);
      try {
        received.push({ webhookId: id, signed, accepted, body: JSON.parse(raw) as ReceivedWebhook['body'] });
      } catch {
        received.push({ webhookId: id, signed, accepted, body: { type: 'unparsable', data: { orderId: '', idempotencyKey: '', status: raw.slice(0, 100), previous: null } } });
      }
      res.writeHead(accepted ? 204 : 503).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/order-events`;
  let ledger: OrderLedger | undefined;

  const read = async (setting: OutageSetting): Promise<OrderLedger> => {
    const config = loadConfig(setting.env);
    const stores = await openStores({ mongoUrl: config.mongoUrl, mongoDb: config.mongoDb, redisUrl: config.redisUrl, keyPrefix: config.keyPrefix }, silentLogger());
    try {
      const orders = (await stores.orders.list({ tenant: TENANT }, 200, null)).items.filter((o) => o.idempotencyKey.startsWith(keyPrefix));
      // Every status change stored reaches the receiver: wait (bounded) until each order's chain is whole.
      const deadline = performance.now() + settleMs;
      let current = orders;
      for (;;) {
        current = (await stores.orders.list({ tenant: TENANT }, 200, null)).items.filter((o) => o.idempotencyKey.startsWith(keyPrefix));
        if (current.every((o) => statusChain(received, o.id, o.status).broken === null) || performance.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      // A little longer: a duplicate would come now, if at all (a retry the receiver already answered).
      await new Promise((r) => setTimeout(r, 1_000));
      const reservations: Record<string, ReservationRecord | null> = {};
      const rows: Record<string, StockState | null> = {};
      const skus = new Set<string>();
      for (const order of current) {
        for (const sub of order.subOrders ?? []) {
          if (sub.reservationId !== null) reservations[sub.reservationId] = await stores.reservations.get(TENANT, sub.reservationId);
          for (const line of sub.lines) {
            skus.add(line.sku);
            rows[`${line.sku}|${sub.supplier}`] ??= await stores.stock.getState(line.sku, sub.supplier);
          }
        }
      }
      const graphStock: Record<string, OrderLedger['graphStock'][string]> = {};
      for (const sku of skus) {
        const { json } = await postGraphql(setting.stack.graphqlUrl, { query: 'query($sku: ID!) { product(sku: $sku) { stock { reserved committed bySupplier { supplier reserved committed } } } }', variables: { sku } });
        graphStock[sku] = json.data?.product?.stock;
      }
      return { orders: current, reservations, rows, graphStock, webhooks: [...received] };
    } finally {
      await stores.close();
    }
  };

  return {
    observer: {
      env: { ORDER_WEBHOOK_ENDPOINTS: JSON.stringify([{ id: 'fault-merchant', tenant: TENANT, url, secret: `whsec_${secretKey.toString('base64')}` }]) },
      afterRow: async (setting) => {
        try {
          ledger = await read(setting);
        } catch (error) {
          ledger = { orders: [], reservations: {}, rows: {}, graphStock: {}, webhooks: [...received], error: error instanceof Error ? error.stack ?? error.message : String(error) };
        }
      },
    },
    ledger: () => ledger,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * What is wrong with the ledger, as readable lines (empty when whole): `count` orders, every sub-order submitted with
 * its reservation committed exactly once (one committed hold, no reserved hold left anywhere), each row's counters the
 * sums of its holds and the graph saying the same, and every status change of every order received exactly once per
 * (order, status) after dedupe by webhook-id, signed, the chain from the first status to the stored one whole — each
 * delivered by a retry, the first request having been refused.
 */
export function ledgerProblems(ledger: OrderLedger | undefined, count: number): string[] {
  if (ledger === undefined) return ['the ledger was never read (afterRow did not run)'];
  const problems: string[] = [];
  if (ledger.error !== undefined) problems.push(`reading the ledger failed: ${ledger.error}`);
  if (ledger.orders.length !== count) problems.push(`${ledger.orders.length} orders stored, expected ${count}: ${ledger.orders.map((o) => o.idempotencyKey).join(', ')}`);
  const ours = new Set(Object.keys(ledger.reservations));
  for (const order of ledger.orders) {
    for (const sub of order.subOrders ?? []) {
      const name = `${order.idempotencyKey}/${sub.id}`;
      if (sub.state !== 'submitted') problems.push(`${name}: state ${sub.state}, expected submitted`);
      if (sub.reservationId === null) {
        problems.push(`${name}: no reservation`);
        continue;
      }
      const reservation = ledger.reservations[sub.reservationId];
      if (reservation?.state !== 'committed' || !reservation.finished) problems.push(`${name}: reservation ${sub.reservationId} ${reservation ? `${reservation.state}, finished ${reservation.finished}` : 'missing'}`);
      for (const line of sub.lines) {
        const row = ledger.rows[`${line.sku}|${sub.supplier}`];
        const holds = row?.holds.filter((h) => h.ref === sub.reservationId) ?? [];
        if (holds.some((h) => h.state === 'reserved')) problems.push(`${name}: a reserved hold left on ${line.sku}|${sub.supplier}`);
        // Committed once: one committed hold of the ordered units while the supplier has not moved it on (shipping,
        // cancelling or allocating on accept settle it down, never up: docs/orders.md "Committed units").
        const units = holds.filter((h) => h.state === 'committed').reduce((n, h) => n + h.units, 0);
        if (holds.length > 1) problems.push(`${name}: ${holds.length} holds on ${line.sku}|${sub.supplier}`);
        if (sub.status === 'submitted' ? units !== line.quantity : units > line.quantity) problems.push(`${name}: ${units} committed units on ${line.sku}|${sub.supplier} for ${line.quantity} ordered (status ${sub.status})`);
      }
    }
    const mine = ledger.webhooks.filter((w) => w.accepted && w.body.data.orderId === order.id);
    for (const w of mine) if (!w.signed) problems.push(`${order.idempotencyKey}: webhook ${w.webhookId} not signed by the endpoint's secret`);
    const idsByStatus = new Map<string, Set<string>>();
    for (const w of mine) idsByStatus.set(w.body.data.status, (idsByStatus.get(w.body.data.status) ?? new Set()).add(w.webhookId));
    for (const [status, ids] of idsByStatus) if (ids.size !== 1) problems.push(`${order.idempotencyKey}: ${ids.size} distinct deliveries for status ${status}`);
    const { chain, broken } = statusChain(ledger.webhooks, order.id, order.status);
    if (broken !== null) problems.push(`${order.idempotencyKey}: no webhook for status ${broken} (stored ${order.status}; received ${[...idsByStatus.keys()].join(', ') || 'none'})`);
    for (const status of idsByStatus.keys()) if (!chain.includes(status) && broken === null) problems.push(`${order.idempotencyKey}: webhook for ${status}, not in the chain ${chain.join(' → ')}`);
  }
  for (const [key, row] of Object.entries(ledger.rows)) {
    if (row === null) {
      problems.push(`${key}: no stock row`);
      continue;
    }
    const sum = (state: 'reserved' | 'committed') => row.holds.filter((h) => h.state === state).reduce((n, h) => n + h.units, 0);
    // Nothing but these orders reserves in a fault row: any reserved unit left is a leaked hold.
    if (row.record.reserved !== 0 || sum('reserved') !== 0) problems.push(`${key}: reserved ${row.record.reserved} (holds ${sum('reserved')}) after the row, expected 0`);
    if (row.record.committed !== sum('committed')) problems.push(`${key}: committed ${row.record.committed} but its committed holds sum to ${sum('committed')}`);
    for (const h of row.holds) if (!ours.has(h.ref)) problems.push(`${key}: a ${h.state} hold ${h.ref} of no order of the row`);
    const [sku, supplier] = key.split('|') as [string, string];
    const graph = ledger.graphStock[sku]?.bySupplier.find((b) => b.supplier === supplier);
    if (graph?.reserved !== row.record.reserved || graph.committed !== row.record.committed) problems.push(`${key}: the graph says ${JSON.stringify(graph)}, the store reserved ${row.record.reserved} committed ${row.record.committed}`);
  }
  return problems;
}

/** The ledger in one line, for an assertion's message: sub-orders, rows with their holds, webhooks received. */
export function ledgerDetail(ledger: OrderLedger | undefined): string {
  if (ledger === undefined) return 'no ledger';
  return JSON.stringify({
    subOrders: ledger.orders.flatMap((o) => (o.subOrders ?? []).map((s) => ({ id: s.id, state: s.state, status: s.status, reservation: s.reservationId }))),
    rows: Object.fromEntries(Object.entries(ledger.rows).map(([k, r]) => [k, r && { reserved: r.record.reserved, committed: r.record.committed, holds: r.holds }])),
    webhooks: ledger.webhooks.map((w) => `${w.webhookId} ${w.accepted ? 'accepted' : 'refused'} ${w.body.data.idempotencyKey}: ${w.body.data.previous} → ${w.body.data.status}`),
  });
}
