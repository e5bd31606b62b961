import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { isKnownScope, type Principal, type PrincipalKind } from './principal.ts';

/**
 * The gateway → subgraph trust token (docs/security.md): a short-lived HS256 JWT in `x-gateway-auth`, carrying the
 * principal the gateway verified. Its audience is the one subgraph it was made for, so a token captured on the way
 * to one subgraph cannot be replayed against another; it expires after 60 s.
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
}

const keyOf = (secret: string): Uint8Array => {
  if (secret.length < MIN_SECRET_LENGTH) throw new Error(`gateway signing secret must be at least ${MIN_SECRET_LENGTH} characters`);
  return new TextEncoder().encode(secret);
};

export interface GatewayTokenSigner {
  /** A token for one subgraph (`audience` = the subgraph's name in the supergraph). */
  sign(principal: Principal, audience: string): Promise<string>;
}

export function createGatewayTokenSigner(secret: string): GatewayTokenSigner {
  const key = keyOf(secret);
  return {
    sign: (principal, audience) => {
      const claims: Claims = {
        knd: principal.kind,
        ten: principal.tenant,
        scp: principal.scopes,
        ...(principal.suppliers === undefined ? {} : { sup: principal.suppliers }),
        ...(principal.tokenId === undefined ? {} : { tid: principal.tokenId }),
      };
      return new SignJWT({ ...claims })
        .setProtectedHeader({ alg: ALG, typ: 'JWT' })
        .setIssuer(ISSUER)
        .setAudience(audience)
        .setSubject(principal.subject)
        .setIssuedAt()
        .setExpirationTime(`${GATEWAY_TOKEN_TTL_SECONDS}s`)
        .sign(key);
    },
  };
}

export class GatewayTokenError extends Error {
  override readonly name = 'GatewayTokenError';
}

export interface GatewayTokenVerifier {
  /** The principal in a token made for `audience`; throws GatewayTokenError when missing, forged, expired or misdirected. */
  verify(token: string | undefined, audience: string): Promise<Principal>;
}

/**
 * Accepts tokens signed with any of `secrets`: during a rotation, subgraphs list the new and the old secret, the
 * gateway signs with the new one, and the old one is dropped after a deploy (tokens live 60 s).
 */
export function createGatewayTokenVerifier(secrets: readonly string[], options: { clockToleranceSeconds?: number } = {}): GatewayTokenVerifier {
  if (secrets.length === 0) throw new Error('at least one gateway signing secret is required');
  const keys = secrets.map(keyOf);
  return {
    async verify(token, audience) {
      if (!token) throw new GatewayTokenError('missing gateway signature');
      let lastError: unknown;
      for (const key of keys) {
        try {
          const { payload } = await jwtVerify(token, key, {
            issuer: ISSUER,
            audience,
            algorithms: [ALG],
            clockTolerance: options.clockToleranceSeconds ?? 5,
            requiredClaims: ['exp', 'iat', 'sub'],
            maxTokenAge: `${GATEWAY_TOKEN_TTL_SECONDS + 5}s`,
          });
          return principalOf(payload as unknown as Claims & { sub: string });
        } catch (error) {
          lastError = error;
          // Only a bad signature means "try the next secret"; an expired or misdirected token fails as is.
          if (!(error instanceof joseErrors.JWSSignatureVerificationFailed)) break;
        }
      }
      throw new GatewayTokenError(reasonOf(lastError));
    },
  };
}

function reasonOf(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'gateway signature expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `gateway signature not valid here (${error.claim})`;
  if (error instanceof GatewayTokenError) return error.message;
  return 'gateway signature invalid';
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
  });
}
