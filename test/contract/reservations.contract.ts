/**
 * The reservation service (subgraphs/inventory/reservations.ts) over each pair of store implementations. The
 * concurrency and crash cases fail on an implementation that oversells, loses a hold, or lets a reservation end two
 * ways; `expectConsistent` checks the invariants after every case.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isRegistryError } from '../../kernel/errors.ts';
import { createMemoryCache } from '../../adapters/cache/memory-cache.ts';
import { createMemoryEventBus } from '../../adapters/events/memory-event-bus.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { ReservationRecord, ReservationStore } from '../../platform/ports/reservation-store.ts';
import type { StockStore } from '../../platform/ports/stock-store.ts';
import { createBufferPolicy } from '../../subgraphs/inventory/buffer-policy.ts';
import { createReservationService, type ReservationService } from '../../subgraphs/inventory/reservations.ts';
import { STOCK_CHANGED_TOPIC, type StockChangedEvent } from '../../subgraphs/inventory/stock-events.ts';
import { takeHold } from '../../subgraphs/inventory/stock-holds.ts';
import { createStockUpdater, type StockUpdater } from '../../subgraphs/inventory/stock-updater.ts';
import { expectRegistryCode } from './registry-error-assert.ts';

export interface ReservationStores {
  readonly stock: StockStore;
  readonly reservations: ReservationStore;
}

export interface ReservationsContractOptions {
  /** Simultaneous single-unit reservations in the race case (half as many units are available). @default 200 */
  readonly raceSize?: number;
}

const caller = { tenant: 't1' };
const TTL = 60_000;

/**
 * After any sequence of reserve/release/commit/sweep: each row's counters equal its ledger, and every hold in a
 * ledger belongs to a reservation in the state that may hold it (reserved ↔ held, committed ↔ committed).
 */
export async function expectConsistent(stock: StockStore, reservations: ReservationStore, rows: readonly (readonly [string, string])[], tenant = 't1'): Promise<void> {
  for (const [sku, supplier] of rows) {
    const state = await stock.getState(sku, supplier);
    if (state === null) continue;
    const sum = (s: 'reserved' | 'committed') => state.holds.filter((h) => h.state === s).reduce((t, h) => t + h.units, 0);
    expect(state.record.reserved, `${sku}/${supplier} reserved = Σ reserved holds`).toBe(sum('reserved'));
    expect(state.record.committed, `${sku}/${supplier} committed = Σ committed holds`).toBe(sum('committed'));
    const { onHand, reserved, committed, buffer } = state.record;
    expect(state.record.available).toBe(Math.max(0, onHand - reserved - committed - buffer));
    for (const hold of state.holds) {
      const r = await reservations.get(tenant, hold.ref);
      expect(r, `hold ${hold.ref} has a reservation`).not.toBeNull();
      const item = r!.items.find((i) => i.sku === sku && i.supplier === supplier);
      // A committed hold shrinks as its order ships or is cancelled (settleCommitted); it never grows.
      if (hold.state === 'committed') expect(hold.units).toBeLessThanOrEqual(item?.quantity ?? 0);
      else expect(hold.units).toBe(item?.quantity);
      expect(hold.state === 'committed' ? ['committed'] : ['held', 'pending']).toContain(r!.state);
    }
  }
}

