/**
 * GraphQL-over-HTTP outcome → registry error, in one place:
 * - HTTP 401/403 → MISCONFIGURED (our token), 404 → MISCONFIGURED (wrong shop or API version in our config),
 *   429 → SUPPLIER_THROTTLED, 5xx → SUPPLIER_UNAVAILABLE, other non-2xx → SUPPLIER_REJECTED;
 * - top-level GraphQL errors by `extensions.code`: THROTTLED → SUPPLIER_THROTTLED, ACCESS_DENIED → MISCONFIGURED,
 *   INTERNAL_SERVER_ERROR → SUPPLIER_UNAVAILABLE, *NOT_FOUND → SUPPLIER_NOT_FOUND, anything else → SUPPLIER_REJECTED;
 * - mutation userErrors: *NOT_FOUND → SUPPLIER_NOT_FOUND, else SUPPLIER_REJECTED.
 */
import { z } from 'zod';
import { RegistryError, type ErrorCode } from '../core/errors.ts';

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

const MAX_SUPPLIER_MESSAGE = 200;
const clip = (text: string): string => text.slice(0, MAX_SUPPLIER_MESSAGE);

export function codeForHttpStatus(status: number): ErrorCode {
  if (status === 429) return 'SUPPLIER_THROTTLED';
  if (status >= 500) return 'SUPPLIER_UNAVAILABLE';
  if (status === 401 || status === 403 || status === 404) return 'MISCONFIGURED';
  if (status >= 400) return 'SUPPLIER_REJECTED';
  return 'CONTRACT_VIOLATION';
}

export function httpError(status: number, ctx: GraphqlErrorContext, retryAfterMs: number | undefined, supplierMessage?: string): RegistryError {
  return new RegistryError(codeForHttpStatus(status), `${ctx.supplier} ${ctx.operationName} answered HTTP ${status}`, {
    supplier: ctx.supplier,
    operation: ctx.operation,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    details: { status, ...(supplierMessage ? { supplierMessage: clip(supplierMessage) } : {}) },
  });
}

const isNotFound = (code: string | null | undefined): boolean => typeof code === 'string' && /NOT_FOUND$/.test(code);

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
  const supplierCodes = [...new Set(errors.map((e) => e.extensions?.code).filter((c): c is string => typeof c === 'string'))];
  return new RegistryError(code, `${ctx.supplier} ${ctx.operationName} answered with GraphQL errors${supplierCodes.length ? ` (${supplierCodes.join(', ')})` : ''}`, {
    supplier: ctx.supplier,
    operation: ctx.operation,
    ...(code === 'SUPPLIER_THROTTLED' && retryAfterMs !== undefined ? { retryAfterMs } : {}),
    details: { supplierCodes, supplierMessage: clip(errors[0]?.message ?? '') },
  });
}

/** A mutation's userErrors as one registry error; callers handle the codes they understand first. */
export function userErrorsError(userErrors: readonly UserError[], ctx: GraphqlErrorContext): RegistryError {
  const code: ErrorCode = userErrors.length > 0 && userErrors.every((e) => isNotFound(e.code)) ? 'SUPPLIER_NOT_FOUND' : 'SUPPLIER_REJECTED';
  const supplierCodes = [...new Set(userErrors.map((e) => e.code).filter((c): c is string => typeof c === 'string'))];
  return new RegistryError(code, `${ctx.supplier} ${ctx.operationName} refused: ${clip(userErrors.map((e) => e.message).join('; '))}`, {
    supplier: ctx.supplier,
    operation: ctx.operation,
    details: { supplierCodes, fields: userErrors.map((e) => (e.field ?? []).join('.')) },
  });
}
