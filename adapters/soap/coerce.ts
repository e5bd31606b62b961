/**
 * Explicit coercion of what `soap` hands back. Depending on how much of the schema it could follow, `soap` gives
 * "42" or 42, "true" or true, and a one-element array as the element itself. Mapping code never trusts either
 * shape: it goes through these, and anything that cannot be read as the XSD type is a CONTRACT_VIOLATION.
 */
import { RegistryError } from '../../kernel/errors.ts';
import { cleanSupplierText } from '../core/supplier-text.ts';

export type Raw = unknown;

/** What was found instead, for the operator log: the supplier's text clipped and cleaned, or only its shape. */
function preview(value: unknown): string | undefined {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return cleanSupplierText(value, 80);
  if (value instanceof Date) return 'a date';
  return Array.isArray(value) ? 'a list of elements' : 'an element';
}

// The message names our field path only: the value is the supplier's and goes to details (never to a client).
const violation = (what: string, value: unknown): RegistryError =>
  new RegistryError('CONTRACT_VIOLATION', `supplier response: ${what}`, { details: { reason: 'unexpected-value', got: preview(value) } });

/** A repeated element: absent → [], one → [it], many → them. */
export function asArray(value: Raw): Raw[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** An element's record of children; absent → undefined. */
export function asRecord(value: Raw, what: string): Record<string, Raw> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw violation(`${what} is not an element`, value);
  return value as Record<string, Raw>;
}

/** Text content; xsi:nil and absent → undefined. `soap` gives simple content as string, number, boolean or Date. */
export function asText(value: Raw, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // `soap` turns xsd:dateTime/xsd:date it can resolve into Date objects.
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw violation(`${what} is not a valid date`, String(value));
    return value.toISOString();
  }
  if (typeof value === 'object' && (value as { $attributes?: { nil?: string } }).$attributes?.nil === 'true') return undefined;
  throw violation(`${what} is not text`, value);
}

export function requireText(value: Raw, what: string): string {
  const text = asText(value, what);
  if (text === undefined || text.trim() === '') throw violation(`${what} is missing`, value);
  return text.trim();
}

/** xsd:int / xsd:integer. */
export function asInt(value: Raw, what: string): number | undefined {
  const text = asText(value, what)?.trim();
  if (text === undefined || text === '') return undefined;
  if (!/^[+-]?\d+$/.test(text)) throw violation(`${what} is not an integer`, value);
  return Number(text);
}

/** xsd:decimal as a canonical decimal string ("12.50" stays "12.50", "+3" → "3"), never a float. */
export function asDecimalString(value: Raw, what: string): string | undefined {
  const text = asText(value, what)?.trim();
  if (text === undefined || text === '') return undefined;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw violation(`${what} is not a decimal`, value);
  const whole = (m[2] ?? '').replace(/^0+(?=\d)/, '') || '0';
  const fraction = m[3] ?? '';
  return `${m[1] === '-' ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** xsd:decimal that must hold a whole, non-negative count (quantities of units). */
export function asCount(value: Raw, what: string): number | undefined {
  const decimal = asDecimalString(value, what);
  if (decimal === undefined) return undefined;
  if (!/^\d+(\.0*)?$/.test(decimal)) throw violation(`${what} is not a whole, non-negative quantity`, value);
  return Number(decimal.split('.')[0]);
}

/** xsd:boolean: true/false/1/0. */
export function asBool(value: Raw, what: string): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const text = asText(value, what)?.trim();
  if (text === undefined || text === '') return undefined;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw violation(`${what} is not a boolean`, value);
}

/** xsd:dateTime / xsd:date as ISO 8601 (UTC); undefined when absent. */
export function asDateTime(value: Raw, what: string): string | undefined {
  const text = asText(value, what)?.trim();
  if (text === undefined || text === '') return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw violation(`${what} is not a date`, value);
  return new Date(ms).toISOString();
}
