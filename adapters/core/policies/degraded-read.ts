/**
 * When a read may fall back to the last known value (marked with its age) instead of failing: the supplier was
 * throttled, down, open-circuited, held back by our own limiter, or answered garbage. Not for logical errors —
 * "no such SKU" is an answer, not an outage — and not when the caller itself gave up.
 */
import { isRegistryError } from '../../../kernel/errors.ts';

export function servesLastKnownValue(error: unknown): boolean {
  if (!isRegistryError(error)) return true;
  return error.errorClass !== 'logical' && error.code !== 'CALL_ABORTED';
}
