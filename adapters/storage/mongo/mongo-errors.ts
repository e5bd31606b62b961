import { isRegistryError, registryError } from '../../core/errors.ts';

/** E11000: a unique index refused the write. With MongoDB and FerretDB alike this is the one atomic arbiter. */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, writeErrors } = error as { code?: unknown; writeErrors?: unknown };
  if (code === 11000 || code === 11001) return true;
  return Array.isArray(writeErrors) && writeErrors.some((e: { code?: unknown }) => e?.code === 11000);
}

/** Runs a store operation; anything but a registry error becomes STORE_FAILURE (critical), with the cause kept. */
export async function storeCall<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isRegistryError(error)) throw error;
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
