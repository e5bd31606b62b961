import { registryError } from '../../kernel/errors.ts';

/**
 * Timestamps are compared as instants, never as the strings suppliers send ("…+02:00" and "…Z" may be the same
 * moment). Normalised form: `Date#toISOString()`, fixed width (24 chars for years 0–9999), so normalised strings
 * sort and compare lexicographically in every store, including MongoDB-protocol servers without date logic.
 */
export function normalizeInstant(value: string, field: string): string {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw registryError('INVALID_INPUT', `${field} is not an ISO 8601 timestamp`, { details: { field } });
  }
  return new Date(ms).toISOString();
}

export type Clock = () => string;
export const systemClock: Clock = () => new Date().toISOString();
