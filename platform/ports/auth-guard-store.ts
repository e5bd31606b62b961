/**
 * Port: the small shared state partner-access checks need (docs/security.md), Redis in production so every
 * gateway and subgraph process sees the same figures, in memory embedded.
 * - failure counters throttle repeated failed authentication from one client address or credential;
 * - single-use claims make each gateway → subgraph header usable once (its `jti`).
 */
export interface FailureCount {
  /** Failures counted in the current window, this one included. */
  readonly count: number;
  /** ms until the window ends and the counter starts again from zero. */
  readonly resetInMs: number;
}

export interface AuthGuardStore {
  /**
   * Adds one to the fixed-window counter `key`; the window (`windowMs`) starts with the first failure and is not
   * extended by later ones, so a throttled client is let back in when it ends.
   */
  countFailure(key: string, windowMs: number): Promise<FailureCount>;
  /** True for the first claim of `key`; false while an earlier claim is alive (`ttlMs` from that claim). */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
}
