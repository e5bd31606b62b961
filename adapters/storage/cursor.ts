import { registryError } from '../../kernel/errors.ts';

/**
 * Opaque page cursors: base64url of the JSON array of the last item's sort key. Opaque so clients cannot depend
 * on the key's shape; validated on the way back in so a tampered cursor is a client error, not a store failure.
 */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== arity || !parsed.every((part) => typeof part === 'string')) {
    throw registryError('INVALID_INPUT', 'Invalid page cursor', { details: { field: 'after' } });
  }
  return parsed as string[];
}

/** Page sizes are bounded so one request cannot ask a store for everything. */
export function checkPageSize(first: number, max: number): void {
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw registryError('INVALID_INPUT', `first must be an integer from 1 to ${max}`, { details: { field: 'first', max } });
  }
}
