/**
 * A supplier's published request limit ("120 requests per 60 seconds per account"), enforced the way a supplier's
 * API gateway does it: a sliding window over the requests it let through. A request that arrives while the last
 * `perSeconds` already hold `limit` admitted requests is over the limit: the sandbox refuses it (429 + Retry-After,
 * or the protocol's equivalent) and counts it in `stats().overLimit`, which is what a real supplier would hold
 * against the account. The tests assert that count stays zero while our traffic layer drives the supplier.
 *
 * Sliding log, not fixed buckets: it is the strictest reading of the published limit (every window of
 * `perSeconds`, wherever it starts), so a client that passes it passes any fixed-window supplier as well.
 */

export interface PublishedRequestLimit {
  /** Requests allowed per window. */
  readonly limit: number;
  /** Window length in seconds. */
  readonly perSeconds: number;
}

export type WindowDecision = { readonly admitted: true } | { readonly admitted: false; readonly retryAfterSeconds: number };

export interface RequestWindow {
  /** Decides one arriving request; an admitted one is recorded in the window. Always admits without a limit. */
  admit(): WindowDecision;
  /** Requests refused as over the limit since creation or the last `resetCount`. */
  overLimit(): number;
  resetCount(): void;
}

export function createRequestWindow(published: PublishedRequestLimit | undefined, now: () => number = Date.now): RequestWindow {
  if (published !== undefined) {
    const valid = Number.isInteger(published.limit) && published.limit >= 1 && Number.isFinite(published.perSeconds) && published.perSeconds > 0;
    if (!valid) throw new Error(`a published limit needs an integer limit ≥ 1 and perSeconds > 0, got ${JSON.stringify(published)}`);
  }
  const windowMs = (published?.perSeconds ?? 0) * 1000;
  // Arrival times of admitted requests, oldest first; never longer than `limit`.
  const admitted: number[] = [];
  let refused = 0;
  return {
    admit() {
      if (!published) return { admitted: true };
      const t = now();
      while (admitted.length > 0 && admitted[0]! <= t - windowMs) admitted.shift();
      if (admitted.length < published.limit) {
        admitted.push(t);
        return { admitted: true };
      }
      refused += 1;
      // The oldest admitted request leaves the window at oldest + window: one slot frees up then.
      return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((admitted[0]! + windowMs - t) / 1000)) };
    },
    overLimit: () => refused,
    resetCount: () => {
      refused = 0;
    },
  };
}
