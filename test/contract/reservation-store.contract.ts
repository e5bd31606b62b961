/**
 * One contract for every ReservationStore. The concurrency cases fail when an outcome is settled by anything but a
 * first-writer-wins primitive (two settles both "winning"), or when one idempotency key makes two reservations.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NewReservation, ReservationOutcome, ReservationStore } from '../../platform/ports/reservation-store.ts';
import { expectRegistryCode } from './registry-error-assert.ts';

export type ReservationStoreFactory = () => Promise<ReservationStore>;

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

export function newReservation(id: string, overrides: Partial<NewReservation> = {}): NewReservation {
  return {
    id,
    tenant: 't1',
    items: [{ sku: 'SKU-1', supplier: 'rest', quantity: 2 }],
    expiresAt: at(60),
    createdAt: at(0),
    idempotencyKey: null,
    ...overrides,
  };
}

export function describeReservationStoreContract(name: string, make: ReservationStoreFactory): void {
  describe(`ReservationStore contract: ${name}`, () => {
    let store: ReservationStore;

    beforeAll(async () => {
      store = await make();
    });

    beforeEach(async () => {
      await store.clear();
    });

    it('creates a pending reservation, marks it held, and reads it back per tenant', async () => {
      expect(await store.create(newReservation('r1'))).toEqual({ created: true });
      expect(await store.get('t1', 'r1')).toEqual({ ...newReservation('r1'), state: 'pending', settledAt: null, finished: false });
      await store.markHeld('r1');
      expect((await store.get('t1', 'r1'))?.state).toBe('held');
      expect(await store.get('t2', 'r1')).toBeNull();
      expect(await store.get('t1', 'nope')).toBeNull();
    });

    it('returns the existing reservation for a repeated idempotency key, per tenant', async () => {
      await store.create(newReservation('r1', { idempotencyKey: 'k' }));
      const again = await store.create(newReservation('r2', { idempotencyKey: 'k' }));
      expect(again).toMatchObject({ created: false, existing: { id: 'r1', idempotencyKey: 'k' } });
      expect(await store.get('t1', 'r2')).toBeNull();
      expect(await store.create(newReservation('r3', { idempotencyKey: 'k', tenant: 't2' }))).toEqual({ created: true });
      // Reservations without a key never collide with each other.
      expect(await store.create(newReservation('r4'))).toEqual({ created: true });
      expect(await store.create(newReservation('r5'))).toEqual({ created: true });
    });

    it('refuses a second reservation with the same id, and malformed ones', async () => {
      await store.create(newReservation('r1'));
      await expectRegistryCode(() => store.create(newReservation('r1')), 'INVALID_INPUT');
      await expectRegistryCode(() => store.create(newReservation('r2', { items: [] })), 'INVALID_INPUT');
      await expectRegistryCode(() => store.create(newReservation('r3', { expiresAt: '2026-03-01T13:00:00+01:00' })), 'INVALID_INPUT');
      await expectRegistryCode(() => store.create(newReservation('r4', { items: [{ sku: 'A', supplier: 'rest', quantity: 0 }] })), 'INVALID_INPUT');
    });

    it('settles once: the first outcome wins and later settles are told which one', async () => {
      await store.create(newReservation('r1'));
      await store.markHeld('r1');
      expect(await store.settle('r1', 'committed', at(5))).toBe('committed');
      expect(await store.settle('r1', 'expired', at(6))).toBe('committed');
      await store.markHeld('r1'); // late: an outcome always overrides held
      expect(await store.get('t1', 'r1')).toMatchObject({ state: 'committed', settledAt: at(5), finished: false });
      await store.markFinished('r1');
      await store.markFinished('r1');
      expect((await store.get('t1', 'r1'))?.finished).toBe(true);
    });

    it('lists unfinished reservations due at a time, oldest first, with their outcomes', async () => {
      await store.create(newReservation('late', { expiresAt: at(30) }));
      await store.create(newReservation('early', { expiresAt: at(10) }));
      await store.create(newReservation('future', { expiresAt: at(100) }));
      await store.create(newReservation('done', { expiresAt: at(5) }));
      await store.settle('done', 'released', at(1));
      await store.markFinished('done');
      await store.create(newReservation('half', { expiresAt: at(20) }));
      await store.settle('half', 'released', at(2));
      const due = await store.listDue(at(30), 10);
      expect(due.map((r) => [r.id, r.state])).toEqual([['early', 'pending'], ['half', 'released'], ['late', 'pending']]);
      expect((await store.listDue(at(30), 2)).map((r) => r.id)).toEqual(['early', 'half']);
      expect(await store.listDue(at(9), 10)).toEqual([]);
    });

    it('purges reservations that ended without an order past the retention, keeping committed, unfinished and recent ones', async () => {
      const kinds: [string, ReservationOutcome | null, boolean][] = [
        ['released', 'released', true],
        ['expired', 'expired', true],
        ['failed', 'failed', true],
        ['committed', 'committed', true],
        ['unfinished', 'released', false],
        ['held', null, false],
      ];
      for (const [id, outcome, finished] of kinds) {
        await store.create(newReservation(id, { idempotencyKey: `key-${id}` }));
        if (outcome !== null) await store.settle(id, outcome, at(10));
        if (finished) await store.markFinished(id);
      }
      await store.create(newReservation('recent', { expiresAt: at(7200) }));
      await store.settle('recent', 'released', at(10));
      await store.markFinished('recent');

      expect(await store.purgeEnded(at(3600), 2)).toBe(2); // the limit holds
      expect(await store.purgeEnded(at(3600), 100)).toBe(1);
      expect(await store.purgeEnded(at(3600), 100)).toBe(0);
      for (const id of ['released', 'expired', 'failed']) expect(await store.get('t1', id)).toBeNull();
      for (const id of ['committed', 'unfinished', 'held', 'recent']) expect(await store.get('t1', id)).not.toBeNull();
      // A purged reservation's idempotency key is free again.
      expect(await store.create(newReservation('again', { idempotencyKey: 'key-released' }))).toEqual({ created: true });
    });

    it('concurrency: 30 simultaneous settles with different outcomes have one winner, and all agree on it', async () => {
      await store.create(newReservation('r1'));
      const wanted: ReservationOutcome[] = Array.from({ length: 30 }, (_, i) => (['released', 'committed', 'expired'] as const)[i % 3]!);
      const told = await Promise.all(wanted.map((o, i) => store.settle('r1', o, at(i))));
      expect(new Set(told).size).toBe(1);
      expect((await store.get('t1', 'r1'))?.state).toBe(told[0]);
    });

    it('concurrency: 20 simultaneous creates under one idempotency key make one reservation', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.create(newReservation(`r${i}`, { idempotencyKey: 'same' }))),
      );
      const created = results.filter((r) => r.created);
      expect(created).toHaveLength(1);
      const ids = new Set(results.map((r, i) => (r.created ? `r${i}` : r.existing.id)));
      expect(ids.size).toBe(1);
    });
  });
}
