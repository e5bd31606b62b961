import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { CODE, ERRORS, type ErrorCode } from '../../kernel/errors.ts';

/**
 * The gateway's access errors, each with its code and HTTP status (docs/security.md). Apollo Server takes the status
 * and headers from `extensions.http` and strips that key from the response.
 */

/** Why a credential was refused; safe to tell the caller (RFC 6750 error descriptions say as much). */
export type AuthFailureReason = 'missing' | 'malformed' | 'expired' | 'invalid_signature' | 'invalid_claims' | 'unknown_token' | 'revoked' | 'not_accepted';

export class AuthFailure extends Error {
  override readonly name = 'AuthFailure';
  /** `tokenId`: a stored API token that was refused (revoked, expired), for the audit log; never sent to the client. */
  constructor(readonly reason: AuthFailureReason, message: string, readonly tokenId?: string) {
    super(message);
  }
}

/** `extensions.http` for a code: the status the registry gives it (kernel/errors.ts), and any headers. */
const http = (code: ErrorCode, headers: readonly (readonly [string, string])[] = []) => ({
  status: ERRORS[code].httpStatus,
  headers: new HeaderMap(headers.map(([k, v]) => [k, v] as [string, string])),
});

export function unauthenticated(failure: AuthFailure): GraphQLError {
  const challenge = failure.reason === 'missing' ? 'Bearer' : `Bearer error="invalid_token", error_description="${failure.reason}"`;
  return new GraphQLError(failure.message, {
    // Kept on the error for the audit log; Apollo never serialises originalError.
    originalError: failure,
    extensions: { code: CODE.UNAUTHENTICATED, reason: failure.reason, http: http(CODE.UNAUTHENTICATED, [['www-authenticate', challenge]]) },
  });
}

/** The identity provider's keys or the token store cannot be reached: not the caller's fault, worth a retry. */
export const authenticationUnavailable = (): GraphQLError =>
  new GraphQLError('Credentials cannot be checked right now; retry shortly', {
    extensions: { code: CODE.AUTHENTICATION_UNAVAILABLE, http: http(CODE.AUTHENTICATION_UNAVAILABLE, [['retry-after', '5']]) },
  });

export const forbidden = (missing: readonly string[], fields: readonly string[]): GraphQLError =>
  new GraphQLError(`Missing scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (needed by ${fields.join(', ')})`, {
    extensions: { code: CODE.FORBIDDEN, missingScopes: missing, http: http(CODE.FORBIDDEN) },
  });

/**
 * Which bucket ran out (gateway/auth/request-rate-limit.ts): the tenant's, for its token class, or the forwarded
 * shopper's behind a storefront token.
 */
export interface RateLimitScope {
  readonly limit: 'tenant' | 'shopper';
  readonly tokenClass: string;
}

export const rateLimited = (retryAfterMs: number, scope?: RateLimitScope): GraphQLError => {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const which = scope === undefined ? '' : scope.limit === 'shopper' ? ' for this shopper' : ` for this tenant's ${scope.tokenClass} tokens`;
  return new GraphQLError(`Rate limit exceeded${which}; retry in ${seconds} s`, {
    extensions: { code: CODE.RATE_LIMITED, ...(scope ?? {}), retryAfterMs: Math.ceil(retryAfterMs), http: http(CODE.RATE_LIMITED, [['retry-after', String(seconds)]]) },
  });
};

/** A storefront forwarded a shopper id that is not one (request-rate-limit.ts): repeated, empty, too long, odd characters. */
export const invalidShopperId = (): GraphQLError =>
  new GraphQLError('X-Shopper-Id must be one value of 1-128 characters of A-Z, a-z, 0-9 and . _ : @ + = / -', {
    extensions: { code: CODE.INVALID_INPUT, reason: 'shopper-id', http: http(CODE.INVALID_INPUT) },
  });

export type OperationLimit = 'depth' | 'aliases' | 'rootFields' | 'cost';

export const limitExceeded = (limit: OperationLimit, max: number, actual: number): GraphQLError =>
  new GraphQLError(`Operation exceeds the ${limit} limit (${Number.isFinite(actual) ? actual : 'more'} > ${max})`, {
    extensions: { code: CODE.OPERATION_LIMIT_EXCEEDED, limit, max, actual: Number.isFinite(actual) ? actual : null, http: http(CODE.OPERATION_LIMIT_EXCEEDED) },
  });

export const variablesTooLarge = (max: number): GraphQLError =>
  new GraphQLError(`Variables exceed ${max} bytes`, { extensions: { code: CODE.VARIABLES_TOO_LARGE, max, http: http(CODE.VARIABLES_TOO_LARGE) } });

export const introspectionDisabled = (): GraphQLError =>
  new GraphQLError('Introspection is not available to partner tokens', { extensions: { code: CODE.INTROSPECTION_DISABLED, http: http(CODE.INTROSPECTION_DISABLED) } });

export const persistedOperationRequired = (): GraphQLError =>
  new GraphQLError('Only persisted operations are accepted: send extensions.persistedQuery.sha256Hash of an operation in the safelist', {
    extensions: { code: CODE.PERSISTED_OPERATION_REQUIRED, http: http(CODE.PERSISTED_OPERATION_REQUIRED) },
  });

/** Too many failed authentication attempts from this client address or with this credential (failure-throttle.ts). */
export const authenticationThrottled = (retryAfterMs: number): GraphQLError => {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new GraphQLError(`Too many failed authentication attempts; retry in ${seconds} s`, {
    extensions: { code: CODE.AUTHENTICATION_THROTTLED, retryAfterMs: Math.ceil(retryAfterMs), http: http(CODE.AUTHENTICATION_THROTTLED, [['retry-after', String(seconds)]]) },
  });
};
