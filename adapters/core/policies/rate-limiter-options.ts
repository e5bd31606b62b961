/**
 * The rate limiter's options, their defaults and their validation (rate-limiter.ts is the machinery; a bad
 * configuration is refused at start with MISCONFIGURED).
 */
import type { Lane } from '../connector.ts';
import { registryError } from '../../../kernel/errors.ts';
import type { BucketShape, RateLimitStore } from '../../../platform/ports/rate-limit-store.ts';
import { DEFAULT_LANE_BORROWS, DEFAULT_LANE_SHARES, LANES } from './lanes.ts';

export interface BucketClass extends BucketShape {
  /** 'call': one token per call; 'cost': the call's estimated cost (at most one such class). @default 'call' */
  readonly unit?: 'call' | 'cost';
}

export interface RateLimiterOptions {
  readonly supplier: string;
  readonly store: RateLimitStore;
  /** Buckets by class name; `default` is required (see published-limits.ts to build them). */
  readonly classes: Readonly<Record<string, BucketClass>>;
  /**
   * Classes each operation draws from, general to specific, e.g. `{ getStock: ['default', 'bulkStock'] }`.
   * A supplier's throttle answer drains the most specific (last) one. @default ['default'] for any operation
   */
  readonly operations?: Readonly<Record<string, readonly string[]>>;
  /** Estimated cost per operation, drawn from the 'cost' class. @default 1 */
  readonly costs?: Readonly<Record<string, number>>;
  /**
   * Share of every bucket each lane must leave for higher lanes when it borrows beyond its guaranteed share.
   * @default { order: 0, interactive: 0.1, tracking: 0.3, sync: 0.3 }
   */
  readonly reserve?: Partial<Readonly<Record<Lane, number>>>;
  /** Each lane's guaranteed share of every bucket (0 = none); they sum to at most 1. @default DEFAULT_LANE_SHARES */
  readonly shares?: Partial<Readonly<Record<Lane, number>>>;
  /** Whether a lane may borrow beyond its share, down to its reserve floor. @default DEFAULT_LANE_BORROWS */
  readonly borrows?: Partial<Readonly<Record<Lane, boolean>>>;
  /**
   * Share of every shared bucket a lane leaves even within its guaranteed share: the background lanes never take
   * what orders and live reads keep in reserve, so those never wait a refill because of them (orders and live reads
   * first; the background lanes' shares are guaranteed against each other). @default { tracking: 0.3, sync: 0.3 }
   */
  readonly headroom?: Partial<Readonly<Record<Lane, number>>>;
  /**
   * A reported cost bucket is adopted only within [published / adoptBand, published × adoptBand] for capacity and
   * restore rate (published: the class as configured here, from the suppliers file). @default 4
   */
  readonly adoptBand?: number;
  /**
   * Longest wait this limiter imposes or reports on the supplier's word: a supplier's Retry-After or throttle wait,
   * and the wait of a call drawing the reported cost bucket, are capped at it. Set it to the breaker's open time.
   * @default 30000
   */
  readonly longestWaitMs?: number;
  /**
   * When the cost bucket (the one the supplier's reports set) has no room for longer than this, one call per this
   * interval — across every process sharing the store — is sent anyway (a probe): its answer resets the bucket. An
   * adopted cost-bucket shape also lapses this long after its last report. Set it to half the breaker's open time.
   * @default 15000
   */
  readonly probeEveryMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

export const DEFAULT_RESERVE: Readonly<Record<Lane, number>> = { order: 0, interactive: 0.1, tracking: 0.3, sync: 0.3 };
export const DEFAULT_HEADROOM: Readonly<Record<Lane, number>> = { order: 0, interactive: 0, tracking: 0.3, sync: 0.3 };

export function validate(options: RateLimiterOptions): Record<string, BucketShape> {
  const bad = (message: string): never => {
    throw registryError('MISCONFIGURED', `${options.supplier} rate limiter: ${message}`);
  };
  const names = Object.keys(options.classes);
  if (!names.includes('default')) bad('a "default" class is required');
  if (names.filter((n) => options.classes[n]!.unit === 'cost').length > 1) bad('at most one class may count cost');
  for (const [name, c] of Object.entries(options.classes)) {
    if (!(c.capacity > 0 && Number.isFinite(c.capacity) && c.refillPerSec > 0 && Number.isFinite(c.refillPerSec))) bad(`class ${name} needs capacity > 0 and refillPerSec > 0`);
  }
  for (const [op, classes] of Object.entries(options.operations ?? {})) {
    if (classes.length === 0 || classes.some((c) => !names.includes(c))) bad(`operation ${op} names an unknown class`);
  }
  if (options.adoptBand !== undefined && !(options.adoptBand >= 1 && Number.isFinite(options.adoptBand))) bad('adoptBand must be a finite number ≥ 1');
  for (const [what, ms] of [['longestWaitMs', options.longestWaitMs], ['probeEveryMs', options.probeEveryMs]] as const) {
    if (ms !== undefined && !(ms > 0 && Number.isFinite(ms))) bad(`${what} must be a finite number of ms > 0`);
  }
  for (const [lane, share] of Object.entries(options.reserve ?? {})) {
    if (!(share >= 0 && share < 1)) bad(`reserve for ${lane} must be in [0, 1)`);
  }
  const shares = { ...DEFAULT_LANE_SHARES, ...options.shares };
  for (const [lane, share] of Object.entries(shares)) if (!(share >= 0 && share <= 1)) bad(`share for ${lane} must be in [0, 1]`);
  const sum = Object.values(shares).reduce((a, b) => a + b, 0);
  if (sum > 1 + 1e-9) bad(`lane shares sum to ${sum.toFixed(3)}, more than the whole budget`);
  for (const lane of LANES) {
    if (shares[lane] === 0 && !({ ...DEFAULT_LANE_BORROWS, ...options.borrows })[lane]) bad(`lane ${lane} has no share and may not borrow: it could never call`);
  }
  return Object.fromEntries(names.map((n) => [n, { capacity: options.classes[n]!.capacity, refillPerSec: options.classes[n]!.refillPerSec }]));
}
