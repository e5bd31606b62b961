import type { GraphQLError } from 'graphql';
import type { Registry } from 'prom-client';
import { hashApiToken, looksLikeApiToken } from '../../platform/auth/api-token.ts';
import { DEV_PRINCIPAL, isKnownScope, type Principal } from '../../platform/auth/principal.ts';
import type { Logger } from '../../platform/logger.ts';
import { createRateLimitedLog, type RateLimitedLog } from '../../platform/rate-limited-log.ts';
import type { ApiTokenRecord, TokenStore } from '../../platform/ports/token-store.ts';
import { inferredTokenClass, isTokenClass, scopesOutsideClass, type TokenClass } from '../../platform/auth/token-class.ts';
import { AuthFailure, authenticationUnavailable, unauthenticated } from './auth-errors.ts';
import { KeysUnavailable, type JwtVerifier } from './jwt-verifier.ts';

export interface AuthenticatorOptions {
  /** `dev`: a request without credentials acts as the built-in admin of tenant `default`. */
  readonly mode: 'dev' | 'required';
  /** Verifies JWTs; undefined when no identity provider is configured (JWTs are then refused). */
  readonly jwt?: JwtVerifier | undefined;
  readonly tokens: TokenStore;
  readonly log: Logger;
  readonly now?: () => number;
  /** Counts the store-outage failures (log_events_total{event="authentication_unavailable"}). */
  readonly metricsRegistry?: Registry | undefined;
}

/**
 * Turns the `Authorization` header into a principal, or throws the GraphQLError the client receives. `log` is the
 * request's logger (bound to its `requestId`), so a warning names the request a user can quote; the authenticator's
 * own logger otherwise.
 */
export type Authenticator = (authorization: string | undefined, log?: Logger) => Promise<Principal>;

/**
 * Bearer credentials only: `dsk_…` API tokens (looked up by SHA-256 hash, then checked for revocation and expiry)
 * or JWTs (three dot-separated parts). Credentials are checked on every request, never cached, so a revocation takes
 * effect on the next request.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const now = options.now ?? Date.now;
  // Any caller can cause the warning below while a store is down (one per request with a credential): the first
  // is logged through the request's logger, then one line a minute with the count (platform/rate-limited-log.ts).
  const outageLog = createRateLimitedLog({ log: options.log, ...(options.metricsRegistry ? { metrics: { registry: options.metricsRegistry, event: 'authentication_unavailable' } } : {}) });

  async function apiToken(token: string): Promise<Principal> {
    const record = await options.tokens.findByHash(hashApiToken(token));
    if (record === null) throw new AuthFailure('unknown_token', 'Unknown API token');
    if (record.revokedAt !== null) throw new AuthFailure('revoked', 'API token revoked', record.id);
    if (record.expiresAt !== null && Date.parse(record.expiresAt) <= now()) throw new AuthFailure('expired', 'API token expired', record.id);
    const tokenClass = classOfStoredToken(record);
    return Object.freeze({
      kind: 'api-token' as const,
      subject: record.id,
      tenant: record.tenant,
      scopes: Object.freeze(record.scopes.filter(isKnownScope)),
      ...(record.suppliers === null ? {} : { suppliers: Object.freeze([...record.suppliers]) }),
      tokenId: record.id,
      ...(record.expiresAt === null ? {} : { expiresAt: record.expiresAt }),
      tokenClass,
    });
  }

  async function verify(credential: string): Promise<Principal> {
    if (looksLikeApiToken(credential)) return apiToken(credential);
    if (credential.split('.').length === 3) {
      if (!options.jwt) throw new AuthFailure('not_accepted', 'JWTs are not accepted here (no identity provider configured)');
      return options.jwt(credential);
    }
    throw new AuthFailure('malformed', 'Credential is neither an API token nor a JWT');
  }

  return async (authorization, log = options.log) => {
    try {
      if (authorization === undefined || authorization.trim() === '') {
        if (options.mode === 'dev') return DEV_PRINCIPAL;
        throw new AuthFailure('missing', 'Authentication required: send Authorization: Bearer <token>');
      }
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!match) throw new AuthFailure('malformed', 'Authorization must be "Bearer <token>"');
      return await verify(match[1]!);
    } catch (error) {
      throw toClientError(error, log, outageLog);
    }
  };
}

/**
 * The stored token's class, or the inferred one for a token issued before classes (token-class.ts). A class this
 * gateway does not know, or scopes the class may not carry (written around the token service), refuse the token:
 * guessing would hand a storefront's limits or an admin scope to something nobody issued as such.
 */
function classOfStoredToken(record: ApiTokenRecord): TokenClass {
  if (record.tokenClass === undefined || record.tokenClass === null) return inferredTokenClass(record.scopes);
  if (!isTokenClass(record.tokenClass)) throw new AuthFailure('invalid_claims', 'API token has an unknown token class', record.id);
  if (scopesOutsideClass(record.tokenClass, record.scopes).length > 0) throw new AuthFailure('invalid_claims', 'API token carries scopes its class may not hold', record.id);
  return record.tokenClass;
}

function toClientError(error: unknown, log: Logger, outageLog: RateLimitedLog): GraphQLError {
  if (error instanceof AuthFailure) return unauthenticated(error);
  // The identity provider or the token store is down: log the cause (no credential in it), tell the caller to retry.
  const cause = error instanceof KeysUnavailable ? 'identity provider keys unavailable' : 'token store unavailable';
  outageLog.log('warn', cause, { err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, `authentication failed: ${cause}`, log);
  return authenticationUnavailable();
}
