/**
 * A breaker around one Redis client (issue 12): during an outage every call fails in microseconds with
 * STORE_UNAVAILABLE instead of waiting, so each Redis user can take its fallback at once.
 *
 * - The client is not connected (`status` is not "ready": Redis stopped, restarting, unreachable): refused at once.
 * - Connected but not answering (a hung server, a partition without a reset): each command ends at the client's
 *   `commandTimeout`; after `failures` such failures in a row the breaker opens for `openMs`, refusing every call,
 *   then lets one probe through (half-open). A success closes it.
 *
 * One guard per client, kept beside it (a WeakMap), so every store sharing a connection shares its breaker.
 */
import type { Redis } from 'ioredis';
import { isRegistryError, registryError, type RegistryError } from '../../kernel/errors.ts';

export interface RedisGuardOptions {
  /** Failures in a row (timeouts, dropped connections) that open the breaker. @default 3 */
  readonly failures?: number;
  /** How long an open breaker refuses calls before one probe. @default 1000 */
  readonly openMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

export interface RedisGuardStats {
  /** "up": connected and the breaker closed; "down" otherwise. */
  readonly state: 'up' | 'down';
  readonly breaker: 'closed' | 'open' | 'half-open';
  /** Calls refused without touching Redis, since start. */
  readonly refused: number;
  /** Calls that reached Redis and failed as unavailable (timeouts, connection lost), since start. */
  readonly failed: number;
  /** Last failure message, without credentials (ioredis messages never carry the URL). */
  readonly lastError: string | null;
}

export interface RedisGuard {
  /** Runs one Redis operation under the breaker; any failure is a registry error (STORE_UNAVAILABLE or STORE_FAILURE). */
  call<T>(operation: string, run: () => Promise<T>): Promise<T>;
  stats(): RedisGuardStats;
}

const guards = new WeakMap<Redis, RedisGuard>();

/** The guard of `client`, created on first use with `options`. */
export function guardOf(client: Redis, options: RedisGuardOptions = {}): RedisGuard {
  let guard = guards.get(client);
  if (guard === undefined) {
    guard = createRedisGuard(client, options);
    guards.set(client, guard);
  }
  return guard;
}

function createRedisGuard(client: Redis, options: RedisGuardOptions): RedisGuard {
  const threshold = options.failures ?? 3;
  const openMs = options.openMs ?? 1_000;
  const now = options.now ?? Date.now;
  let inARow = 0;
  let openUntil = 0;
  let probing = false;
  let refused = 0;
  let failed = 0;
  let lastError: string | null = null;

  const breaker = (): RedisGuardStats['breaker'] => (inARow < threshold ? 'closed' : now() < openUntil ? 'open' : 'half-open');
  const refuse = (operation: string, why: string): RegistryError => {
    refused += 1;
    return registryError('STORE_UNAVAILABLE', `Redis ${operation} refused: ${why}`, { operation, details: { store: 'redis' } });
  };

  return {
    async call(operation, run) {
      if (client.status !== 'ready') throw refuse(operation, `not connected (${client.status})`);
      const state = breaker();
      if (state === 'open' || (state === 'half-open' && probing)) throw refuse(operation, 'breaker open after repeated timeouts');
      const probe = state === 'half-open';
      if (probe) probing = true;
      try {
        const result = await run();
        inARow = 0;
        return result;
      } catch (error) {
        const mapped = toRedisError(operation, error);
        if (mapped.code === 'STORE_UNAVAILABLE') {
          failed += 1;
          lastError = mapped.message;
          inARow += 1;
          if (inARow >= threshold) openUntil = now() + openMs;
        }
        throw mapped;
      } finally {
        if (probe) probing = false;
      }
    },
    stats() {
      const b = breaker();
      return { state: client.status === 'ready' && b !== 'open' ? 'up' : 'down', breaker: b, refused, failed, lastError };
    },
  };
}

/** ioredis messages of a connection that is gone or a command that was not answered in time. */
const UNAVAILABLE = /Command timed out|Connection is closed|Stream isn't writeable|max retries per request|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|connect ETIMEDOUT|Socket closed/i;

/**
 * A registry error for a failed Redis call: unavailable (transient: retry later, take the fallback) when the
 * connection is gone or the command timed out, STORE_FAILURE (critical) for anything else (a script error, a
 * wrong type): those are bugs, not outages.
 */
export function toRedisError(operation: string, error: unknown): RegistryError {
  if (isRegistryError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  if (UNAVAILABLE.test(message) || name === 'MaxRetriesPerRequestError') {
    return registryError('STORE_UNAVAILABLE', `Redis ${operation} unavailable: ${message}`, { operation, cause: error, details: { store: 'redis' } });
  }
  return registryError('STORE_FAILURE', `Redis ${operation} failed: ${message}`, { operation, cause: error });
}
