import { describe, expect, it } from 'vitest';
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import { RegistryError } from '../../kernel/errors.ts';
import type { SupplierOrderStatus } from '../../kernel/model.ts';
import { createMemoryOrderStore } from '../../adapters/storage/memory/order-store.ts';
import { Writable } from 'node:stream';
import { ConfigError, loadConfig } from '../../platform/config.ts';
import { createLogger, silentLogger, type Logger } from '../../platform/logger.ts';
import type { OrderRecord, SubOrderRecord } from '../../platform/ports/order-store.ts';
import { applySupplierStatus } from './tracking.ts';
import { createTrackingLoop, nextCheckInMs, DEFAULT_TRACKING } from './tracking-loop.ts';
import { Registry } from 'prom-client';
import { createOrderMetrics } from './order-metrics.ts';

const T0 = Date.parse('2026-06-01T00:00:00Z');

function openOrder(i: number, supplier: string, submittedAt: number): OrderRecord {
  const id = `o${String(i).padStart(4, '0')}`;
  const sub: SubOrderRecord = {
    id: `${id}-${supplier}`,
    supplier,
    idempotencyKey: `${id}-${supplier}`,
    lines: [{ lineNumber: 1, sku: 'SKU-1', supplierSku: 'S-1', quantity: 1, unitCost: null }],
    state: 'submitted',
    reservationId: null,
    supplierOrderId: `S-${id}`,
    status: 'accepted',
    rawStatus: 'ACCEPTED',
    lineStatus: [],
    attempts: 1,
    lastError: null,
    updatedAt: new Date(submittedAt).toISOString(),
  };
  const at = new Date(submittedAt).toISOString();
  return {
    id,
    tenant: 't',
    idempotencyKey: `k-${id}`,
    status: 'accepted',
    lines: [{ lineNumber: 1, sku: 'SKU-1', quantity: 1, supplier, supplierSku: 'S-1', status: 'accepted', unitCost: null }],
    shipments: [],
    createdAt: at,
    updatedAt: at,
    version: 1,
    subOrders: [sub],
    workflow: 'tracking',
  };
}

/** A supplier whose orders the test ships; counts status reads and can refuse like a spent tracking share. */
function supplier(slug: string) {
  const shipped = new Set<string>();
  const reads: string[] = [];
  let refuseAfter = Number.POSITIVE_INFINITY;
  let down = false;
  const connector = {
    supplier: slug,
    getOrderStatus: async (ref: { supplierOrderId: string | null }, ctx: { lane: string }): Promise<SupplierOrderStatus> => {
      expect(ctx.lane).toBe('tracking'); // the loop's own cycles draw from the tracking share
      if (reads.length >= refuseAfter) throw new RegistryError('RATE_LIMITED_LOCALLY', 'tracking share spent', { supplier: slug });
      if (down) throw new RegistryError('SUPPLIER_UNAVAILABLE', `${slug} answered 503`, { supplier: slug });
      reads.push(ref.supplierOrderId!);
      const status = shipped.has(ref.supplierOrderId!) ? 'shipped' : 'accepted';
      // Asserted, not annotated: the report's optional fields vary while the model grows.
      return { supplierOrderId: ref.supplierOrderId!, status, rawStatus: status.toUpperCase(), lines: [], shipments: [], updatedAt: null } as unknown as SupplierOrderStatus;
    },
  } as unknown as SupplierConnector;
  return { connector, shipped, reads, refuseAfter: (n: number) => (refuseAfter = n), goDown: () => (down = true) };
}

async function setup(count: number, pushes: ReadonlySet<string> = new Set(), log: Logger = silentLogger()) {
  const orders = createMemoryOrderStore();
  const a = supplier('alpha');
  const b = supplier('beta');
  for (let i = 0; i < count; i++) await orders.insert(openOrder(i, i % 2 === 0 ? 'alpha' : 'beta', T0 + i));
  let now = T0 + 60_000;
  const deps = { orders, connectors: new Map([['alpha', a.connector], ['beta', b.connector]]), log, now: () => now, submitTimeoutMs: 1_000 };
  const apply = async (tenant: string, orderId: string, subId: string, report: SupplierOrderStatus) => {
    const order = (await orders.get(tenant, orderId))!;
    const next = applySupplierStatus(order, subId, report, new Date(now).toISOString());
    if (next === order) return null;
    const closed = (next.subOrders ?? []).every((s) => s.status === 'shipped');
    const saved = { ...next, workflow: closed ? ('closed' as const) : next.workflow! };
    await orders.save(saved);
    return saved;
  };
  const loop = createTrackingLoop(deps, apply, { pageSize: 50, pagesPerCycle: 2, pushesOrderWebhooks: (s) => pushes.has(s) });
  return { orders, a, b, loop, advance: (ms: number) => (now += ms), at: () => now };
}

