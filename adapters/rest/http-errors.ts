/**
 * HTTP outcome → registry error, in one table, for every REST supplier:
 * 429 → SUPPLIER_THROTTLED (with Retry-After, or the rate-limit reset headers), 5xx → SUPPLIER_UNAVAILABLE, 401/403 → MISCONFIGURED,
 * 404 → SUPPLIER_NOT_FOUND, other 4xx → SUPPLIER_REJECTED, anything else unexpected → CONTRACT_VIOLATION.
 * The message is ours (supplier, method and path, HTTP status); what the supplier wrote — its error code and
 * message — is untrusted text (a megabyte of code, markup, NUL bytes): it goes to `details` only, clipped and
 * cleaned (docs/security.md, "What clients and logs see").
 */
import { RegistryError, type ErrorCode } from '../core/errors.ts';
import { cleanSupplierText } from '../core/supplier-text.ts';
import { throttleWaitFromHeaders } from './retry-after.ts';

/** What a supplier said about its own error, read from the error body by a supplier-specific reader. */
export interface SupplierErrorInfo {
  readonly code?: string;
  readonly message?: string;
}

export interface HttpErrorContext {
  readonly supplier: string;
  readonly operation: string;
  readonly method: string;
  /** Path without query string: queries may carry identifiers we do not want in logs. */
  readonly path: string;
}

export function codeForStatus(status: number): ErrorCode {
  if (status === 429) return 'SUPPLIER_THROTTLED';
  if (status >= 500) return 'SUPPLIER_UNAVAILABLE';
  if (status === 401 || status === 403) return 'MISCONFIGURED';
  if (status === 404) return 'SUPPLIER_NOT_FOUND';
  if (status >= 400) return 'SUPPLIER_REJECTED';
  return 'CONTRACT_VIOLATION';
}

/** Longest supplier error code kept: real ones are identifiers (DUPLICATE_CUSTOMER_ORDER_NUMBER, invalid_client). */
export const MAX_SUPPLIER_CODE = 100;
/** Longest supplier error message kept. */
export const MAX_SUPPLIER_MESSAGE = 200;

/** The supplier's code and message as `details` fields: clipped and cleaned, absent when nothing printable is left. */
export function supplierErrorDetails(info: SupplierErrorInfo): { supplierCode?: string; supplierMessage?: string } {
  const supplierCode = cleanSupplierText(info.code, MAX_SUPPLIER_CODE);
  const supplierMessage = cleanSupplierText(info.message, MAX_SUPPLIER_MESSAGE);
  return { ...(supplierCode ? { supplierCode } : {}), ...(supplierMessage ? { supplierMessage } : {}) };
}

export function errorForStatus(status: number, headers: Headers, info: SupplierErrorInfo, ctx: HttpErrorContext): RegistryError {
  const code = codeForStatus(status);
  const retryAfterMs = status === 429 || status === 503 ? throttleWaitFromHeaders(headers) : undefined;
  return new RegistryError(code, `${ctx.supplier} ${ctx.method} ${ctx.path} answered HTTP ${status}`, {
    supplier: ctx.supplier,
    operation: ctx.operation,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    details: { status, ...supplierErrorDetails(info) },
  });
}

/** The HTTP status a registry error was made from, when it came from an HTTP answer. */
export function httpStatusOf(error: RegistryError): number | undefined {
  const status = error.details?.['status'];
  return typeof status === 'number' ? status : undefined;
}

export function supplierCodeOf(error: RegistryError): string | undefined {
  const code = error.details?.['supplierCode'];
  return typeof code === 'string' ? code : undefined;
}
