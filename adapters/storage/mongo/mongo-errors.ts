import { isRegistryError, registryError } from '../../../kernel/errors.ts';
import { storeSpan } from '../../store-kit/store-span.ts';

/** E11000: a unique index refused the write. With MongoDB and FerretDB alike this is the one atomic arbiter. */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, writeErrors } = error as { code?: unknown; writeErrors?: unknown };
  if (code === 11000 || code === 11001) return true;
  return Array.isArray(writeErrors) && writeErrors.some((e: { code?: unknown }) => e?.code === 11000);
}

/**
 * The driver's errors for a server that cannot be reached or did not answer in time (by class name: the driver's
 * classes cross module copies, and each named class below is one of "unreachable" or "too slow").
 */
const UNAVAILABLE = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoPoolClearedError',
  'MongoTopologyClosedError',
  'MongoOperationTimeoutError',
  'MongoNotConnectedError',
  'MongoServerClosedError',
]);

/** True when `error` says MongoDB is unreachable or too slow (an outage), not that an operation was wrong. */
export function isUnavailableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  // 50: MaxTimeMSExpired, the server's own "too slow".
  return (typeof name === 'string' && UNAVAILABLE.has(name)) || code === 50;
}

/**
 * Runs a store operation. An outage (unreachable, timed out) becomes STORE_UNAVAILABLE (transient, 503: retry
 * later), anything else but a registry error STORE_FAILURE (critical); the cause is kept for the logs. The
 * client's message names only the operation and the driver's error class, never a host or URL.
 */
export function storeCall<T>(operation: string, run: () => Promise<T>): Promise<T> {
  return storeSpan('mongodb', operation, () => mappedStoreCall(operation, run));
}

async function mappedStoreCall<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isRegistryError(error)) throw error;
    if (isUnavailableError(error)) {
      const kind = (error as { name: string }).name;
      throw registryError('STORE_UNAVAILABLE', `MongoDB is unavailable for ${operation} (${kind}); retry later`, { operation, cause: error, details: { store: 'mongodb' } });
    }
    const message = error instanceof Error ? error.message : String(error);
    throw registryError('STORE_FAILURE', `MongoDB ${operation} failed: ${message}`, { operation, cause: error });
  }
}

/** Small random pause between optimistic retries so colliding writers spread out instead of colliding again. */
export function conflictBackoff(attempt: number): Promise<void> {
  if (attempt < 2) return Promise.resolve();
  const ms = Math.random() * Math.min(20, 2 ** (attempt - 2));
  return new Promise((resolve) => setTimeout(resolve, ms));
}
