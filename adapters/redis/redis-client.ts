import { Redis } from 'ioredis';
import { isRegistryError, registryError } from '../core/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { hostOf } from '../storage/host-of.ts';

export interface ConnectRedisOptions {
  /** How long the first connection may take before startup fails. @default 5000 */
  readonly connectTimeoutMs?: number;
}

/**
 * Connects, or fails fast with an error naming the host (never the credentials). After the first connection
 * ioredis keeps reconnecting on its own, which is what a long-running process wants.
 */
export async function connectRedis(url: string, log: Logger, role: string, options: ConnectRedisOptions = {}): Promise<Redis> {
  const host = hostOf(url);
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    maxRetriesPerRequest: 3,
    connectionName: `dropship-${role}`,
  });
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

/** Runs a Redis command; anything but a registry error becomes STORE_FAILURE (critical), with the cause kept. */
export async function redisCall<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isRegistryError(error)) throw error;
    throw registryError('STORE_FAILURE', `Redis ${operation} failed: ${errorMessage(error)}`, { operation, cause: error });
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
