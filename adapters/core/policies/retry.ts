import { isRegistryError } from '../../../kernel/errors.ts';
import { timeLeftMs } from './timeout.ts';

export interface RetryPolicy {
  /** Attempts in all, the first included. @default 4 */
  readonly maxAttempts: number;
  /** First backoff ceiling; doubles each attempt (full jitter picks uniformly below it). @default 100 */
  readonly baseDelayMs: number;
  /** Largest backoff ceiling. @default 5000 */
  readonly maxDelayMs: number;
  /** No retry may start after this many ms from the first attempt. @default 15000 */
  readonly budgetMs: number;
  /**
   * With a deadline on the caller's signal (timeout.ts, `deadlineSignal`): no retry starts unless at least this much
   * time is left after its backoff, so the last moments of a request's budget go to answering degraded, not to an
   * attempt that cannot finish. @default 250
   */
  readonly minAttemptMs?: number;
}

const DEFAULT_MIN_ATTEMPT_MS = 250;

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 5_000, budgetMs: 15_000 };

/** Full-jitter exponential backoff (AWS architecture blog), unless the supplier said exactly how long. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, retryAfterMs: number | undefined, random = Math.random): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return retryAfterMs;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

/** The default: transient registry errors, except the caller's own abort. */
export const isTransient = (error: unknown): boolean => isRegistryError(error) && error.errorClass === 'transient' && error.code !== 'CALL_ABORTED';

/**
 * Retries `fn` on transient registry errors (or on what `retryable` accepts). Only call this for idempotent
 * operations: the caller decides, from the declared operation table, never from the error.
 */
export async function retryTransient<T>(
  fn: (attempt: number) => Promise<T>,
  opts: {
    readonly policy: RetryPolicy;
    readonly signal: AbortSignal;
    readonly onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
    /** Which errors are worth another attempt. @default isTransient */
    readonly retryable?: (error: unknown) => boolean;
  },
): Promise<T> {
  const started = Date.now();
  const retryable = opts.retryable ?? isTransient;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (!isRegistryError(error) || !retryable(error) || attempt >= opts.policy.maxAttempts || opts.signal.aborted) throw error;
      const delayMs = backoffDelayMs(attempt, opts.policy, error.retryAfterMs);
      if (Date.now() - started + delayMs > opts.policy.budgetMs) throw error;
      const left = timeLeftMs(opts.signal);
      if (left !== undefined && left < delayMs + (opts.policy.minAttemptMs ?? DEFAULT_MIN_ATTEMPT_MS)) throw error;
      opts.onRetry?.({ attempt, delayMs, error });
      try {
        await sleep(delayMs, opts.signal);
      } catch {
        throw error;
      }
    }
  }
}
