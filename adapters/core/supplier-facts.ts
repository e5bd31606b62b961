/**
 * A supplier failure as operator-log fields: our code, class and words, plus what the supplier said about it (its
 * own error code, fault text, HTTP status — whatever the adapter kept in `details`), every string clipped and cleaned
 * again here whatever the adapter already did. This is what operators read instead of the client: clients get the
 * supplier's name and our code only (subgraphs/graphql-errors.ts).
 */
import { isRegistryError } from '../../kernel/errors.ts';
import { cleanSupplierText } from './supplier-text.ts';

/** Longest of our own messages kept in a log line (ours, but it may still quote a supplier by mistake). */
export const MAX_LOGGED_MESSAGE = 300;
/** Keys of `details` kept, and items of an array value: `details` is small by contract; this makes it so. */
const MAX_DETAIL_KEYS = 12;
const MAX_DETAIL_ITEMS = 10;

const cleanValue = (value: unknown): unknown => {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
  if (typeof value === 'string') return cleanSupplierText(value) ?? '';
  if (Array.isArray(value)) return value.slice(0, MAX_DETAIL_ITEMS).map((item) => (typeof item === 'object' && item !== null ? '[object]' : cleanValue(item)));
  return undefined; // nested objects are our serialisation at best: left out
};

/** `details` with every value clipped and cleaned, at most 12 keys, arrays cut to 10 items, objects left out. */
export function cleanDetails(details: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> | undefined {
  if (details === undefined || details === null || typeof details !== 'object') return undefined;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(details).slice(0, MAX_DETAIL_KEYS)) {
    const value = cleanValue(details[key]);
    if (value !== undefined) out[cleanSupplierText(key, 40) ?? '?'] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Log fields for an expected supplier failure, without a stack: `code`, `errorClass`, `supplier`, `op`, our
 * words as `error` (clipped, cleaned; the field platform/log-throttle.ts's briefError uses too) and `details` (the
 * supplier's own code and text, clipped, cleaned). Anything else gets its message only, clipped and cleaned alike.
 */
export function supplierFailureFields(error: unknown): Record<string, unknown> {
  if (!isRegistryError(error)) {
    return { error: cleanSupplierText(error instanceof Error ? error.message : String(error), MAX_LOGGED_MESSAGE) ?? '' };
  }
  const details = cleanDetails(error.details);
  return {
    code: error.code,
    errorClass: error.errorClass,
    ...(error.supplier ? { supplier: error.supplier } : {}),
    ...(error.operation ? { op: error.operation } : {}),
    error: cleanSupplierText(error.message, MAX_LOGGED_MESSAGE) ?? '',
    ...(details ? { details } : {}),
  };
}

/**
 * An error's message as kept in a stored record that clients or the operator console read (a poll summary, a
 * reconciliation run, an inbox entry, an order's last error): clipped to 300 and cleaned, never empty.
 */
export function storedFailureText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return cleanSupplierText(text, MAX_LOGGED_MESSAGE) ?? (isRegistryError(error) ? error.code : 'failed');
}

/** Longest supplier code shown to operators (real ones are a word, a number or `HTTP 409 DUPLICATE`). */
const MAX_SUPPLIER_CODE_SHOWN = 60;

/**
 * The supplier's own code for a failure, as its adapter kept it in `details` (REST `supplierCode` with the HTTP
 * status, a GraphQL supplier's `supplierCodes`, a PromoStandards `serviceMessageCode`, a SOAP `faultcode`, else the
 * bare HTTP status or socket error), cleaned and clipped; undefined when the supplier said nothing we kept (a
 * timeout, an open breaker). For the operators' `suppliers` query beside our registry code.
 */
export function supplierOwnCode(error: unknown): string | undefined {
  if (!isRegistryError(error) || error.details === undefined) return undefined;
  const d = error.details;
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? cleanSupplierText(String(value), MAX_SUPPLIER_CODE_SHOWN) : undefined;
  const http = typeof d['httpStatus'] === 'number' ? `HTTP ${d['httpStatus']}` : undefined;
  const prefixed = (prefix: string, value: unknown): string | undefined => {
    const code = text(value);
    return code === undefined ? undefined : `${prefix}${code}`;
  };
  const codes = Array.isArray(d['supplierCodes']) ? d['supplierCodes'].map(text).filter((c) => c !== undefined) : [];
  const own = text(d['supplierCode']) ?? (codes.length > 0 ? codes.join(',') : undefined) ?? prefixed('ServiceMessage ', d['serviceMessageCode']) ?? prefixed('soap:', d['faultcode']);
  if (own !== undefined) return http !== undefined && !own.startsWith('HTTP') ? `${http} ${own}` : own;
  return http ?? text(d['networkError']);
}
