import { createHash } from 'node:crypto';
import { registryError } from '../../kernel/errors.ts';
import type { PostalAddress } from '../../kernel/model.ts';

/** A placement request as the client sends it (GraphQL `PlaceOrderInput`). */
export interface PlaceOrderRequest {
  readonly idempotencyKey: string;
  readonly shipTo: PostalAddress;
  readonly lines: readonly { readonly sku: string; readonly quantity: number }[];
}

export interface OrderLimits {
  /** @default 50 */
  readonly maxLines: number;
  /** @default 10_000 */
  readonly maxQuantity: number;
}

const DEFAULT_LIMITS: OrderLimits = { maxLines: 50, maxQuantity: 10_000 };
const COUNTRY = /^[A-Z]{2}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ().-]{5,25}$/;
const KEY = /^[\x21-\x7e]{1,100}$/;

const invalid = (field: string, message: string) => registryError('INVALID_INPUT', message, { details: { field } });

function text(value: unknown, field: string, max: number, required: boolean): string | null {
  if (value === undefined || value === null || value === '') {
    if (required) throw invalid(field, `${field} is required`);
    return null;
  }
  if (typeof value !== 'string') throw invalid(field, `${field} must be text`);
  const trimmed = value.trim();
  if (required && trimmed === '') throw invalid(field, `${field} is required`);
  if (trimmed.length > max) throw invalid(field, `${field} must be at most ${max} characters`);
  if (/[\u0000-\u001f]/.test(trimmed)) throw invalid(field, `${field} contains control characters`);
  return trimmed === '' ? null : trimmed;
}

/** Checks and normalises an address; every failure names its field (`shipTo.postalCode`). */
export function validateAddress(address: PostalAddress): PostalAddress {
  const country = text(address.country, 'shipTo.country', 2, true)!.toUpperCase();
  if (!COUNTRY.test(country)) throw invalid('shipTo.country', 'shipTo.country must be an ISO 3166-1 alpha-2 code');
  const postalCode = text(address.postalCode, 'shipTo.postalCode', 12, true)!;
  if (!/^[A-Za-z0-9 -]{2,12}$/.test(postalCode)) throw invalid('shipTo.postalCode', 'shipTo.postalCode is not a postal code');
  const email = text(address.email, 'shipTo.email', 254, false);
  if (email !== null && !EMAIL.test(email)) throw invalid('shipTo.email', 'shipTo.email is not an email address');
  const phone = text(address.phone, 'shipTo.phone', 25, false);
  if (phone !== null && !PHONE.test(phone)) throw invalid('shipTo.phone', 'shipTo.phone is not a phone number');
  return {
    name: text(address.name, 'shipTo.name', 100, true)!,
    company: text(address.company, 'shipTo.company', 100, false),
    line1: text(address.line1, 'shipTo.line1', 100, true)!,
    line2: text(address.line2, 'shipTo.line2', 100, false),
    city: text(address.city, 'shipTo.city', 60, true)!,
    region: text(address.region, 'shipTo.region', 60, false),
    postalCode,
    country,
    phone,
    email,
  };
}

/**
 * Everything that can be checked without a store: key, address, line count and quantities, duplicate SKUs merged.
 * Known SKUs are checked by the service against the catalog. Throws INVALID_INPUT naming the field.
 */
export function validatePlaceOrder(request: PlaceOrderRequest, limits: Partial<OrderLimits> = {}): PlaceOrderRequest {
  const { maxLines, maxQuantity } = { ...DEFAULT_LIMITS, ...limits };
  if (typeof request.idempotencyKey !== 'string' || !KEY.test(request.idempotencyKey)) {
    throw invalid('idempotencyKey', 'idempotencyKey must be 1..100 printable ASCII characters');
  }
  if (!Array.isArray(request.lines) || request.lines.length === 0) throw invalid('lines', 'an order needs at least one line');
  if (request.lines.length > maxLines) throw invalid('lines', `an order has at most ${maxLines} lines`);
  const merged = new Map<string, number>();
  request.lines.forEach((line, i) => {
    const sku = text(line.sku, `lines[${i}].sku`, 100, true)!;
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > maxQuantity) {
      throw invalid(`lines[${i}].quantity`, `lines[${i}].quantity must be an integer in 1..${maxQuantity}`);
    }
    merged.set(sku, (merged.get(sku) ?? 0) + line.quantity);
  });
  return {
    idempotencyKey: request.idempotencyKey,
    shipTo: validateAddress(request.shipTo),
    lines: [...merged].map(([sku, quantity]) => ({ sku, quantity })),
  };
}

/** Stable hash of a normalised request: the same key with another payload is refused by comparing these. */
export function requestHash(request: PlaceOrderRequest): string {
  const a = request.shipTo;
  const canonical = JSON.stringify([
    [a.name, a.company ?? null, a.line1, a.line2 ?? null, a.city, a.region ?? null, a.postalCode, a.country, a.phone ?? null, a.email ?? null],
    request.lines.map((l) => [l.sku, l.quantity]),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