describe('tracking loop', () => {
  it('backs off by time in state: clamp(age / 10, min, max), a longer clamp for suppliers that push webhooks', () => {
    expect(nextCheckInMs(0, false, DEFAULT_TRACKING)).toBe(10_000);
    expect(nextCheckInMs(30 * 60_000, false, DEFAULT_TRACKING)).toBe(180_000);
    expect(nextCheckInMs(7 * 86_400_000, false, DEFAULT_TRACKING)).toBe(600_000);
    expect(nextCheckInMs(0, true, DEFAULT_TRACKING)).toBe(600_000);
    expect(nextCheckInMs(7 * 86_400_000, true, DEFAULT_TRACKING)).toBe(3_600_000);
  });

  it('reports the open orders by status once per full walk, and the orders needing attention (closed ones too) when it ends', async () => {
    const { orders } = await setup(5);
    const held = (await orders.get('t', 'o0001'))!;
    await orders.save({ ...held, status: 'backordered', lines: held.lines.map((l) => ({ ...l, needsAttention: 'every supplier refused it' })) });
    await orders.insert({ ...openOrder(9, 'alpha', T0), workflow: 'closed', status: 'delivered' }); // closed and fine: not counted
    // Closed, every line refused: not open, so not in the walk, but it needs a person.
    const rejected = openOrder(10, 'alpha', T0);
    await orders.insert({ ...rejected, workflow: 'closed', status: 'rejected', lines: rejected.lines.map((l) => ({ ...l, status: 'rejected' as const, needsAttention: 'no supplier would take it' })) });
    const registry = new Registry();
    const metrics = createOrderMetrics(registry);
    const tallies: unknown[] = [];
    const deps = { orders, connectors: new Map(), log: silentLogger(), now: () => T0 + 60_000, submitTimeoutMs: 1_000 };
    // Pages of 2, one page per cycle: the tally is told only when the walk is whole (4 cycles: 3 pages, then `placing`).
    const loop = createTrackingLoop(deps, async () => null, { pageSize: 2, pagesPerCycle: 1, onWalk: (t) => (tallies.push(t), metrics.walked(t)) });
    for (let i = 0; i < 3; i++) await loop.cycle();
    expect(tallies).toEqual([]);
    await loop.cycle();
    expect(tallies).toEqual([{ byStatus: { accepted: 4, backordered: 1 }, needingAttention: 2 }]);
    const text = await registry.metrics();
    expect(text).toContain('orders_open{status="accepted"} 4');
    expect(text).toContain('orders_open{status="backordered"} 1');
    expect(text).toContain('orders_needing_attention 2');
    // A second order service in the same process (a role running two) shares the gauges instead of failing; a walk
    // whose count failed leaves the gauge as it was.
    createOrderMetrics(registry).walked({ byStatus: {} });
    expect(await registry.metrics()).toContain('orders_needing_attention 2');
    createOrderMetrics(registry).walked({ byStatus: {}, needingAttention: 0 });
    expect(await registry.metrics()).toContain('orders_needing_attention 0');
  });

  it('covers every open order, not the oldest page: 250 open orders, each read back within a bounded number of cycles', async () => {
    // Regression (issue 12, point 7): the loop read only the 100 oldest open orders; order 101+ was never tracked.
    const { orders, a, b, loop, advance } = await setup(250);
    // 100 orders per cycle are walked (2 pages of 50): three cycles see all 250.
    for (let i = 0; i < 3; i++) {
      await loop.cycle();
      advance(1_000);
    }
    expect(loop.size()).toBe(250);
    const read = new Set([...a.reads, ...b.reads]);
    expect(read.size).toBe(250);
    // Shipped at the supplier, including the newest order: reflected at its next due check.
    a.shipped.add('S-o0248');
    b.shipped.add('S-o0249');
    advance(DEFAULT_TRACKING.minIntervalMs);
    let changed = 0;
    for (let i = 0; i < 3; i++) {
      changed += (await loop.cycle()).changed;
      advance(1_000);
    }
    expect(changed).toBe(2);
    expect(loop.size()).toBe(250); // shipped is not final: tracked on until delivered
    // Closed by another process: dropped from the schedule once two walks have not seen them.
    for (const id of ['o0010', 'o0011', 'o0012']) await orders.save({ ...(await orders.get('t', id))!, workflow: 'closed' });
    for (let i = 0; i < 8; i++) {
      advance(DEFAULT_TRACKING.walkIntervalMs);
      await loop.cycle();
    }
    expect(loop.size()).toBe(245); // and the two shipped ones, which this test's store closes once shipped
  });

  it('reads a sub-order no more often than its interval allows, and rarely when its supplier pushes webhooks', async () => {
    const { a, b, loop, advance } = await setup(20, new Set(['beta']));
    await loop.cycle();
    // alpha: polled at once (overdue); beta (pushes webhooks): its safety net is 10 minutes after submission.
    expect([a.reads.length, b.reads.length]).toEqual([10, 0]);
    for (let s = 0; s < 60; s++) {
      advance(1_000);
      await loop.cycle();
    }
    // One minute on: orders a minute in their state are read every 10 s (the minimum): 6 more each.
    expect(a.reads.length).toBeGreaterThanOrEqual(10 * 6);
    expect(a.reads.length).toBeLessThanOrEqual(10 * 7);
    expect(b.reads.length).toBe(0);
    advance(10 * 60_000);
    await loop.cycle();
    expect(b.reads.length).toBe(10);
  });

  it('stops a supplier for the cycle when its tracking share is spent, and carries on next cycle', async () => {
    const { a, b, loop, advance } = await setup(40);
    a.refuseAfter(5);
    await loop.cycle();
    expect(a.reads.length).toBe(5);
    expect(b.reads.length).toBe(20); // the other supplier is not held back
    a.refuseAfter(Number.POSITIVE_INFINITY);
    advance(1_000);
    await loop.cycle();
    expect(new Set(a.reads).size).toBe(20);
  });

  it('logs an expected supplier failure once a minute per supplier and code, without a stack trace', async () => {
    // Regression (issue 12, point 5): a warning with a full stack every 5 s per open sub-order while a supplier was down.
    const lines: Record<string, unknown>[] = [];
    const log = createLogger({ level: 'info', destination: new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(String(chunk))), done()) }) });
    const { a, loop, advance } = await setup(40, new Set(), log);
    a.goDown();
    for (let i = 0; i < 12; i++) {
      await loop.cycle();
      advance(DEFAULT_TRACKING.minIntervalMs);
    }
    const failures = lines.filter((l) => l['msg'] === 'order status poll failed');
    expect(failures.length).toBeGreaterThanOrEqual(2); // 110 s: the first, and one a minute later with a count
    expect(failures.length).toBeLessThanOrEqual(3);
    expect(failures[0]).toMatchObject({ supplier: 'alpha', code: 'SUPPLIER_UNAVAILABLE', errorClass: 'transient' });
    expect(failures[1]).toMatchObject({ suppressed: expect.any(Number) });
    expect(JSON.stringify(failures)).not.toMatch(/stack|    at /);
  });

  it('takes its schedule from ORDER_TRACKING, over the defaults, and refuses a bad one at start', async () => {
    const config = loadConfig({ ORDER_TRACKING: '{"minIntervalMs":2000,"maxIntervalMs":30000,"walkIntervalMs":5000}' });
    expect(config.orderTracking).toEqual({ minIntervalMs: 2_000, maxIntervalMs: 30_000, walkIntervalMs: 5_000 });
    expect(nextCheckInMs(0, false, { ...DEFAULT_TRACKING, ...config.orderTracking })).toBe(2_000);
    expect(nextCheckInMs(86_400_000, false, { ...DEFAULT_TRACKING, ...config.orderTracking })).toBe(30_000);
    expect(loadConfig({}).orderTracking).toEqual({});
    expect(() => loadConfig({ ORDER_TRACKING: '{"minIntervalMs":60000,"maxIntervalMs":1000}' })).toThrow(ConfigError);
    expect(() => loadConfig({ ORDER_TRACKING: '{"every":5}' })).toThrow(/ORDER_TRACKING/);
  });
});
