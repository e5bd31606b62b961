import { createHash } from 'node:crypto';
import { Counter, type Registry } from 'prom-client';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AuthGuardStore } from '../../platform/ports/auth-guard-store.ts';
import { authenticationThrottled, type AuthFailureReason } from './auth-errors.ts';

export interface FailureThrottleOptions {
  /** Shared counters (Redis when configured): every gateway instance counts into the same windows. */
  readonly store: AuthGuardStore;
  /** Failures allowed per window per address and per credential; the next one is answered 429. 0 turns it off. */
  readonly limit: number;
  readonly windowMs: number;
  readonly log: Logger;
  readonly audit?: AuditLog | undefined;
  readonly metricsRegistry?: Registry | undefined;
  /** @default Date.now */
  readonly now?: () => number;
  /** Blocked keys this process remembers at most. @default 100_000 */
  readonly maxBlocked?: number;
}

/** Who failed: the client address (when known) and the credential presented (when there was one). */
export interface FailureSubject {
  readonly address: string | undefined;
  readonly credential: string | undefined;
}

export interface FailureThrottle {
  /**
   * Throws the 429 when the address or the credential is throttled. Synchronous and in-process (one map lookup,
   * none at all while nothing is throttled): the only cost a successful request pays.
   */
  check(subject: FailureSubject): void;
  /** Counts one failed presentation; throws the 429 instead of the 401 once over the limit. Never throws otherwise. */
  failed(subject: FailureSubject, reason: AuthFailureReason, requestId: string): Promise<void>;
}

/** A credential's key: a truncated SHA-256, so neither the counters nor the logs ever hold the credential. */
const fingerprintOf = (credential: string): string => createHash('sha256').update(credential, 'utf8').digest('hex').slice(0, 32);
const addressKey = (address: string): string => `authfail:addr:${address}`;
const credentialKey = (credential: string): string => `authfail:cred:${fingerprintOf(credential)}`;
/** An audit actor for a throttled address: hashed, an address is personal data (the request logs have it). */
const addressActor = (address: string): string => `client:sha256:${createHash('sha256').update(address, 'utf8').digest('hex').slice(0, 16)}`;

/**
 * Throttles repeated failed authentication (docs/security.md): bad or expired JWTs, unknown, revoked or expired API
 * tokens. Each failure adds one to a fixed-window counter per client address and one per credential (its hash) —
 * the second catches one stolen or revoked token retried from many addresses. Past `limit` in a window, this
 * process refuses that address or credential with 429 `AUTHENTICATION_THROTTLED` and `Retry-After` until the window
 * ends, before any signature check or token lookup. Another gateway instance learns of it at the address's next
 * failure there (the shared counter is already over), which is then answered 429 too.
 *
 * Successful requests never touch the store. A missing credential is not counted (it costs nothing to refuse).
 * When the store fails, failures are let through as 401s and the outage logged: authentication keeps working.
 */
export function createFailureThrottle(options: FailureThrottleOptions): FailureThrottle {
  const now = options.now ?? Date.now;
  const maxBlocked = options.maxBlocked ?? 100_000;
  const blocked = new Map<string, number>();
  const registers = options.metricsRegistry ? [options.metricsRegistry] : [];
  const failures = new Counter({ name: 'gateway_auth_failures_total', help: 'Failed credential presentations at the gateway, by reason', labelNames: ['reason'], registers });
  const throttled = new Counter({ name: 'gateway_auth_throttled_total', help: 'Requests refused 429 for too many failed authentications, by what was throttled', labelNames: ['by'], registers });
  let lastWarnAt = 0;

  const blockedFor = (key: string): number => {
    const until = blocked.get(key);
    if (until === undefined) return 0;
    const left = until - now();
    if (left <= 0) blocked.delete(key);
    return Math.max(0, left);
  };
  /** Blocks share one window length, so insertion order is expiry order: drop from the oldest, stop at a live one. */
  const block = (key: string, ms: number): void => {
    const t = now();
    for (const [k, until] of blocked) {
      if (until > t && blocked.size < maxBlocked) break;
      blocked.delete(k);
    }
    blocked.delete(key);
    blocked.set(key, t + ms);
  };

  return {
    check(subject) {
      if (options.limit === 0 || blocked.size === 0) return;
      const byAddress = subject.address === undefined ? 0 : blockedFor(addressKey(subject.address));
      const byCredential = subject.credential === undefined ? 0 : blockedFor(credentialKey(subject.credential));
      if (byAddress === 0 && byCredential === 0) return;
      throttled.inc({ by: byAddress > 0 ? 'address' : 'credential' });
      throw authenticationThrottled(Math.max(byAddress, byCredential));
    },

    async failed(subject, reason, requestId) {
      if (reason === 'missing') return;
      failures.inc({ reason });
      if (options.limit === 0) return;
      const keys = [
        ...(subject.address === undefined ? [] : [{ key: addressKey(subject.address), by: 'address' as const }]),
        ...(subject.credential === undefined ? [] : [{ key: credentialKey(subject.credential), by: 'credential' as const }]),
      ];
      let counts;
      try {
        counts = await Promise.all(keys.map(async (k) => ({ ...k, ...(await options.store.countFailure(k.key, options.windowMs)) })));
      } catch (error) {
        if (now() - lastWarnAt > 60_000) {
          lastWarnAt = now();
          options.log.warn({ err: error }, 'failed-authentication counters unavailable; failures are not throttled meanwhile');
        }
        return;
      }
      const over = counts.filter((c) => c.count > options.limit);
      if (over.length === 0) return;
      for (const c of over) {
        block(c.key, c.resetInMs);
        // Recorded once per window: the failure that crossed the limit (INCR is atomic, so one process sees it).
        if (c.count === options.limit + 1) {
          const actor = c.by === 'address' ? addressActor(subject.address!) : `credential:${fingerprintOf(subject.credential!).slice(0, 16)}`;
          options.log.warn({ by: c.by, ...(c.by === 'address' ? { address: subject.address } : {}), failures: c.count, windowMs: options.windowMs, requestId }, 'failed authentications over the limit; throttled');
          options.audit?.recordInBackground({ actor, action: 'token.denied', outcome: 'denied', target: `${c.by}:throttled`, requestId, reason: 'AUTHENTICATION_THROTTLED' });
        }
      }
      const first = over[0]!;
      throttled.inc({ by: first.by });
      throw authenticationThrottled(Math.max(...over.map((c) => c.resetInMs)));
    },
  };
}