export function describeReservationsContract(name: string, make: () => Promise<ReservationStores>, options: ReservationsContractOptions = {}): void {
  describe(`reservations: ${name}`, () => {
    let stores: ReservationStores;
    let updater: StockUpdater;
    let service: ReservationService;
    let offsetMs = 0;
    const now = () => Date.now() + offsetMs;
    const events: StockChangedEvent[] = [];
    const bus = createMemoryEventBus({ log: silentLogger() });

    const seed = async (sku: string, supplier: string, onHand: number) =>
      updater.applyReport({ sku, supplier, supplierSku: `${supplier}-${sku}`, onHand, supplierAsOf: new Date().toISOString() }, 'import');
    const row = async (sku: string, supplier = 'rest') => (await stores.stock.get(sku, supplier))!;
    const rows: [string, string][] = [['A', 'rest'], ['A', 'soap'], ['B', 'rest'], ['C', 'rest'], ['R', 'rest']];

    beforeAll(async () => {
      stores = await make();
      await bus.subscribe(STOCK_CHANGED_TOPIC, (e) => events.push(e as StockChangedEvent));
      updater = createStockUpdater({ stock: stores.stock, cache: createMemoryCache(), events: bus, log: silentLogger() });
      service = createReservationService({
        reservations: stores.reservations,
        updater,
        buffers: createBufferPolicy({ default: 0, bySupplier: { soap: 2 }, byProduct: { C: 3 } }),
        log: silentLogger(),
        now,
      });
    });

    beforeEach(async () => {
      offsetMs = 0;
      await stores.stock.clear();
      await stores.reservations.clear();
      await seed('A', 'rest', 10);
      await seed('A', 'soap', 10);
      await seed('B', 'rest', 1);
      await seed('C', 'rest', 10);
      events.length = 0;
    });

    afterEach(async () => {
      await expectConsistent(stores.stock, stores.reservations, rows);
    });

    it('holds every item, per SKU and supplier, and announces each change as a reservation', async () => {
      const r = await service.reserveStock(
        [{ sku: 'A', supplier: 'soap', quantity: 3 }, { sku: 'A', supplier: 'rest', quantity: 4 }, { sku: 'A', supplier: 'rest', quantity: 1 }],
        TTL,
        caller,
      );
      expect(r).toMatchObject({ state: 'held', tenant: 't1', idempotencyKey: null, finished: false });
      // Duplicates merged, sorted by (sku, supplier): the order holds are taken in.
      expect(r.items).toEqual([{ sku: 'A', supplier: 'rest', quantity: 5 }, { sku: 'A', supplier: 'soap', quantity: 3 }]);
      expect(Date.parse(r.expiresAt) - Date.parse(r.createdAt)).toBe(TTL);
      expect(await row('A')).toMatchObject({ onHand: 10, reserved: 5, available: 5 });
      // The soap supplier's buffer (2) is set on the row by the hold and never sold.
      expect(await row('A', 'soap')).toMatchObject({ reserved: 3, buffer: 2, available: 5 });
      expect(await service.getReservation(r.id, caller)).toMatchObject({ id: r.id, state: 'held' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const ours = events.filter((e) => e.source === 'reservation' && e.sku === 'A');
      expect(ours.map((e) => [e.supplier, e.oldAvailable, e.newAvailable, e.source])).toEqual([
        ['rest', 10, 5, 'reservation'],
        ['soap', 10, 5, 'reservation'],
      ]);
    });

    it('never sells the safety buffer: the product setting wins over supplier and default', async () => {
      await expectRegistryCode(service.reserveStock([{ sku: 'C', supplier: 'rest', quantity: 8 }], TTL, caller), 'OUT_OF_STOCK');
      await service.reserveStock([{ sku: 'C', supplier: 'rest', quantity: 7 }], TTL, caller);
      expect(await row('C')).toMatchObject({ onHand: 10, reserved: 7, buffer: 3, available: 0 });
      await expectRegistryCode(service.reserveStock([{ sku: 'C', supplier: 'rest', quantity: 1 }], TTL, caller), 'OUT_OF_STOCK');
    });

    it('is all-or-nothing: a later item out of stock gives back the holds already taken', async () => {
      const error = await expectRegistryCode(
        service.reserveStock([{ sku: 'A', supplier: 'rest', quantity: 4 }, { sku: 'B', supplier: 'rest', quantity: 2 }], TTL, caller),
        'OUT_OF_STOCK',
      );
      expect((error as { details?: unknown }).details).toMatchObject({ sku: 'B', supplier: 'rest', requested: 2, available: 1 });
      expect(await row('A')).toMatchObject({ reserved: 0, available: 10 });
      expect(await row('B')).toMatchObject({ reserved: 0, available: 1 });
      expect((await stores.stock.getState('A', 'rest'))?.holds).toEqual([]);
      const due = await stores.reservations.listDue(new Date(now() + TTL * 2).toISOString(), 10);
      expect(due).toEqual([]); // the failed reservation is finished: nothing for the sweeper
    });

    it('refuses a row with no stock figure (NOT_FOUND) and malformed requests (INVALID_INPUT), holding nothing', async () => {
      await expectRegistryCode(service.reserveStock([{ sku: 'A', supplier: 'rest', quantity: 1 }, { sku: 'Z', supplier: 'rest', quantity: 1 }], TTL, caller), 'NOT_FOUND');
      expect((await row('A')).reserved).toBe(0);
      for (const quantity of [0, -1, 1.5, Number.NaN, 1e9]) {
        await expectRegistryCode(service.reserveStock([{ sku: 'A', supplier: 'rest', quantity }], TTL, caller), 'INVALID_INPUT');
      }
      for (const ttl of [0, -5, 99, 1.5, 86_400_001]) {
        await expectRegistryCode(service.reserveStock([{ sku: 'A', supplier: 'rest', quantity: 1 }], ttl, caller), 'INVALID_INPUT');
      }
      await expectRegistryCode(service.reserveStock([], TTL, caller), 'INVALID_INPUT');
      await expectRegistryCode(service.reserveStock([{ sku: '', supplier: 'rest', quantity: 1 }], TTL, caller), 'INVALID_INPUT');
      await expectRegistryCode(service.reserveStock([{ sku: 'A', supplier: 'rest', quantity: 1 }], TTL, { ...caller, idempotencyKey: '' }), 'INVALID_INPUT');
      expect((await row('A')).reserved).toBe(0);
    });

    it('releases: units return, and releasing again is a no-op; a released reservation cannot be committed', async () => {
      const r = await service.reserveStock([{ sku: 'A', supplier: 'rest', quantity: 6 }], TTL, caller);
      const released = await service.releaseReservation(r.id, caller);
      expect(released).toMatchObject({ id: r.id, state: 'released', finished: true });
      expect(await row('A')).toMatchObject({ reserved: 0, available: 10 });
      expect(await service.releaseReservation(r.id, caller)).toMatchObject({ state: 'released' });
      expect((await row('A')).version).toBe(3); // report, hold, release: the second release wrote nothing
      await expectRegistryCode(service.commitReservation(r.id, caller), 'RESERVATION_NOT_HELD');
    });

    it('commits: units move from reserved to committed; committing again is a no-op; it cannot be released after', async () => {
      const r = await service.reserveStock([{ sku: 'A', supplier: 'rest', quantity: 6 }, { sku: 'B', supplier: 'rest', quantity: 1 }], TTL, caller);
      const committed = await service.commitReservation(r.id, caller);
      expect(committed).toMatchObject({ state: 'committed', finished: true });
      expect(await row('A')).toMatchObject({ reserved: 0, committed: 6, available: 4 });
      expect(await row('B')).toMatchObject({ reserved: 0, committed: 1, available: 0 });
      expect(await service.commitReservation(r.id, caller)).toMatchObject({ state: 'committed' });
      expect((await row('A')).committed).toBe(6);
      await expectRegistryCode(service.releaseReservation(r.id, caller), 'RESERVATION_NOT_HELD');
      // Expiry does not touch committed units.
      offsetMs = TTL + 1;
      await service.sweep();
      expect(await row('A')).toMatchObject({ committed: 6, available: 4 });
    });

    it('settles committed units: shipped ones leave committed, cancelled ones return to available; exactly once, in any order', async () => {
      const r = await service.reserveStock([{ sku: 'A', supplier: 'rest', quantity: 6 }, { sku: 'B', supplier: 'rest', quantity: 1 }], TTL, caller);
      await service.commitReservation(r.id, caller);
      // 4 of A shipped (2 stay committed), nothing of B yet.
      const keep = [{ sku: 'A', supplier: 'rest', quantity: 2 }, { sku: 'B', supplier: 'rest', quantity: 1 }];
      await service.settleCommitted(r.id, caller, keep);
      expect(await row('A')).toMatchObject({ reserved: 0, committed: 2, available: 8 });
      expect(await row('B')).toMatchObject({ committed: 1, available: 0 });
      // The same figures again, and an older report (5 of A left), change nothing.
      await service.settleCommitted(r.id, caller, keep);
      await service.settleCommitted(r.id, caller, [{ sku: 'A', supplier: 'rest', quantity: 5 }, { sku: 'B', supplier: 'rest', quantity: 1 }]);
      expect(await row('A')).toMatchObject({ committed: 2, available: 8 });
      // The rest is cancelled: everything leaves committed, and stays so on a retry.
      await Promise.all([service.settleCommitted(r.id, caller), service.settleCommitted(r.id, caller)]);
      await service.settleCommitted(r.id, caller);
      expect(await row('A')).toMatchObject({ reserved: 0, committed: 0, available: 10 });
      expect(await row('B')).toMatchObject({ reserved: 0, committed: 0, available: 1 });
      expect((await stores.stock.getState('A', 'rest'))!.holds).toEqual([]);
      // A late commit or sweep does not bring the units back.
      await service.commitReservation(r.id, caller);
      offsetMs = TTL + 1;
      await service.sweep();
      expect(await row('A')).toMatchObject({ committed: 0, available: 10 });
    });

    it('settles nothing for a reservation that was never committed, and finishes an unfinished commit before settling', async () => {
      const released = await service.reserveStock([{ sku: 'A', supplier: 'rest', quantity: 2 }], TTL, caller);
      await service.releaseReservation(released.id, caller);
      expect(await service.settleCommitted(released.id, caller)).toMatchObject({ state: 'released' });
      const held = await service.reserveStock([{ sku: 'A', supplier: 'rest', quantity: 3 }], TTL, caller);
      expect(await service.settleCommitted(held.id, caller)).toMatchObject({ state: 'held' });
      expect(await row('A')).toMatchObject({ reserved: 3, committed: 0 });
      // Committed, then the process died before moving the units: settling moves and clears them.
      await stores.reservations.settle(held.id, 'committed', new Date(now()).toISOString());
      await service.settleCommitted(held.id, caller, [{ sku: 'A', supplier: 'rest', quantity: 1 }]);
      expect(await row('A')).toMatchObject({ reserved: 0, committed: 1, available: 9 });
      await expectRegistryCode(service.settleCommitted(held.id, caller, [{ sku: 'A', supplier: 'rest', quantity: -1 }]), 'INVALID_INPUT');
      await expectRegistryCode(service.settleCommitted(held.id, { tenant: 't2' }), 'NOT_FOUND');
    });

    it('expires: past expiresAt it cannot be committed, and the sweep returns the units', async () => {
      const a = await service.reserveStock([{ sku: 'A', supplier: 'rest', quantity: 2 }], 1_000, caller);
      const b = await service.reserveStock([{ sku: 'A', supplier: 'rest', quantity: 3 }], 5_000, caller);
      offsetMs = 1_000;
      expect(await service.sweep()).toEqual({ expired: 1, finished: 0, failed: 0 });
      expect(await row('A')).toMatchObject({ reserved: 3, available: 7 });
      expect((await service.getReservation(a.id, caller))?.state).toBe('expired');
      offsetMs = 5_000;
      // Committing after expiresAt fails even before a sweep has run, and gives the units back itself.
      await expectRegistryCode(service.commitReservation(b.id, caller), 'RESERVATION_NOT_HELD');
      expect(await row('A')).toMatchObject({ reserved: 0, available: 10 });
      expect(await service.getReservation(b.id, caller)).toMatchObject({ state: 'expired', finished: true });
      expect(await service.releaseReservation(a.id, caller)).toMatchObject({ state: 'expired' });
      expect(await service.sweep()).toEqual({ expired: 0, finished: 0, failed: 0 });
    });

    it('replays an idempotency key: same reservation, no second hold; another request under the key is refused', async () => {
      const key = { ...caller, idempotencyKey: 'order-1' };
      const first = await service.reserveStock([{ sku: 'A', supplier: 'rest', quantity: 2 }], TTL, key);
      const again = await service.reserveStock([{ sku: 'A', supplier: 'rest', quantity: 2 }], TTL, key);
      expect(again.id).toBe(first.id);
      expect(again.state).toBe('held');
      expect((await row('A')).reserved).toBe(2);
      await expectRegistryCode(service.reserveStock([{ sku: 'A', supplier: 'rest', quantity: 3 }], TTL, key), 'INVALID_INPUT');
      // The same key in another tenant is another reservation.
      const other = await service.reserveStock([{ sku: 'A', supplier: 'rest', quantity: 2 }], TTL, { tenant: 't2', idempotencyKey: 'order-1' });
      expect(other.id).not.toBe(first.id);
      await service.releaseReservation(other.id, { tenant: 't2' });
    });

    it('keeps tenants apart: another tenant can neither read, release nor commit a reservation', async () => {
      const r = await service.reserveStock([{ sku: 'A', supplier: 'rest', quantity: 1 }], TTL, caller);
      expect(await service.getReservation(r.id, { tenant: 't2' })).toBeNull();
      await expectRegistryCode(service.releaseReservation(r.id, { tenant: 't2' }), 'NOT_FOUND');
      await expectRegistryCode(service.commitReservation(r.id, { tenant: 't2' }), 'NOT_FOUND');
      expect((await row('A')).reserved).toBe(1);
    });

    it('crash: holds a dead process took before finishing are returned by the sweep after expiresAt', async () => {
      // What a process killed half-way through reserveStock leaves: the reservation written, one of two holds taken.
      const id = 'crashed-1';
      const expiresAt = new Date(now() + 2_000).toISOString();
      await stores.reservations.create({
        id, tenant: 't1', items: [{ sku: 'A', supplier: 'rest', quantity: 4 }, { sku: 'B', supplier: 'rest', quantity: 1 }],
        expiresAt, createdAt: new Date(now()).toISOString(), idempotencyKey: null,
      });
      const iso = () => new Date(now()).toISOString();
      await updater.applyChange('A', 'rest', takeHold({ ref: id, units: 4, buffer: 0, deadline: expiresAt, now: iso }), 'reservation');
      expect((await row('A')).reserved).toBe(4);
      expect(await service.sweep()).toEqual({ expired: 0, finished: 0, failed: 0 }); // not due yet
      await expectRegistryCode(service.commitReservation(id, caller), 'RESERVATION_NOT_HELD'); // never fully held
      offsetMs = 2_000;
      expect(await service.sweep()).toEqual({ expired: 1, finished: 0, failed: 0 });
      expect(await row('A')).toMatchObject({ reserved: 0, available: 10 });
      expect(await row('B')).toMatchObject({ reserved: 0, available: 1 });
      // The hold it never took is refused from now on, should the "dead" process wake up and try.
      const late = await updater.applyChange('B', 'rest', takeHold({ ref: id, units: 1, buffer: 0, deadline: '9999-01-01T00:00:00.000Z', now: iso }), 'reservation');
      expect(late).toMatchObject({ outcome: 'rejected', reason: 'closed' });
      expect((await stores.stock.getState('B', 'rest'))?.closed.map((c) => c.ref)).toEqual([id]);
    });

    it('crash: a release that died after settling is finished by the sweep', async () => {
      const r = await service.reserveStock([{ sku: 'A', supplier: 'rest', quantity: 3 }], 1_000, caller);
      await stores.reservations.settle(r.id, 'released', new Date(now()).toISOString()); // ...and then the process died
      expect((await row('A')).reserved).toBe(3);
      offsetMs = 1_000;
      expect(await service.sweep()).toEqual({ expired: 0, finished: 1, failed: 0 });
      expect(await row('A')).toMatchObject({ reserved: 0, available: 10 });
      expect(await service.getReservation(r.id, caller)).toMatchObject({ state: 'released', finished: true });
    });

    it('concurrency: simultaneous single-unit reservations never oversell', async () => {
      const size = options.raceSize ?? 200;
      await seed('R', 'rest', size / 2);
      const results = await Promise.allSettled(
        Array.from({ length: size }, () => service.reserveStock([{ sku: 'R', supplier: 'rest', quantity: 1 }], TTL, caller)),
      );
      const won = results.filter((r): r is PromiseFulfilledResult<ReservationRecord> => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(lost.every((r) => isRegistryError(r.reason) && r.reason.code === 'OUT_OF_STOCK'), String(lost[0]?.reason)).toBe(true);
      expect(won).toHaveLength(size / 2);
      const state = await stores.stock.getState('R', 'rest');
      expect(state?.record).toMatchObject({ reserved: size / 2, available: 0 });
      expect(new Set(state?.holds.map((h) => h.ref))).toEqual(new Set(won.map((w) => w.value.id)));
    });

    it('concurrency: commit, release and the sweeper of another process racing on each reservation end it one way only', async () => {
      // The other process's clock is 1 ms ahead: to it the reservations are due while commit and release may still win.
      const elsewhere = createReservationService({
        reservations: stores.reservations, updater, buffers: createBufferPolicy(), log: silentLogger(), now: () => now() + 1,
      });
      const made = await Promise.all(Array.from({ length: 8 }, () => service.reserveStock([{ sku: 'A', supplier: 'rest', quantity: 1 }], 1_000, caller)));
      offsetMs = 999;
      const tries = await Promise.all(
        made.map((r) => Promise.allSettled([service.commitReservation(r.id, caller), service.releaseReservation(r.id, caller), elsewhere.sweep()])),
      );
      let committed = 0;
      for (const [i, r] of made.entries()) {
        const final = (await service.getReservation(r.id, caller))!;
        const [commit, release] = tries[i]!;
        expect(final.finished).toBe(true);
        // A commit that succeeded means committed, and then the release must have failed; and vice versa.
        if (commit!.status === 'fulfilled') {
          expect(final.state).toBe('committed');
          expect(release!.status).toBe('rejected');
          committed += 1;
        } else {
          expect(['released', 'expired']).toContain(final.state);
          if (release!.status === 'fulfilled') expect(release.value.state).toBe(final.state);
        }
      }
      expect(await row('A')).toMatchObject({ reserved: 0, committed, available: 10 - committed });
    });
  });
}
