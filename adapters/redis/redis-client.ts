import { Redis } from 'ioredis';
import { registryError } from '../../kernel/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { hostOf } from '../store-kit/host-of.ts';
import { storeSpan } from '../store-kit/store-span.ts';
import { guardOf, toRedisError, type RedisGuardOptions } from './redis-guard.ts';

export interface ConnectRedisOptions {
  /** How long the first connection may take before startup fails. @default 5000 */
  readonly connectTimeoutMs?: number;
  /** Longest wait for one command's reply (REDIS_COMMAND_TIMEOUT_MS); then it fails as STORE_UNAVAILABLE. @default 500 */
  readonly commandTimeoutMs?: number;
  /** Longest pause between reconnection attempts: bounds recovery once Redis is back. @default 1000 */
  readonly maxReconnectDelayMs?: number;
  /** The breaker kept beside the client (redis-guard.ts). */
  readonly breaker?: RedisGuardOptions;
}

/**
 * Connects, or fails fast with an error naming the host (never the credentials). After the first connection
 * ioredis keeps reconnecting on its own, which is what a long-running process wants.
 *
 * Redis is a dependency that fails fast (issue 12): no offline queue (a command while disconnected is refused at
 * once instead of waiting for a reconnect that may never come), at most one resend of a command caught by a dropped
 * connection, a reply timeout on every command, and a breaker (redis-guard.ts) used by every store on this client.
 * Before this a stopped Redis held each request for 11–23 s (ioredis queued every command while reconnecting).
 */
export async function connectRedis(url: string, log: Logger, role: string, options: ConnectRedisOptions = {}): Promise<Redis> {
  const host = hostOf(url);
  const maxDelay = options.maxReconnectDelayMs ?? 1_000;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    commandTimeout: options.commandTimeoutMs ?? 500,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, maxDelay),
    connectionName: `dropship-${role}`,
  });
  guardOf(client, options.breaker);
  let lastError = '';
  client.on('error', (error: Error) => {
    // One line per distinct failure: a Redis outage would otherwise log on every reconnect attempt.
    if (error.message === lastError) return;
    lastError = error.message;
    log.warn({ redis: host, role, err: { message: error.message } }, 'Redis connection error');
  });
  client.on('ready', () => {
    lastError = '';
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw registryError('STORE_FAILURE', `Redis at ${host} is unreachable (${errorMessage(error)})`, {
      operation: 'redis.connect',
      cause: error,
      details: { host },
    });
  }
  return client;
}

/**
 * Runs a Redis command, mapping failures: a lost connection or a timeout is STORE_UNAVAILABLE (transient), anything
 * else STORE_FAILURE (critical), with the cause kept. Given the client, the call also goes through its breaker
 * (redis-guard.ts) and is refused in microseconds while Redis is down.
 */
export function redisCall<T>(operation: string, run: () => Promise<T>, client?: Redis): Promise<T> {
  return storeSpan('redis', operation, () => guardedRedisCall(operation, run, client));
}

async function guardedRedisCall<T>(operation: string, run: () => Promise<T>, client?: Redis): Promise<T> {
  if (client !== undefined) return guardOf(client).call(operation, run);
  try {
    return await run();
  } catch (error) {
    throw toRedisError(operation, error);
  }
}

/** QUIT when connected (flushes pending replies), otherwise just drop the socket and stop reconnecting. */
export async function quit(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
