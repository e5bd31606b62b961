/**
 * OAuth2 client-credentials grant (RFC 6749 §4.4) as a RequestAuth: caches the access token, refreshes it a
 * little before it expires, shares one token request among concurrent callers, and after a 401 from the API
 * drops the rejected token so the client's single retry gets a fresh one. With `readCredentials`, a rotated client
 * secret is picked up at the next token request, without a restart (docs/security.md, "Rotation runbooks").
 * The token's lifetime is the server's word, read leniently and clamped (tokenLifetimeSeconds, docs/security.md,
 * "Ranges"): `expires_in: 0` must not refuse the supplier or fetch a token per call, and `1e300` must not keep a
 * token for ever.
 */
import { z } from 'zod';
import { RegistryError, isRegistryError } from '../../kernel/errors.ts';
import { errorForStatus, type SupplierErrorInfo } from './http-errors.ts';
import type { RequestAuth } from './json-client.ts';
import { exchange, type FetchLike } from './transport.ts';

export interface ClientCredentialsOptions {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Supplier slug, for errors. */
  readonly supplier: string;
  /** Space-separated scopes to ask for; none when unset. */
  readonly scope?: string;
  /** client_secret_basic (HTTP Basic) or client_secret_post (form fields). @default 'basic' */
  readonly clientAuth?: 'basic' | 'body';
  /** Refresh this long before expiry, capped at half the token's lifetime so short-lived tokens still get used. @default 30000 */
  readonly refreshSkewMs?: number;
  /** Lifetime assumed when the server omits expires_in or sends one that is not a number. @default 300 */
  readonly defaultLifetimeSeconds?: number;
  /** Deadline for one token request, independent of any one caller. @default 10000 */
  readonly timeoutMs?: number;
  /**
   * The client credentials currently in force (the credential vault), read before every token request — rare: one
   * per token lifetime, shared by concurrent callers — and again when the token endpoint refuses the pair sent,
   * with one retry when that read returns a different pair (the secret was rotated in between). A read that fails
   * or takes longer than `credentialsReadTimeoutMs` keeps the last pair read: a store outage must not stop token
   * refreshes. Unset: `clientId` / `clientSecret` for the process's lifetime.
   */
  readonly readCredentials?: () => Promise<ClientCredentialPair>;
  /** @default 2000 */
  readonly credentialsReadTimeoutMs?: number;
  /** @default global fetch */
  readonly fetch?: FetchLike;
  /** @default Date.now */
  readonly now?: () => number;
}

export interface ClientCredentialPair {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface ClientCredentialsAuth extends RequestAuth {
  /** A valid access token, from cache or freshly granted. */
  token(signal: AbortSignal): Promise<string>;
  /** Forgets the cached token. */
  invalidate(): void;
}

interface CachedToken {
  readonly value: string;
  readonly refreshAt: number;
}

/**
 * Shortest lifetime honoured: a token is then refreshed at most every half second (refresh at half its life), so a
 * sub-second `expires_in` cannot turn every call into a token request. Genuine short lifetimes (seconds) are kept
 * as they are, so the token is still renewed before it expires rather than refused by the API.
 */
export const MIN_TOKEN_LIFETIME_SECONDS = 1;
/** Longest: a day, so the grant is asked for again at least daily whatever the server says. */
export const MAX_TOKEN_LIFETIME_SECONDS = 86_400;
/** Largest token answer read: a token answer is a few hundred bytes (a JWT access token a few KB). */
export const MAX_TOKEN_ANSWER_BYTES = 64 * 1024;

/**
 * `expires_in` (RFC 6749 §5.1: seconds, a JSON number; some servers send a numeric string) as a lifetime within
 * [MIN_TOKEN_LIFETIME_SECONDS, MAX_TOKEN_LIFETIME_SECONDS]. Absent, not a number ('abc', an object), 0 or negative:
 * the server told us nothing usable (some send 0 for "does not expire"), so the default lifetime — if the token is
 * in fact dead, the API's 401 drops it and the client's one retry fetches another. Huge (1e300, Infinity): a day.
 */
export function tokenLifetimeSeconds(expiresIn: unknown, defaultSeconds: number): number {
  const value = typeof expiresIn === 'number' ? expiresIn : typeof expiresIn === 'string' && expiresIn.trim() !== '' ? Number(expiresIn) : Number.NaN;
  const seconds = Number.isNaN(value) || value <= 0 ? defaultSeconds : value;
  return Math.min(MAX_TOKEN_LIFETIME_SECONDS, Math.max(MIN_TOKEN_LIFETIME_SECONDS, seconds));
}

const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', 'token_type must be Bearer'),
  // Read leniently and clamped (tokenLifetimeSeconds): a bad lifetime is no reason to refuse a good token.
  expires_in: z.unknown().optional(),
});

