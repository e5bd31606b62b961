/**
 * Brightline's OAuth2 client-credentials server (RFC 6749 §4.4): the client authenticates with HTTP Basic
 * (client_secret_basic) or form fields (client_secret_post) and receives an opaque bearer token that expires.
 * Like most providers it lets a client hold two secrets during a rotation: a second one is accepted next to the
 * first, and retiring a secret refuses it from then on and revokes the tokens granted with it.
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
  /** Accepts `secret` as well as the secrets already accepted (the start of a rotation). */
  acceptSecret(secret: string): void;
  /** Refuses `secret` from now on and revokes the live tokens granted with it (the end of a rotation). */
  retireSecret(secret: string): void;
  /** Grants made with `secret` so far (tests prove which secret a client used without the secret leaving them). */
  grantsWith(secret: string): number;
  /** Token requests refused for bad client credentials so far. */
  refusedGrants(): number;
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
  /** Live tokens: expiry, and the index in `secrets` of the secret they were granted with. */
  const tokens = new Map<string, { expiresAt: number; secret: number }>();
  const secrets: { value: string; active: boolean; grants: number }[] = [{ value: options.credentials.clientSecret, active: true, grants: 0 }];
  let refused = 0;
  const matching = (secret: string) => secrets.findIndex((s) => s.active && sameSecret(secret, s.value));

  return {
    grant(authorization, form) {
      if (form.get('grant_type') !== 'client_credentials') {
        return { ok: false, status: 400, body: { error: 'unsupported_grant_type', error_description: 'Only client_credentials is supported' } };
      }
      const basic = basicCredentials(authorization);
      const id = basic?.id ?? form.get('client_id');
      const secret = basic?.secret ?? form.get('client_secret');
      const which = id === null || secret === null || id !== options.credentials.clientId ? -1 : matching(secret);
      if (which < 0) {
        refused += 1;
        return { ok: false, status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } };
      }
      // Expired tokens are swept on each grant so a long-running sandbox does not grow without bound.
      for (const [token, { expiresAt }] of tokens) if (expiresAt <= now()) tokens.delete(token);
      const accessToken = randomBytes(32).toString('base64url');
      tokens.set(accessToken, { expiresAt: now() + options.ttlSeconds * 1000, secret: which });
      secrets[which]!.grants += 1;
      return { ok: true, body: { access_token: accessToken, token_type: 'Bearer', expires_in: options.ttlSeconds, scope: 'availability catalog orders' } };
    },
    verify(authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      if (!match) return 'missing';
      const token = tokens.get(match[1]!);
      if (token === undefined) return 'invalid';
      return token.expiresAt > now() ? 'ok' : 'expired';
    },
    acceptSecret(secret) {
      if (secret.length === 0) throw new Error('a client secret is not empty');
      const known = secrets.find((s) => sameSecret(secret, s.value));
      if (known) known.active = true;
      else secrets.push({ value: secret, active: true, grants: 0 });
    },
    retireSecret(secret) {
      const which = secrets.findIndex((s) => sameSecret(secret, s.value));
      if (which < 0) throw new Error('the sandbox never accepted that client secret');
      secrets[which]!.active = false;
      for (const [token, granted] of tokens) if (granted.secret === which) tokens.delete(token);
    },
    grantsWith: (secret) => secrets.find((s) => sameSecret(secret, s.value))?.grants ?? 0,
    refusedGrants: () => refused,
  };
}
