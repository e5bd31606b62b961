/**
 * Token-bucket arithmetic, shared by the in-memory store and mirrored line for line by the Redis script
 * (redis-bucket-script.ts), so both implementations agree and one contract suite checks both.
 */
import { registryError } from '../../kernel/errors.ts';
import type { BucketDraw, BucketShape } from '../../platform/ports/rate-limit-store.ts';

/** A float compare tolerance: 0.1 + 0.2 tokens must count as 0.3. */
const EPSILON = 1e-9;

export interface BucketState {
  readonly tokens: number;
  /** Clock reading (ms) when `tokens` was right. */
  readonly at: number;
}

/** The level at `now`: the last level plus refill, never above capacity. A missing bucket is full. */
export function levelAt(state: BucketState | undefined, shape: BucketShape, now: number): number {
  if (!state) return shape.capacity;
  const elapsed = Math.max(0, now - state.at);
  return Math.min(shape.capacity, state.tokens + (elapsed * shape.refillPerSec) / 1000);
}

/** Ms until `level` reaches `tokens + floor`; 0 when it already has; Infinity when it never can. */
export function waitMsFor(level: number, draw: BucketDraw): number {
  const need = draw.tokens + (draw.floor ?? 0);
  if (need > draw.capacity + EPSILON) return Number.POSITIVE_INFINITY;
  if (level + EPSILON >= need) return 0;
  if (draw.refillPerSec <= 0) return Number.POSITIVE_INFINITY;
  return Math.ceil(((need - level) / draw.refillPerSec) * 1000);
}

/** How long an unused bucket must be kept: until it would be full again (then forgetting it changes nothing). */
export function idleTtlMs(level: number, shape: BucketShape): number {
  if (shape.refillPerSec <= 0) return 86_400_000;
  return Math.ceil(((shape.capacity - level) / shape.refillPerSec) * 1000) + 1_000;
}

/** Debts are bounded so one wildly wrong cost estimate cannot lock a bucket for hours. */
export function clampLevel(level: number, shape: BucketShape): number {
  return Math.max(-shape.capacity, Math.min(shape.capacity, level));
}

export function checkShape(shape: BucketShape, what: string): void {
  const ok = Number.isFinite(shape.capacity) && shape.capacity > 0 && Number.isFinite(shape.refillPerSec) && shape.refillPerSec >= 0;
  if (!ok) {
    throw registryError('MISCONFIGURED', `${what}: a bucket needs capacity > 0 and refillPerSec ≥ 0`, {
      details: { capacity: shape.capacity, refillPerSec: shape.refillPerSec },
    });
  }
}

export function checkDraws(draws: readonly BucketDraw[]): void {
  if (draws.length === 0) throw registryError('INVALID_INPUT', 'take needs at least one bucket');
  for (const draw of draws) {
    checkShape(draw, draw.key);
    if (!(draw.tokens > 0) || !Number.isFinite(draw.tokens) || !((draw.floor ?? 0) >= 0)) {
      throw registryError('INVALID_INPUT', `${draw.key}: tokens must be > 0 and floor ≥ 0`, { details: { tokens: draw.tokens, floor: draw.floor } });
    }
  }
}
