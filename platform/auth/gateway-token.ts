import { createHash, createHmac, randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';
import { isKnownScope, type Principal, type PrincipalKind } from './principal.ts';
import { isTokenClass } from './token-class.ts';

/**
 * The gateway → subgraph trust token (docs/security.md): a short-lived HS256 JWT in `x-gateway-auth`, carrying the
 * principal the gateway verified. Its audience is the one subgraph it was made for, so a token captured on the way
 * to one subgraph cannot be replayed against another; it expires after 60 s. It is also bound to one request: `bdh`
 * is the SHA-256 of the exact body it was signed for, and `jti` a unique id the subgraph accepts once
 * (gateway-request-verifier.ts), so a captured header can neither carry another body nor be sent again.
 */
export const GATEWAY_AUTH_HEADER = 'x-gateway-auth';
const ISSUER = 'dropship-gateway';
const ALG = 'HS256';
export const GATEWAY_TOKEN_TTL_SECONDS = 60;
/** HS256 keys shorter than the hash output weaken it; refuse them at start rather than sign with them. */
export const MIN_SECRET_LENGTH = 32;

interface Claims {
  readonly knd: PrincipalKind;
  readonly ten: string;
  readonly scp: readonly string[];
  readonly sup?: readonly string[];
  readonly tid?: string;
  /** The token class (platform/auth/token-class.ts), for `viewer` and subgraph decisions; absent for dev/system. */
  readonly cls?: string;
  /** base64url SHA-256 of the request body the token was signed for. */
  readonly bdh: string;
}

/** The body hash as carried in `bdh`: base64url SHA-256 of the bytes on the wire. */
export const bodyHashOf = (body: string | Uint8Array): string => createHash('sha256').update(body).digest('base64url');

const keyOf = (secret: string): Uint8Array => {
  if (secret.length < MIN_SECRET_LENGTH) throw new Error(`gateway signing secret must be at least ${MIN_SECRET_LENGTH} characters`);
  return new TextEncoder().encode(secret);
};

export interface GatewayTokenSigner {
  /**
   * A token for one request to one subgraph (`audience` = the subgraph's name in the supergraph; `body` = the exact
   * request body to be sent). Every call makes a new `jti`: sign once per fetch, never reuse a header.
   */
  sign(principal: Principal, audience: string, body: string | Uint8Array): Promise<string>;
}

/** The protected header of every gateway token, encoded once: `{"alg":"HS256","typ":"JWT"}`. */
const PROTECTED_HEADER = Buffer.from(JSON.stringify({ alg: ALG, typ: 'JWT' })).toString('base64url');

export function createGatewayTokenSigner(secret: string): GatewayTokenSigner {
  const key = keyOf(secret);
  return {
    // The same compact HS256 JWT jose's SignJWT makes (the verifier below is jose), signed with node:crypto's
    // synchronous HMAC: jose signs through WebCrypto, importing the key and hopping through a promise for each of
    // the ~16 fetches of a deep plan, which was most of the gateway's signing cost (issue 15).
    sign: async (principal, audience, body) => {
      const iat = Math.floor(Date.now() / 1000);
      const payload = {
        bdh: bodyHashOf(body),
        knd: principal.kind,
        ten: principal.tenant,
        scp: principal.scopes,
        ...(principal.suppliers === undefined ? {} : { sup: principal.suppliers }),
        ...(principal.tokenId === undefined ? {} : { tid: principal.tokenId }),
        ...(principal.tokenClass === undefined ? {} : { cls: principal.tokenClass }),
        iss: ISSUER,
        aud: audience,
        sub: principal.subject,
        jti: randomUUID(),
        iat,
        exp: iat + GATEWAY_TOKEN_TTL_SECONDS,
      } satisfies Claims & Record<string, unknown>;
      const signingInput = `${PROTECTED_HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
      return `${signingInput}.${createHmac('sha256', key).update(signingInput).digest('base64url')}`;
    },
  };
}

/** Why a gateway token was refused; sent to the caller as `extensions.reason` with 401 UNAUTHENTICATED. */
export type GatewayTokenFailure = 'missing' | 'invalid' | 'expired' | 'misdirected' | 'body_mismatch' | 'replayed' | 'unavailable';

export class GatewayTokenError extends Error {
  override readonly name = 'GatewayTokenError';
  constructor(message: string, readonly reason: GatewayTokenFailure = 'invalid') {
    super(message);
  }
}

/** The request body, or a reader called only once the signature checks out. */
export type RequestBody = string | Uint8Array | (() => Promise<string | Uint8Array>);

export interface VerifiedGatewayToken {
  readonly principal: Principal;
  /** The token's unique id: the subgraph accepts it once. */
  readonly jti: string;
  /** When the token stops being accepted (expiry plus clock tolerance), ms since the epoch. */
  readonly acceptedUntilMs: number;
}

export interface GatewayTokenVerifier {
  /**
   * The claims of a token made for `audience` and for exactly `body`; throws GatewayTokenError when missing, forged,
   * expired, misdirected, or signed for another body. Single use is checked by the caller (it needs a store).
   */
  verify(token: string | undefined, audience: string, body: RequestBody): Promise<VerifiedGatewayToken>;
}

/**
 * Accepts tokens signed with any of `secrets`: during a rotation, subgraphs list the new and the old secret, the
 * gateway signs with the new one, and the old one is dropped after a deploy (tokens live 60 s).
 */
export function createGatewayTokenVerifier(secrets: readonly string[], options: { clockToleranceSeconds?: number } = {}): GatewayTokenVerifier {
  if (secrets.length === 0) throw new Error('at least one gateway signing secret is required');
  const keys = secrets.map(keyOf);
  const toleranceSeconds = options.clockToleranceSeconds ?? 5;
  return {
    async verify(token, audience, body) {
      if (!token) throw new GatewayTokenError('missing gateway signature', 'missing');
      let verified: { principal: Principal; claims: Claims & { jti: string; exp: number; iat: number } } | undefined;
      let lastError: unknown;
      for (const key of keys) {
        try {
          const { payload } = await jwtVerify(token, key, {
            issuer: ISSUER,
            audience,
            algorithms: [ALG],
            clockTolerance: toleranceSeconds,
            requiredClaims: ['exp', 'iat', 'sub', 'jti'],
            maxTokenAge: `${GATEWAY_TOKEN_TTL_SECONDS + toleranceSeconds}s`,
          });
          const claims = payload as unknown as Claims & { sub: string; jti: string; exp: number; iat: number };
          verified = { principal: principalOf(claims), claims };
          break;
        } catch (error) {
          lastError = error;
          // Only a bad signature means "try the next secret"; an expired or misdirected token fails as is.
          if (!(error instanceof joseErrors.JWSSignatureVerificationFailed)) break;
        }
      }
      if (verified === undefined) throw failureOf(lastError);
      const { principal, claims } = verified;
      if (typeof claims.jti !== 'string' || claims.jti.length === 0 || claims.jti.length > 128) throw new GatewayTokenError('gateway signature carries malformed claims');
      // The body is read only now, for a genuine header (`body` may be a reader): nobody else makes a subgraph
      // buffer megabytes. Compared as hashes; the hash is no secret, so a plain comparison leaks nothing.
      const bytes = typeof body === 'function' ? await body() : body;
      if (typeof claims.bdh !== 'string' || claims.bdh !== bodyHashOf(bytes)) {
        throw new GatewayTokenError('gateway signature was made for another request body', 'body_mismatch');
      }
      // Accepted until the earlier of exp and iat + max age, each with the clock tolerance.
      const acceptedUntilMs = (Math.min(claims.exp, claims.iat + GATEWAY_TOKEN_TTL_SECONDS) + toleranceSeconds) * 1000;
      return { principal, jti: claims.jti, acceptedUntilMs };
    },
  };
}

function failureOf(error: unknown): GatewayTokenError {
  if (error instanceof GatewayTokenError) return error;
  if (error instanceof joseErrors.JWTExpired) return new GatewayTokenError('gateway signature expired', 'expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return new GatewayTokenError(`gateway signature not valid here (${error.claim})`, error.claim === 'aud' ? 'misdirected' : error.claim === 'iat' ? 'expired' : 'invalid');
  }
  return new GatewayTokenError('gateway signature invalid');
}

function principalOf(claims: Claims & { sub: string }): Principal {
  const kinds: readonly PrincipalKind[] = ['jwt', 'api-token', 'dev', 'system'];
  if (!kinds.includes(claims.knd) || typeof claims.ten !== 'string' || !Array.isArray(claims.scp)) {
    throw new GatewayTokenError('gateway signature carries malformed claims');
  }
  return Object.freeze({
    kind: claims.knd,
    subject: claims.sub,
    tenant: claims.ten,
    scopes: Object.freeze(claims.scp.filter(isKnownScope)),
    ...(Array.isArray(claims.sup) ? { suppliers: Object.freeze(claims.sup.filter((s): s is string => typeof s === 'string')) } : {}),
    ...(typeof claims.tid === 'string' ? { tokenId: claims.tid } : {}),
    ...(isTokenClass(claims.cls) ? { tokenClass: claims.cls } : {}),
  });
}
