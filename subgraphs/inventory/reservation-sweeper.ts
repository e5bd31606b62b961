import type { Logger } from '../../platform/logger.ts';
import type { ReservationService, SweepSummary } from './reservations.ts';

export interface ReservationSweeperOptions {
  readonly service: ReservationService;
  readonly log: Logger;
  /** Time between sweeps; expired holds return within about this long. @default 5_000 */
  readonly intervalMs?: number;
  /** Reservations handled per batch; a sweep keeps taking batches while they come back full. @default 100 */
  readonly batchSize?: number;
  readonly onSweep?: (summary: SweepSummary) => void;
  /**
   * Retention: deletes reservations that ended without an order and expired before the given instant (the
   * ReservationStore's `purgeEnded`). Run at most once per `purgeEveryMs`, after a sweep; off when absent.
   */
  readonly purge?: { readonly run: (before: string, limit: number) => Promise<number>; readonly retentionMs: number };
  /** @default 3_600_000 */
  readonly purgeEveryMs?: number;
}

export interface ReservationSweeper {
  /** Runs one sweep now (waits for a running one first). */
  sweepNow(): Promise<SweepSummary>;
  /** Stops the timer and waits for a running sweep to end. */
  stop(): Promise<void>;
}

/**
 * Expires reservations past their expiresAt and returns their units; also finishes reservations whose process
 * died half-way (holds taken, or a release or commit begun). Every step is idempotent and decided by first-writer-
 * wins inserts, so one sweeper per process is safe: several processes sweeping the same reservation agree.
 */
export function startReservationSweeper(options: ReservationSweeperOptions): ReservationSweeper {
  const intervalMs = options.intervalMs ?? 5_000;
  const batchSize = options.batchSize ?? 100;
  const log = options.log.child({ component: 'reservation-sweeper' });
  let running: Promise<SweepSummary> = Promise.resolve({ expired: 0, finished: 0, failed: 0 });
  let stopped = false;

  const purgeEveryMs = options.purgeEveryMs ?? 3_600_000;
  let lastPurgeAt = Number.NEGATIVE_INFINITY;
  /** Purges in batches until a batch comes back short; a failure waits for the next period (logged, not thrown). */
  async function purgeIfDue(): Promise<void> {
    const purge = options.purge;
    if (purge === undefined || stopped || Date.now() - lastPurgeAt < purgeEveryMs) return;
    lastPurgeAt = Date.now();
    const before = new Date(Date.now() - purge.retentionMs).toISOString();
    let purged = 0;
    try {
      for (;;) {
        const batch = await purge.run(before, batchSize);
        purged += batch;
        if (stopped || batch < batchSize) break;
      }
    } catch (error) {
      log.warn({ err: error, purged }, 'purging ended reservations failed; retrying next period');
      return;
    }
    if (purged > 0) log.info({ purged, before }, 'ended reservations purged');
  }

  async function sweepAll(): Promise<SweepSummary> {
    const total = { expired: 0, finished: 0, failed: 0 };
    for (;;) {
      const batch = await options.service.sweep(batchSize);
      total.expired += batch.expired;
      total.finished += batch.finished;
      total.failed += batch.failed;
      // A full batch may mean more are due; stop on failures so a broken one cannot spin the loop.
      if (stopped || batch.failed > 0 || batch.expired + batch.finished < batchSize) break;
    }
    if (total.expired + total.finished + total.failed > 0) log.info(total, 'reservations swept');
    options.onSweep?.(total);
    await purgeIfDue();
    return total;
  }

  const sweepNow = (): Promise<SweepSummary> => {
    running = running.then(sweepAll, sweepAll).catch((error: unknown) => {
      log.error({ err: error }, 'reservation sweep failed; retrying at the next interval');
      return { expired: 0, finished: 0, failed: 1 };
    });
    return running;
  };

  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void sweepNow().finally(schedule), intervalMs);
    timer.unref(); // never keeps a process alive on its own
  };
  schedule();

  return {
    sweepNow,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
  };
}
