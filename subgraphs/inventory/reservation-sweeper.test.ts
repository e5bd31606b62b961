import { describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { startReservationSweeper } from './reservation-sweeper.ts';
import type { ReservationService } from './reservations.ts';

const idleService = { sweep: async () => ({ expired: 0, finished: 0, failed: 0 }) } as unknown as ReservationService;
const log = createLogger({ level: 'silent' });

describe('reservation sweeper retention', () => {
  it('purges in batches until one comes back short, with the cutoff retention before now, at most once per period', async () => {
    const calls: { before: string; limit: number }[] = [];
    const remaining = [3, 3, 1];
    const sweeper = startReservationSweeper({
      service: idleService,
      log,
      intervalMs: 60_000,
      batchSize: 3,
      purge: { run: async (before, limit) => (calls.push({ before, limit }), remaining.shift() ?? 0), retentionMs: 86_400_000 },
    });
    try {
      const started = Date.now();
      await sweeper.sweepNow();
      expect(calls.map((c) => c.limit)).toEqual([3, 3, 3]);
      const cutoff = Date.parse(calls[0]!.before);
      expect(cutoff).toBeLessThanOrEqual(started - 86_400_000 + 1_000);
      expect(cutoff).toBeGreaterThanOrEqual(started - 86_400_000 - 1_000);
      await sweeper.sweepNow(); // within the hour: no second purge
      expect(calls).toHaveLength(3);
    } finally {
      await sweeper.stop();
    }
  });

  it('a failing purge does not fail the sweep', async () => {
    const sweeper = startReservationSweeper({
      service: idleService,
      log,
      intervalMs: 60_000,
      purge: { run: async () => { throw new Error('store down'); }, retentionMs: 1 },
    });
    try {
      await expect(sweeper.sweepNow()).resolves.toEqual({ expired: 0, finished: 0, failed: 0 });
    } finally {
      await sweeper.stop();
    }
  });
});
