/**
 * Port: token buckets shared by every process that talks to one supplier account (Redis in production,
 * in-memory embedded). A bucket holds at most `capacity` tokens and gains `refillPerSec` tokens a second;
 * the store only does the arithmetic, atomically. The shape is passed on every call rather than stored, so a
 * process that learns a new limit (a GraphQL supplier reporting a bigger bucket) just starts passing it.
 * A bucket never used for a while may be forgotten: a forgotten bucket is full, which is what it would be.
 */
export interface BucketShape {
  /** Most tokens the bucket holds (the burst). */
  readonly capacity: number;
  /** Tokens added per second, continuously. */
  readonly refillPerSec: number;
}

export interface BucketDraw extends BucketShape {
  readonly key: string;
  /** Tokens to take (a call is usually 1; a GraphQL query its estimated cost). */
  readonly tokens: number;
  /**
   * Tokens that must remain after the take: how lower lanes leave room for higher ones across processes.
   * @default 0
   */
  readonly floor?: number;
}

export interface TakeOutcome {
  /** True when every bucket had room and all were debited; false when none was touched. */
  readonly granted: boolean;
  /**
   * When not granted: ms until every bucket would have room if nobody else took tokens meanwhile (a lower
   * bound, so callers re-try rather than trust it). `Infinity` when a draw can never fit (tokens + floor over
   * capacity, or no refill). 0 when granted.
   */
  readonly waitMs: number;
  /** Tokens left in each bucket, in the order of the draws (after the take when granted). */
  readonly remaining: readonly number[];
}

export interface BucketChange {
  /**
   * Add (refund) or remove (debit) tokens, applied last. The result is kept within [-capacity, capacity]: a
   * level below zero is a debt that refill pays off before anyone may take again.
   */
  readonly delta?: number;
  /** Set the level outright, e.g. to what the supplier says is left. Applied first. */
  readonly set?: number;
  /** Lower the level to at most this (never raise it), e.g. after the supplier throttled us. Applied second. */
  readonly atMost?: number;
}

export interface RateLimitStore {
  /** All-or-nothing take from one or more buckets (e.g. the per-minute bucket and an hourly quota). */
  take(draws: readonly BucketDraw[]): Promise<TakeOutcome>;
  /** Changes one bucket's level without waiting; returns the level after the change. */
  adjust(key: string, shape: BucketShape, change: BucketChange): Promise<number>;
  /** The bucket's level now, refill included; for metrics and tests. Never changes the bucket. */
  peek(key: string, shape: BucketShape): Promise<number>;
  close(): Promise<void>;
}

