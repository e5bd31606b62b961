/**
 * The acceptance cases for reservations:
 * - 200 simultaneous single-unit reservations of one SKU with 50 available, from two processes against the
 *   MongoDB-protocol server (and from one process on the in-memory stores): exactly 50 succeed, nothing is
 *   oversold, and the stock row, its hold ledger and the reservation documents agree afterwards;
 * - holds expire and their units return within the sweep interval;
 * - a process SIGKILLed with one reservation held and another half taken leaks no stock once they expire.
 * The MongoDB cases are skipped (and reported as such) without MONGO_URL; they use their own random database.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../adapters/cache/memory-cache.ts';
import { createMemoryEventBus } from '../../adapters/events/memory-event-bus.ts';
import { createMemoryReservationStore } from '../../adapters/storage/memory/reservation-store.ts';
import { createMemoryStockStore } from '../../adapters/storage/memory/stock-store.ts';
import { createMongoReservationStore } from '../../adapters/storage/mongo/reservation-store.ts';
import { createMongoStockStore } from '../../adapters/storage/mongo/stock-store.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { ReservationStore } from '../../platform/ports/reservation-store.ts';
import type { StockStore } from '../../platform/ports/stock-store.ts';
import { createBufferPolicy } from '../../subgraphs/inventory/buffer-policy.ts';
import { startReservationSweeper } from '../../subgraphs/inventory/reservation-sweeper.ts';
import { createReservationService, type ReservationService } from '../../subgraphs/inventory/reservations.ts';
import { createStockUpdater } from '../../subgraphs/inventory/stock-updater.ts';
import { expectConsistent } from '../contract/reservations.contract.ts';
import type { RaceReport } from './reservations-worker.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-data.ts';

const mongoUrl = process.env.MONGO_URL;
const WORKER = fileURLToPath(new URL('./reservations-worker.ts', import.meta.url));
const log = silentLogger();
const TOTAL = 200;
const AVAILABLE = 50;

function serviceOver(stock: StockStore, reservations: ReservationStore): ReservationService {
  const updater = createStockUpdater({ stock, cache: createMemoryCache(), events: createMemoryEventBus({ log }), log });
  return createReservationService({ reservations, updater, buffers: createBufferPolicy(), log });
}

const seed = (stock: StockStore, sku: string, onHand: number) =>
  stock.applyReport({ sku, supplier: 'rest', supplierSku: `R-${sku}`, onHand, supplierAsOf: new Date().toISOString() }, 0);

/** After the race: the numbers the acceptance criteria name. */
async function expectExactlyAvailableWon(stock: StockStore, reservations: ReservationStore, sku: string, won: readonly string[]): Promise<void> {
  expect(won).toHaveLength(AVAILABLE);
  expect(new Set(won).size).toBe(AVAILABLE);
  const state = await stock.getState(sku, 'rest');
  expect(state?.record).toMatchObject({ onHand: AVAILABLE, reserved: AVAILABLE, committed: 0, available: 0 });
  expect(state?.holds.map((h) => h.ref).sort()).toEqual([...won].sort());
  for (const id of won) expect((await reservations.get('t1', id))?.state).toBe('held');
  await expectConsistent(stock, reservations, [[sku, 'rest']]);
}

