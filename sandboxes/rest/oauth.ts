/**
 * Brightline's OAuth2 client-credentials server (RFC 6749 §4.4): the client authenticates with HTTP Basic
 * (client_secret_basic) or form fields (client_secret_post) and receives an opaque bearer token that expires.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export type TokenGrant =
  | { readonly ok: true; readonly body: { access_token: string; token_type: 'Bearer'; expires_in: number; scope: string } }
  | { readonly ok: false; readonly status: 400 | 401; readonly body: { error: string; error_description: string } };

export interface TokenIssuer {
  grant(authorization: string | undefined, form: URLSearchParams): TokenGrant;
  /** Whether a bearer token from an Authorization header is one we issued and still alive. */
  verify(authorization: string | undefined): 'ok' | 'missing' | 'invalid' | 'expired';
}

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** client_secret_basic form-urlencodes id and secret before base64 (RFC 6749 §2.3.1). */
function basicCredentials(authorization: string | undefined): { id: string; secret: string } | null {
  const match = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  try {
    return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}

export function createTokenIssuer(options: { credentials: ClientCredentials; ttlSeconds: number; now?: () => number }): TokenIssuer {
  const now = options.now ?? Date.now;
  const tokens = new Map<string, number>();

  return {
    grant(authorization, form) {
      if (form.get('grant_type') !== 'client_credentials') {
        return { ok: false, status: 400, body: { error: 'unsupported_grant_type', error_description: 'Only client_credentials is supported' } };
      }
      const basic = basicCredentials(authorization);
      const id = basic?.id ?? form.get('client_id');
      const secret = basic?.secret ?? form.get('client_secret');
      if (id === null || secret === null || id !== options.credentials.clientId || !sameSecret(secret, options.credentials.clientSecret)) {
        return { ok: false, status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } };
      }
      // Expired tokens are swept on each grant so a long-running sandbox does not grow without bound.
      for (const [token, expiresAt] of tokens) if (expiresAt <= now()) tokens.delete(token);
      const accessToken = randomBytes(32).toString('base64url');
      tokens.set(accessToken, now() + options.ttlSeconds * 1000);
      return { ok: true, body: { access_token: accessToken, token_type: 'Bearer', expires_in: options.ttlSeconds, scope: 'availability catalog orders' } };
    },
    verify(authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      if (!match) return 'missing';
      const expiresAt = tokens.get(match[1]!);
      if (expiresAt === undefined) return 'invalid';
      return expiresAt > now() ? 'ok' : 'expired';
    },
  };
}
