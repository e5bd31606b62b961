/**
 * HTTP outcome → registry error for every REST supplier, by the shared status table (adapters/http/status-codes.ts)
 * with REST's URLs naming records, so a 404 is SUPPLIER_NOT_FOUND; a 429 or 503 carries the wait the headers ask
 * for (adapters/http/retry-after.ts).
 * The message is ours (supplier, method and path, HTTP status); what the supplier wrote — its error code and
 * message — is untrusted text (a megabyte of code, markup, NUL bytes): it goes to `details` only, clipped and
 * cleaned (docs/security.md, "What clients and logs see").
 */
import { RegistryError } from '../../kernel/errors.ts';
import { cleanSupplierText } from '../core/supplier-text.ts';
import { waitForStatus } from '../http/retry-after.ts';
import { codeForHttpStatus } from '../http/status-codes.ts';

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
  const code = codeForHttpStatus(status, 'resource');
  const retryAfterMs = waitForStatus(status, headers);
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