const OAuthError = z.object({ error: z.string(), error_description: z.string().optional() });

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded. */
const basicAuth = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal, supplier: string): Promise<T> {
  const aborted = () => new RegistryError('CALL_ABORTED', `${supplier} token request aborted`, { supplier, operation: 'token' });
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function createClientCredentialsAuth(options: ClientCredentialsOptions): ClientCredentialsAuth {
  const now = options.now ?? Date.now;
  const skewMs = options.refreshSkewMs ?? 30_000;
  let cached: CachedToken | null = null;
  let inFlight: Promise<CachedToken> | null = null;
  let pair: ClientCredentialPair = { clientId: options.clientId, clientSecret: options.clientSecret };
  // Reads are numbered so a slow one that lands late never replaces what a later read found.
  let readsStarted = 0;
  let newestApplied = 0;

  /** The newest pair the reader gives within the timeout, else the last one it gave. */
  async function currentPair(): Promise<ClientCredentialPair> {
    const read = options.readCredentials;
    if (!read) return pair;
    const n = ++readsStarted;
    const fresh = read().then(
      (value) => {
        if (n > newestApplied) {
          newestApplied = n;
          pair = value;
        }
        return value;
      },
      () => null,
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), options.credentialsReadTimeoutMs ?? 2_000)));
    try {
      await Promise.race([fresh, late]);
    } finally {
      clearTimeout(timer);
    }
    return pair;
  }

  const refusedUs = (error: unknown): boolean => isRegistryError(error) && error.code === 'MISCONFIGURED';

  /** A token for the current pair; when refused, one retry if the pair has changed since (a rotation). */
  async function grant(): Promise<CachedToken> {
    const sent = await currentPair();
    try {
      return await requestToken(sent);
    } catch (error) {
      if (!options.readCredentials || !refusedUs(error)) throw error;
      const latest = await currentPair();
      if (latest.clientId === sent.clientId && latest.clientSecret === sent.clientSecret) throw error;
      return requestToken(latest);
    }
  }

  async function requestToken({ clientId, clientSecret }: ClientCredentialPair): Promise<CachedToken> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (options.scope) form.set('scope', options.scope);
    if (options.clientAuth === 'body') {
      form.set('client_id', clientId);
      form.set('client_secret', clientSecret);
    }
    const timeoutMs = options.timeoutMs ?? 10_000;
    const answer = await exchange(
      {
        url: options.tokenUrl,
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
          ...(options.clientAuth === 'body' ? {} : { authorization: basicAuth(clientId, clientSecret) }),
        },
        body: form.toString(),
        signal: AbortSignal.timeout(timeoutMs),
        supplier: options.supplier,
        operation: 'token',
        label: 'POST token',
        maxAnswerBytes: MAX_TOKEN_ANSWER_BYTES,
      },
      options.fetch,
    ).catch((error: unknown) => {
      // Our own deadline fired (no caller aborts this shared request): that is a slow supplier.
      if (isRegistryError(error) && error.code === 'CALL_ABORTED') {
        throw new RegistryError('SUPPLIER_TIMEOUT', `${options.supplier} token request exceeded ${timeoutMs} ms`, { supplier: options.supplier, operation: 'token' });
      }
      throw error;
    });
    let json: unknown;
    try {
      json = JSON.parse(answer.text);
    } catch {
      json = undefined;
    }
    if (answer.status < 200 || answer.status >= 300) {
      const oauth = OAuthError.safeParse(json);
      const info: SupplierErrorInfo = oauth.success ? { code: oauth.data.error, ...(oauth.data.error_description ? { message: oauth.data.error_description } : {}) } : {};
      const error = errorForStatus(answer.status, answer.headers, info, { supplier: options.supplier, operation: 'token', method: 'POST', path: 'token' });
      // The token endpoint refusing us (invalid_client, unauthorized_client, invalid_scope...) is our config.
      if (answer.status >= 400 && answer.status < 500 && answer.status !== 429) {
        // Our words only: the OAuth error code is the supplier's text and stays in details (cleaned).
        throw new RegistryError('MISCONFIGURED', `${options.supplier} token endpoint refused our client credentials (HTTP ${answer.status})`, {
          supplier: options.supplier,
          operation: 'token',
          details: error.details,
        });
      }
      throw error;
    }
    const parsed = TokenResponse.safeParse(json);
    if (!parsed.success) {
      throw new RegistryError('CONTRACT_VIOLATION', `${options.supplier} token answer does not match RFC 6749 §5.1`, {
        supplier: options.supplier,
        operation: 'token',
        details: { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
      });
    }
    const lifetimeMs = tokenLifetimeSeconds(parsed.data.expires_in, options.defaultLifetimeSeconds ?? 300) * 1000;
    return { value: parsed.data.access_token, refreshAt: now() + lifetimeMs - Math.min(skewMs, lifetimeMs / 2) };
  }

  async function token(signal: AbortSignal): Promise<string> {
    if (cached && now() < cached.refreshAt) return cached.value;
    if (!inFlight) {
      inFlight = grant()
        .then((fresh) => (cached = fresh))
        .catch((error: unknown) => {
          if (isRegistryError(error)) throw error;
          throw new RegistryError('INTERNAL', `${options.supplier} token request failed`, { supplier: options.supplier, operation: 'token', cause: error });
        })
        .finally(() => (inFlight = null));
    }
    return (await raceAbort(inFlight, signal, options.supplier)).value;
  }

  return {
    token,
    invalidate: () => {
      cached = null;
    },
    async headers(signal) {
      return { authorization: `Bearer ${await token(signal)}` };
    },
    async refresh(rejected) {
      // Only drop the token that was refused: a concurrent caller may already have fetched a newer one.
      if (cached && rejected['authorization'] === `Bearer ${cached.value}`) cached = null;
      return true;
    },
  };
}