/** Waits until the units are back; returns when that was seen. */
async function waitForReturn(stock: StockStore, sku: string, limitMs: number): Promise<number> {
  const until = Date.now() + limitMs;
  for (;;) {
    const row = await stock.get(sku, 'rest');
    if (row?.reserved === 0) return Date.now();
    if (Date.now() > until) throw new Error(`units of ${sku} not returned within ${limitMs} ms: ${JSON.stringify(row)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Expiry: a reservation's units are back within one sweep interval (plus the sweep's own time) of expiresAt. */
function describeExpiry(name: string, make: () => Promise<{ stock: StockStore; reservations: ReservationStore }>): void {
  it(`${name}: holds expire and their units return within the sweep interval`, async () => {
    const { stock, reservations } = await make();
    const service = serviceOver(stock, reservations);
    await seed(stock, 'EXP', 5);
    const intervalMs = 300;
    const sweeper = startReservationSweeper({ service, log, intervalMs });
    try {
      const r = await service.reserveStock([{ sku: 'EXP', supplier: 'rest', quantity: 4 }], 600, { tenant: 't1' });
      expect((await stock.get('EXP', 'rest'))?.available).toBe(1);
      const returnedAt = await waitForReturn(stock, 'EXP', 10_000);
      const late = returnedAt - Date.parse(r.expiresAt);
      expect(late).toBeGreaterThanOrEqual(0);
      // One interval until the next sweep starts, plus the time that sweep takes on a loaded test server.
      expect(late).toBeLessThan(intervalMs + 1_500);
      expect((await reservations.get('t1', r.id))?.state).toBe('expired');
      expect((await stock.get('EXP', 'rest'))?.available).toBe(5);
    } finally {
      await sweeper.stop();
    }
  });
}

describe('reservations race: in-memory stores, one process', () => {
  it(`${TOTAL} simultaneous single-unit reservations with ${AVAILABLE} available: exactly ${AVAILABLE} succeed`, async () => {
    const stock = createMemoryStockStore();
    const reservations = createMemoryReservationStore();
    const service = serviceOver(stock, reservations);
    await seed(stock, 'RACE', AVAILABLE);
    const results = await Promise.allSettled(
      Array.from({ length: TOTAL }, () => service.reserveStock([{ sku: 'RACE', supplier: 'rest', quantity: 1 }], 60_000, { tenant: 't1' })),
    );
    const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.id] : []));
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(
      Array.from({ length: TOTAL - AVAILABLE }, () => 'OUT_OF_STOCK'),
    );
    await expectExactlyAvailableWon(stock, reservations, 'RACE', won);
  });

  describeExpiry('memory', async () => ({ stock: createMemoryStockStore(), reservations: createMemoryReservationStore() }));
});

/** The child's IPC messages in order; `next()` rejects if the child exits before sending one more. */
function messagesOf(child: ChildProcess): () => Promise<Record<string, unknown>> {
  const queue: Record<string, unknown>[] = [];
  const waiting: { resolve: (m: Record<string, unknown>) => void; reject: (e: Error) => void }[] = [];
  let exited: string | undefined;
  child.on('message', (m) => (waiting.length > 0 ? waiting.shift()!.resolve(m as Record<string, unknown>) : queue.push(m as Record<string, unknown>)));
  child.once('exit', (code, signal) => {
    exited = `worker exited (${code ?? signal}) before reporting`;
    for (const w of waiting.splice(0)) w.reject(new Error(exited));
  });
  return () => {
    if (queue.length > 0) return Promise.resolve(queue.shift()!);
    if (exited !== undefined) return Promise.reject(new Error(exited));
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
}

describe.skipIf(!mongoUrl)('reservations race: MongoDB-protocol server, two processes (MONGO_URL)', () => {
  let testDb: TestDatabase;
  let client: MongoClient;
  let db: Db;
  const children: ChildProcess[] = [];

  const stores = async () => {
    const stock = createMongoStockStore({ db, log });
    const reservations = createMongoReservationStore({ db });
    await stock.ensureIndexes();
    await reservations.ensureIndexes();
    return { stock, reservations };
  };

  const spawnWorker = (mode: 'race' | 'crash', args: unknown) => {
    const child = fork(WORKER, [mongoUrl!, db.databaseName, mode, JSON.stringify(args)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    return { child, next: messagesOf(child) };
  };

  beforeAll(async () => {
    testDb = await openTestDatabase(mongoUrl!, 'contract');
    ({ client, db } = testDb);
    await stores();
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await testDb?.close();
  });

  it(`${TOTAL} simultaneous single-unit reservations from two processes with ${AVAILABLE} available: exactly ${AVAILABLE} succeed`, async () => {
    const { stock, reservations } = await stores();
    await seed(stock, 'RACE', AVAILABLE);
    const workers = [0, 1].map(() => spawnWorker('race', { sku: 'RACE', supplier: 'rest', count: TOTAL / 2 }));
    // Both connect first, then start on one "go", so start-up time does not spread the race out.
    for (const w of workers) expect(await w.next()).toEqual({ ready: true });
    for (const w of workers) w.child.send('go');
    const reports = (await Promise.all(workers.map((w) => w.next()))) as unknown as (RaceReport & { error?: string })[];
    for (const r of reports) expect(r.error).toBeUndefined();
    const won = reports.flatMap((r) => r.won);
    const lost = reports.reduce((n, r) => n + (r.lost.OUT_OF_STOCK ?? 0), 0);
    expect(reports.every((r) => Object.keys(r.lost).every((code) => code === 'OUT_OF_STOCK'))).toBe(true);
    expect(lost).toBe(TOTAL - AVAILABLE);
    // Both processes got some: the race really was across processes.
    expect(reports.every((r) => r.won.length > 0)).toBe(true);
    await expectExactlyAvailableWon(stock, reservations, 'RACE', won);
    // The reservation documents agree: 50 held, 150 failed and finished (their holds given back), none pending.
    const docs = await db.collection('reservations').find({}, { projection: { _id: 0, id: 1, finished: 1 } }).toArray();
    expect(docs).toHaveLength(TOTAL);
    const outcomes = await db.collection('reservation_outcomes').find({}, { projection: { _id: 0, reservationId: 1, outcome: 1 } }).toArray();
    expect(outcomes).toHaveLength(TOTAL - AVAILABLE);
    expect(outcomes.every((o) => o.outcome === 'failed')).toBe(true);
    const settled = new Set(outcomes.map((o) => o.reservationId));
    expect(docs.filter((d) => !settled.has(d.id)).map((d) => d.id).sort()).toEqual([...won].sort());
    expect(docs.filter((d) => settled.has(d.id)).every((d) => d.finished === true)).toBe(true);
  }, 180_000);

  describeExpiry('mongodb', stores);

  it('a process killed with one reservation held and one half taken leaks no stock after expiry and a sweep', async () => {
    const { stock, reservations } = await stores();
    await seed(stock, 'KA', 10);
    await seed(stock, 'KB', 10);
    const ttlMs = 1_500;
    const worker = spawnWorker('crash', { items: [{ sku: 'KA', supplier: 'rest', quantity: 2 }, { sku: 'KB', supplier: 'rest', quantity: 3 }], ttlMs });
    expect(await worker.next()).toEqual({ ready: true });
    worker.child.send('go');
    const held = (await worker.next()).held as string;
    expect(await worker.next()).toEqual({ partial: true });
    const killed = new Promise((resolve) => worker.child.once('exit', resolve));
    worker.child.kill('SIGKILL');
    await killed;

    // What the dead process left: one reservation held (KA 2, KB 3), one pending with only its KA hold taken.
    expect(await stock.get('KA', 'rest')).toMatchObject({ reserved: 4, available: 6 });
    expect(await stock.get('KB', 'rest')).toMatchObject({ reserved: 3, available: 7 });
    const ours = await db.collection('reservations').find({}).toArray();
    const pending = ours.find((d) => d.id !== held && d.items[0]?.sku === 'KA')!;
    expect((await reservations.get('t1', pending.id as string))?.state).toBe('pending');

    const service = serviceOver(stock, reservations);
    const sweeper = startReservationSweeper({ service, log, intervalMs: 200 });
    try {
      await waitForReturn(stock, 'KA', ttlMs + 10_000);
      await waitForReturn(stock, 'KB', 10_000);
    } finally {
      await sweeper.stop();
    }
    expect(await stock.get('KA', 'rest')).toMatchObject({ reserved: 0, available: 10 });
    expect(await stock.get('KB', 'rest')).toMatchObject({ reserved: 0, available: 10 });
    expect((await reservations.get('t1', held))?.state).toBe('expired');
    expect(await reservations.get('t1', pending.id as string)).toMatchObject({ state: 'expired', finished: true });
    // The hold the dead process never took on KB stays refused, should it somehow come back.
    expect((await stock.getState('KB', 'rest'))?.closed.map((c) => c.ref)).toEqual([pending.id]);
    await expectConsistent(stock, reservations, [['KA', 'rest'], ['KB', 'rest']]);
  }, 60_000);
});
