import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { isKnownScope, TENANT_PATTERN, type Principal } from '../../platform/auth/principal.ts';
import { inferredTokenClass, isTokenClass, scopesOutsideClass, TOKEN_CLASSES } from '../../platform/auth/token-class.ts';
import { AuthFailure } from './auth-errors.ts';

export interface JwtVerifierOptions {
  readonly jwksUrl: string;
  readonly issuer: string;
  readonly audience: string;
  /** Tolerated clock difference with the identity provider, for `exp`, `nbf` and `iat`. */
  readonly clockSkewSeconds: number;
  /** @default 'tenant' */
  readonly tenantClaim?: string;
  /** @default 'suppliers' */
  readonly suppliersClaim?: string;
  /** Claim naming the token class (storefront, partner, operator); absent → inferred from the scopes. @default 'token_class' */
  readonly classClaim?: string;
  /** After a fetch, how long an unknown `kid` waits before the next fetch. @default 30000 (jose's) */
  readonly cooldownMs?: number;
  /** How long fetched keys are trusted before a refetch. @default 600000 (jose's) */
  readonly cacheMaxAgeMs?: number;
  /** @default 5000 */
  readonly timeoutMs?: number;
}

/** Thrown when the identity provider's keys cannot be fetched: the caller gets 503, not 401. */
export class KeysUnavailable extends Error {
  override readonly name = 'KeysUnavailable';
}

export type JwtVerifier = (token: string) => Promise<Principal>;

/**
 * Verifies partner JWTs: RS256 or ES256 only (never `none`, never HMAC with a public key), against the identity
 * provider's JWKS, which jose caches and refetches when a token names a key it has not seen (a rotation), at most
 * once per cooldown. Issuer, audience, expiry (with clock skew) are checked; a token without `exp` is refused.
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl), {
    ...(options.cooldownMs === undefined ? {} : { cooldownDuration: options.cooldownMs }),
    ...(options.cacheMaxAgeMs === undefined ? {} : { cacheMaxAge: options.cacheMaxAgeMs }),
    timeoutDuration: options.timeoutMs ?? 5_000,
  });
  const tenantClaim = options.tenantClaim ?? 'tenant';
  const suppliersClaim = options.suppliersClaim ?? 'suppliers';
  const classClaim = options.classClaim ?? 'token_class';
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ['RS256', 'ES256'],
        clockTolerance: options.clockSkewSeconds,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      throw failureOf(error);
    }
    return principalOf(payload, tenantClaim, suppliersClaim, classClaim);
  };
}

function failureOf(error: unknown): Error {
  if (error instanceof joseErrors.JWTExpired) return new AuthFailure('expired', 'Token expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed) return new AuthFailure('invalid_claims', `Token claim "${error.claim}" is not valid here`);
  if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSNoMatchingKey) {
    return new AuthFailure('invalid_signature', 'Token signature does not verify');
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return new AuthFailure('invalid_signature', 'Token algorithm not accepted (RS256, ES256)');
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) return new KeysUnavailable('JWKS unavailable');
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid || error instanceof joseErrors.JOSENotSupported) {
    return new AuthFailure('malformed', 'Token is not a valid JWT');
  }
  // Left: the JWKS endpoint answered badly (a generic JOSEError: not 200, not JSON) or not at all (fetch's TypeError).
  return new KeysUnavailable(error instanceof Error ? error.message : String(error));
}

function principalOf(payload: JWTPayload, tenantClaim: string, suppliersClaim: string, classClaim: string): Principal {
  const tenant = payload[tenantClaim];
  if (typeof tenant !== 'string' || !TENANT_PATTERN.test(tenant)) throw new AuthFailure('invalid_claims', `Token has no valid "${tenantClaim}" claim`);
  // RFC 8693 `scope` (space-separated) or the common `scp` array; unknown scopes are ignored, never guessed at.
  const raw = typeof payload['scope'] === 'string' ? payload['scope'].split(' ') : Array.isArray(payload['scp']) ? payload['scp'] : [];
  const scopes = [...new Set(raw.filter((s): s is string => typeof s === 'string' && isKnownScope(s)))];
  const suppliers = payload[suppliersClaim];
  if (suppliers !== undefined && !(Array.isArray(suppliers) && suppliers.every((s) => typeof s === 'string'))) {
    throw new AuthFailure('invalid_claims', `Token claim "${suppliersClaim}" must be a list of supplier slugs`);
  }
  // An unknown class is refused, not defaulted: the identity provider meant something this gateway cannot honour.
  const claimed = payload[classClaim];
  if (claimed !== undefined && !isTokenClass(claimed)) throw new AuthFailure('invalid_claims', `Token claim "${classClaim}" must be one of ${TOKEN_CLASSES.join(', ')}`);
  const tokenClass = claimed ?? inferredTokenClass(scopes);
  if (scopesOutsideClass(tokenClass, scopes).length > 0) throw new AuthFailure('invalid_claims', `A ${tokenClass} token may not carry ${scopesOutsideClass(tokenClass, scopes).join(', ')}`);
  return Object.freeze({
    kind: 'jwt' as const,
    subject: payload.sub!,
    tenant,
    scopes: Object.freeze(scopes) as Principal['scopes'],
    ...(suppliers === undefined ? {} : { suppliers: Object.freeze([...(suppliers as string[])]) }),
    ...(typeof payload.jti === 'string' ? { tokenId: payload.jti } : {}),
    ...(typeof payload.exp === 'number' ? { expiresAt: new Date(payload.exp * 1000).toISOString() } : {}),
    tokenClass,
  });
}
