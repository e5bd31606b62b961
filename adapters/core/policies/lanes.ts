/**
 * Lane order, the lanes' guaranteed shares, and the small waiting helpers the traffic policies share. Order traffic
 * (placing, cancelling) goes first, then a client's live read, then order tracking, then sync (polling,
 * reconciliation, catalog import).
 */
import type { Lane } from '../connector.ts';
import { RegistryError } from '../../../kernel/errors.ts';

export const LANE_RANK: Readonly<Record<Lane, number>> = { order: 0, interactive: 1, tracking: 2, sync: 3 };

export const LANES: readonly Lane[] = ['order', 'interactive', 'tracking', 'sync'];

/**
 * Each lane's guaranteed share of every one of a supplier's buckets (rate and capacity): a call within its lane's
 * share is granted whatever the other lanes do. Shares sum to at most 1. docs/traffic-control.md, "Lanes".
 */
export const DEFAULT_LANE_SHARES: Readonly<Record<Lane, number>> = { order: 0.2, interactive: 0.35, tracking: 0.15, sync: 0.3 };

/**
 * Whether a lane may borrow beyond its share what the others leave idle (down to its reserve floor). Tracking may
 * not: status polls stay within their share however idle the supplier is, so they can never crowd out live reads.
 */
export const DEFAULT_LANE_BORROWS: Readonly<Record<Lane, boolean>> = { order: true, interactive: true, tracking: false, sync: true };

export interface LaneWaiter {
  readonly lane: Lane;
  /** Arrival order, to keep FIFO within a lane. */
  readonly seq: number;
}

/** Inserts keeping the list sorted by lane rank, then arrival: the head is the next to serve. */
export function insertByLane<W extends LaneWaiter>(queue: W[], waiter: W): void {
  const rank = LANE_RANK[waiter.lane];
  let i = queue.length;
  while (i > 0 && LANE_RANK[queue[i - 1]!.lane] > rank) i -= 1;
  queue.splice(i, 0, waiter);
}

export function removeFrom<W>(queue: W[], waiter: W): boolean {
  const i = queue.indexOf(waiter);
  if (i < 0) return false;
  queue.splice(i, 1);
  return true;
}

export const abortedError = (supplier: string, operation: string, stage: string): RegistryError =>
  new RegistryError('CALL_ABORTED', `${supplier} ${operation} aborted by the caller while waiting for ${stage}`, { supplier, operation });

export const rateLimitedLocally = (supplier: string, operation: string, retryAfterMs: number | undefined, details: Record<string, unknown>): RegistryError =>
  new RegistryError('RATE_LIMITED_LOCALLY', `${supplier} ${operation} held back: no room in the ${String(details['limit'] ?? 'rate')} budget before the deadline`, {
    supplier,
    operation,
    ...(retryAfterMs === undefined || !Number.isFinite(retryAfterMs) ? {} : { retryAfterMs }),
    details,
  });

/** Resolves after `ms`, or early (without error) when `wake` is called; the timer never outlives either. */
export function wakeableSleep(ms: number): { readonly done: Promise<void>; wake(): void } {
  let wake!: () => void;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, Math.max(1, ms));
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return { done, wake };
}
