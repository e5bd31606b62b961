import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';

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

const http = (status: number, headers: readonly (readonly [string, string])[] = []) => ({ status, headers: new HeaderMap(headers.map(([k, v]) => [k, v] as [string, string])) });

export function unauthenticated(failure: AuthFailure): GraphQLError {
  const challenge = failure.reason === 'missing' ? 'Bearer' : `Bearer error="invalid_token", error_description="${failure.reason}"`;
  return new GraphQLError(failure.message, {
    // Kept on the error for the audit log; Apollo never serialises originalError.
    originalError: failure,
    extensions: { code: 'UNAUTHENTICATED', reason: failure.reason, http: http(401, [['www-authenticate', challenge]]) },
  });
}

/** The identity provider's keys or the token store cannot be reached: not the caller's fault, worth a retry. */
export const authenticationUnavailable = (): GraphQLError =>
  new GraphQLError('Credentials cannot be checked right now; retry shortly', {
    extensions: { code: 'AUTHENTICATION_UNAVAILABLE', http: http(503, [['retry-after', '5']]) },
  });

export const forbidden = (missing: readonly string[], fields: readonly string[]): GraphQLError =>
  new GraphQLError(`Missing scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (needed by ${fields.join(', ')})`, {
    extensions: { code: 'FORBIDDEN', missingScopes: missing, http: http(403) },
  });

export const rateLimited = (retryAfterMs: number): GraphQLError => {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new GraphQLError(`Rate limit exceeded; retry in ${seconds} s`, {
    extensions: { code: 'RATE_LIMITED', retryAfterMs: Math.ceil(retryAfterMs), http: http(429, [['retry-after', String(seconds)]]) },
  });
};

export type OperationLimit = 'depth' | 'aliases' | 'rootFields' | 'cost';

export const limitExceeded = (limit: OperationLimit, max: number, actual: number): GraphQLError =>
  new GraphQLError(`Operation exceeds the ${limit} limit (${Number.isFinite(actual) ? actual : 'more'} > ${max})`, {
    extensions: { code: 'OPERATION_LIMIT_EXCEEDED', limit, max, actual: Number.isFinite(actual) ? actual : null, http: http(400) },
  });

export const variablesTooLarge = (max: number): GraphQLError =>
  new GraphQLError(`Variables exceed ${max} bytes`, { extensions: { code: 'VARIABLES_TOO_LARGE', max, http: http(413) } });

export const introspectionDisabled = (): GraphQLError =>
  new GraphQLError('Introspection is not available to partner tokens', { extensions: { code: 'INTROSPECTION_DISABLED', http: http(403) } });

export const persistedOperationRequired = (): GraphQLError =>
  new GraphQLError('Only persisted operations are accepted: send extensions.persistedQuery.sha256Hash of an operation in the safelist', {
    extensions: { code: 'PERSISTED_OPERATION_REQUIRED', http: http(403) },
  });

/** Too many failed authentication attempts from this client address or with this credential (failure-throttle.ts). */
export const authenticationThrottled = (retryAfterMs: number): GraphQLError => {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new GraphQLError(`Too many failed authentication attempts; retry in ${seconds} s`, {
    extensions: { code: 'AUTHENTICATION_THROTTLED', retryAfterMs: Math.ceil(retryAfterMs), http: http(429, [['retry-after', String(seconds)]]) },
  });
};
