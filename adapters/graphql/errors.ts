/**
 * GraphQL-over-HTTP outcome → registry error, in one place:
 * - a non-2xx HTTP status by the shared table (adapters/http/status-codes.ts) with the URL as the service's one
 *   endpoint: 401/403 → MISCONFIGURED (our token), 404 → MISCONFIGURED (wrong shop or API version in our config),
 *   429 → SUPPLIER_THROTTLED, 5xx → SUPPLIER_UNAVAILABLE, other 4xx → SUPPLIER_REJECTED;
 * - top-level GraphQL errors by `extensions.code`: THROTTLED → SUPPLIER_THROTTLED, ACCESS_DENIED → MISCONFIGURED,
 *   INTERNAL_SERVER_ERROR → SUPPLIER_UNAVAILABLE, *NOT_FOUND → SUPPLIER_NOT_FOUND, anything else → SUPPLIER_REJECTED;
 * - mutation userErrors: *NOT_FOUND → SUPPLIER_NOT_FOUND, else SUPPLIER_REJECTED.
 * Messages are ours (supplier, operation name, HTTP status or our reason). The supplier's codes and messages are
 * untrusted text (a 1 MB code, markup, NUL bytes): they go to `details` only, clipped and cleaned
 * (docs/security.md, "What clients and logs see").
 */
import { z } from 'zod';
import { RegistryError, type ErrorCode } from '../../kernel/errors.ts';
import { cleanSupplierText } from '../core/supplier-text.ts';
import { codeForHttpStatus } from '../http/status-codes.ts';

export interface GraphqlErrorContext {
  readonly supplier: string;
  readonly operation: string;
  /** The GraphQL operation name, safe to log (variables are not). */
  readonly operationName: string;
}

export const graphqlErrorSchema = z.object({
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])).optional(),
  extensions: z.looseObject({ code: z.string().optional() }).optional(),
});
export type GraphqlError = z.infer<typeof graphqlErrorSchema>;

export const userErrorSchema = z.object({
  field: z.array(z.string()).nullish(),
  message: z.string(),
  code: z.string().nullish(),
});
export type UserError = z.infer<typeof userErrorSchema>;

/** Longest supplier error code kept: real ones are identifiers (THROTTLED, ACCESS_DENIED, TAKEN). */
export const MAX_SUPPLIER_CODE = 100;
/** Longest supplier message kept. */
export const MAX_SUPPLIER_MESSAGE = 200;
/** Most distinct supplier codes kept from one answer (an answer may carry thousands of errors). */
export const MAX_SUPPLIER_CODES = 10;

/** Distinct supplier codes, each cleaned and clipped, at most MAX_SUPPLIER_CODES of them. */
function cleanCodes(codes: readonly unknown[]): string[] {
  const out = new Set<string>();
  for (const code of codes) {
    if (out.size >= MAX_SUPPLIER_CODES) break;
    const clean = cleanSupplierText(code, MAX_SUPPLIER_CODE);
    if (clean) out.add(clean);
  }
  return [...out];
}

/** `supplierMessage` for details: the supplier's text cleaned and clipped, or nothing. */
function messageDetail(text: unknown): { supplierMessage?: string } {
  const clean = cleanSupplierText(text, MAX_SUPPLIER_MESSAGE);
  return clean ? { supplierMessage: clean } : {};
}

export function httpError(status: number, ctx: GraphqlErrorContext, retryAfterMs: number | undefined, supplierMessage?: unknown): RegistryError {
  return new RegistryError(codeForHttpStatus(status, 'endpoint'), `${ctx.supplier} ${ctx.operationName} answered HTTP ${status}`, {
    supplier: ctx.supplier,
    operation: ctx.operation,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    details: { status, ...messageDetail(supplierMessage) },
  });
}

const isNotFound = (code: string | null | undefined): boolean => typeof code === 'string' && code.endsWith('NOT_FOUND');

export function codeForGraphqlErrors(errors: readonly GraphqlError[]): ErrorCode {
  const codes = errors.map((e) => e.extensions?.code);
  if (codes.includes('THROTTLED')) return 'SUPPLIER_THROTTLED';
  if (codes.includes('ACCESS_DENIED')) return 'MISCONFIGURED';
  if (codes.includes('INTERNAL_SERVER_ERROR')) return 'SUPPLIER_UNAVAILABLE';
  if (codes.length > 0 && codes.every(isNotFound)) return 'SUPPLIER_NOT_FOUND';
  return 'SUPPLIER_REJECTED';
}

export function graphqlErrorsError(errors: readonly GraphqlError[], ctx: GraphqlErrorContext, retryAfterMs: number | undefined): RegistryError {
  const code = codeForGraphqlErrors(errors);
  return new RegistryError(code, `${ctx.supplier} ${ctx.operationName} answered with GraphQL errors`, {
    supplier: ctx.supplier,
    operation: ctx.operation,
    ...(code === 'SUPPLIER_THROTTLED' && retryAfterMs !== undefined ? { retryAfterMs } : {}),
    details: { supplierCodes: cleanCodes(errors.map((e) => e.extensions?.code)), ...messageDetail(errors[0]?.message) },
  });
}

/** A mutation's userErrors as one registry error; callers handle the codes they understand first. */
export function userErrorsError(userErrors: readonly UserError[], ctx: GraphqlErrorContext): RegistryError {
  const code: ErrorCode = userErrors.length > 0 && userErrors.every((e) => isNotFound(e.code)) ? 'SUPPLIER_NOT_FOUND' : 'SUPPLIER_REJECTED';
  return new RegistryError(code, `${ctx.supplier} ${ctx.operationName} refused the request (userErrors)`, {
    supplier: ctx.supplier,
    operation: ctx.operation,
    details: {
      supplierCodes: cleanCodes(userErrors.map((e) => e.code)),
      ...messageDetail(userErrors[0]?.message),
      fields: cleanCodes(userErrors.map((e) => (e.field ?? []).join('.'))),
    },
  });
}
