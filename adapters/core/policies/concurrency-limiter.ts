/**
 * A cap on one supplier's calls in flight from this process, with a lane-priority queue: a freed slot goes to
 * the oldest order call, else the oldest interactive one, else sync. Sync traffic may also be held to fewer
 * slots than the cap (`laneLimits`), so a catalog import of slow pages can never occupy every slot an order needs.
 * Per process: a supplier's concurrency limit is per connection pool in practice, and a global one would need a
 * lease with expiry in Redis for every call; the rate buckets are what is shared.
 */
import type { Lane } from '../connector.ts';
import { registryError } from '../../../kernel/errors.ts';
import { LANE_RANK, abortedError, insertByLane, rateLimitedLocally, removeFrom, type LaneWaiter } from './lanes.ts';

export interface ConcurrencyLimiterOptions {
  readonly supplier: string;
  /** Calls in flight at once. */
  readonly maxConcurrent: number;
  /** Most calls in flight per lane. @default { tracking and sync: maxConcurrent − 1 } (at least 1), others uncapped */
  readonly laneLimits?: Partial<Readonly<Record<Lane, number>>>;
}

export interface SlotRequest {
  readonly operation: string;
  readonly lane: Lane;
  readonly signal: AbortSignal;
  /** Longest wait for a slot; then RATE_LIMITED_LOCALLY. */
  readonly maxWaitMs: number;
}

export interface ConcurrencyLimiter {
  readonly supplier: string;
  /** Resolves with the slot's release function (idempotent). */
  acquire(request: SlotRequest): Promise<() => void>;
  inFlight(): number;
  queued(): number;
}

interface Waiter extends LaneWaiter {
  grant(): void;
}

export function createConcurrencyLimiter(options: ConcurrencyLimiterOptions): ConcurrencyLimiter {
  const { supplier, maxConcurrent } = options;
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) throw registryError('MISCONFIGURED', `${supplier} maxConcurrent must be an integer ≥ 1`);
  const limits: Record<Lane, number> = {
    order: maxConcurrent,
    interactive: maxConcurrent,
    tracking: Math.max(1, maxConcurrent - 1),
    sync: Math.max(1, maxConcurrent - 1),
    ...options.laneLimits,
  };
  const busy: Record<Lane, number> = { order: 0, interactive: 0, tracking: 0, sync: 0 };
  const waiters: Waiter[] = [];
  let total = 0;
  let seq = 0;

  const fits = (lane: Lane): boolean => total < maxConcurrent && busy[lane] < limits[lane];

  function take(lane: Lane): () => void {
    total += 1;
    busy[lane] += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      total -= 1;
      busy[lane] -= 1;
      dispatch();
    };
  }

  /** Hands free slots to waiters in lane order, skipping a lane that is at its own cap. */
  function dispatch(): void {
    for (const waiter of [...waiters]) {
      if (total >= maxConcurrent) return;
      if (fits(waiter.lane)) waiter.grant();
    }
  }

  return {
    supplier,
    inFlight: () => total,
    queued: () => waiters.length,

    acquire(request) {
      if (request.signal.aborted) return Promise.reject(abortedError(supplier, request.operation, 'a free slot'));
      const rank = LANE_RANK[request.lane];
      if (fits(request.lane) && !waiters.some((w) => LANE_RANK[w.lane] <= rank)) return Promise.resolve(take(request.lane));
      return new Promise((resolve, reject) => {
        const cleanup = (): void => {
          clearTimeout(timer);
          request.signal.removeEventListener('abort', onAbort);
          removeFrom(waiters, waiter);
        };
        const waiter: Waiter = {
          lane: request.lane,
          seq: seq++,
          grant: () => {
            cleanup();
            resolve(take(request.lane));
          },
        };
        const onAbort = (): void => {
          cleanup();
          reject(abortedError(supplier, request.operation, 'a free slot'));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(rateLimitedLocally(supplier, request.operation, undefined, { limit: 'concurrency', lane: request.lane, maxConcurrent }));
        }, Math.max(0, request.maxWaitMs));
        request.signal.addEventListener('abort', onAbort, { once: true });
        insertByLane(waiters, waiter);
      });
    },
  };
}
