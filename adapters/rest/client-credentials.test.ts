import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isRegistryError, type RegistryError } from '../../kernel/errors.ts';
import { createClientCredentialsAuth, MAX_TOKEN_LIFETIME_SECONDS, MIN_TOKEN_LIFETIME_SECONDS, tokenLifetimeSeconds, type ClientCredentialsOptions } from './client-credentials.ts';
import { createJsonClient } from './json-client.ts';
import { json, startLocalServer, type LocalServer } from './local-test-server.ts';

const signal = () => new AbortController().signal;
let server: LocalServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A token endpoint that issues "tok-1", "tok-2", ... and an API that accepts only the tokens listed in `valid`. */
async function startIdentityProvider(options: { expiresIn?: number; tokenDelayMs?: number } = {}) {
  let issued = 0;
  const valid = new Set<string>();
  server = await startLocalServer(async (req, res) => {
    if (req.url === '/oauth/token') {
      if (options.tokenDelayMs) await new Promise((r) => setTimeout(r, options.tokenDelayMs));
      const token = `tok-${++issued}`;
      valid.add(token);
      return json(res, 200, { access_token: token, token_type: 'bearer', ...(options.expiresIn === undefined ? {} : { expires_in: options.expiresIn }) });
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    return token && valid.has(token) ? json(res, 200, { ok: true, token }) : json(res, 401, { error: { code: 'INVALID_TOKEN' } });
  });
  const grants = () => server!.requests.filter((r) => r.url === '/oauth/token');
  return { url: server.url, valid, grants };
}

function authFor(url: string, extra: Partial<ClientCredentialsOptions> = {}) {
  return createClientCredentialsAuth({ tokenUrl: `${url}/oauth/token`, clientId: 'my client', clientSecret: 's3cr:et&', supplier: 'acme', ...extra });
}

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(isRegistryError(error), String(error)).toBe(true);
  return error as RegistryError;
}

describe('createClientCredentialsAuth', () => {
  it('asks for a client_credentials grant with form-urlencoded Basic credentials, and caches the token', async () => {
    const idp = await startIdentityProvider({ expiresIn: 3600 });
    const auth = authFor(idp.url, { scope: 'orders' });
    expect(await auth.token(signal())).toBe('tok-1');
    expect(await auth.headers(signal())).toEqual({ authorization: 'Bearer tok-1' });
    expect(idp.grants()).toHaveLength(1);
    const grant = idp.grants()[0]!;
    expect(new URLSearchParams(grant.body).get('grant_type')).toBe('client_credentials');
    expect(new URLSearchParams(grant.body).get('scope')).toBe('orders');
    expect(grant.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const basic = Buffer.from(grant.headers.authorization!.replace(/^Basic /, ''), 'base64').toString();
    expect(basic).toBe('my%20client:s3cr%3Aet%26');
  });

  it('can send the credentials as form fields instead (client_secret_post)', async () => {
    const idp = await startIdentityProvider();
    await authFor(idp.url, { clientAuth: 'body' }).token(signal());
    const grant = idp.grants()[0]!;
    expect(grant.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(grant.body))).toEqual({ grant_type: 'client_credentials', client_id: 'my client', client_secret: 's3cr:et&' });
  });

  it('refreshes a token the skew ahead of its expiry', async () => {
    const idp = await startIdentityProvider({ expiresIn: 100 });
    let now = 1_000_000;
    const auth = authFor(idp.url, { refreshSkewMs: 30_000, now: () => now });
    await auth.token(signal());
    now += 69_999;
    expect(await auth.token(signal())).toBe('tok-1');
    now += 1;
    expect(await auth.token(signal())).toBe('tok-2');
  });

  it('refreshes a short-lived token at half its lifetime, so it is still used at all', async () => {
    const idp = await startIdentityProvider({ expiresIn: 2 });
    let now = 1_000_000;
    const auth = authFor(idp.url, { refreshSkewMs: 30_000, now: () => now });
    await auth.token(signal());
    now += 999;
    expect(await auth.token(signal())).toBe('tok-1');
    now += 1;
    expect(await auth.token(signal())).toBe('tok-2');
  });

  it('shares one token request among concurrent callers', async () => {
    const idp = await startIdentityProvider({ tokenDelayMs: 50 });
    const auth = authFor(idp.url);
    const tokens = await Promise.all([auth.token(signal()), auth.token(signal()), auth.token(signal())]);
    expect(tokens).toEqual(['tok-1', 'tok-1', 'tok-1']);
    expect(idp.grants()).toHaveLength(1);
  });

  it('lets one caller abort its wait without failing the shared token request for the others', async () => {
    const idp = await startIdentityProvider({ tokenDelayMs: 200 });
    const auth = authFor(idp.url);
    const impatient = new AbortController();
    const first = auth.token(impatient.signal);
    const second = auth.token(signal());
    setTimeout(() => impatient.abort(), 20);
    expect((await failure(first)).code).toBe('CALL_ABORTED');
    expect(await second).toBe('tok-1');
  });

  it.each([
    [401, { error: 'invalid_client', error_description: 'bad secret' }, 'MISCONFIGURED'],
    [400, { error: 'invalid_scope' }, 'MISCONFIGURED'],
    [429, { error: 'slow_down' }, 'SUPPLIER_THROTTLED'],
    [503, 'down for maintenance', 'SUPPLIER_UNAVAILABLE'],
  ])('maps a token endpoint HTTP %i to %s', async (status, body, code) => {
    server = await startLocalServer((_, res) => json(res, status, body, { 'retry-after': '4' }));
    const error = await failure(authFor(server.url).token(signal()));
    expect(error.code).toBe(code);
    expect(error.message).not.toContain('s3cr');
    if (typeof body === 'object') expect(error.details).toMatchObject({ status, supplierCode: body.error });
    if (status === 429) expect(error.retryAfterMs).toBe(4_000);
  });

  it.each([
    ['not JSON', '<html>'],
    ['no access_token', { token_type: 'Bearer' }],
    ['a token type other than Bearer', { access_token: 'x', token_type: 'mac' }],
  ])('reports a token answer with %s as a contract violation', async (_, body) => {
    server = await startLocalServer((__, res) => json(res, 200, body));
    expect((await failure(authFor(server.url).token(signal()))).code).toBe('CONTRACT_VIOLATION');
  });

  it('with the JSON client: a revoked token is refreshed once and the one request retried', async () => {
    const idp = await startIdentityProvider({ expiresIn: 3600 });
    const auth = authFor(idp.url);
    const client = createJsonClient({ baseUrl: idp.url, supplier: 'acme', auth });
    const Answer = z.object({ ok: z.boolean(), token: z.string() });
    const call = () => client.request({ method: 'GET', path: '/v1/thing', schema: Answer, signal: signal(), operation: 'thing' });
    expect((await call()).token).toBe('tok-1');
    idp.valid.delete('tok-1');
    expect((await call()).token).toBe('tok-2');
    const apiCalls = server!.requests.filter((r) => r.url === '/v1/thing').map((r) => r.headers.authorization);
    expect(apiCalls).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
    expect(idp.grants()).toHaveLength(2);
  });

  it('after a 401, keeps a newer token that another caller already fetched', async () => {
    const idp = await startIdentityProvider({ expiresIn: 3600 });
    const auth = authFor(idp.url);
    await auth.token(signal());
    auth.invalidate();
    await auth.token(signal());
    expect(await auth.refresh({ authorization: 'Bearer tok-1' }, signal())).toBe(true);
    expect(await auth.token(signal())).toBe('tok-2');
    expect(idp.grants()).toHaveLength(2);
  });
});

describe('createClientCredentialsAuth: the server-given token lifetime is clamped (issue 14, point 6)', () => {
  // expires_in 0 made the token answer a CONTRACT_VIOLATION (the supplier was unusable); 1e300 cached the token for
  // 31,700 years. Each value goes through the real token endpoint flow: grant, cache, refresh-before-expiry.
  async function lifetimeServer(expiresIn: unknown) {
    let issued = 0;
    server = await startLocalServer((_, res) => json(res, 200, `{"access_token":"tok-${++issued}","token_type":"Bearer","expires_in":${JSON.stringify(expiresIn)}}`));
    return server.url;
  }

  /** The ms after the grant at which the next token() call fetches a new token (30 s skew, capped at half the life). */
  async function refreshesAfter(expiresIn: unknown, expected: number) {
    const url = await lifetimeServer(expiresIn);
    let now = 1_000_000;
    const auth = authFor(url, { refreshSkewMs: 30_000, now: () => now });
    expect(await auth.token(signal())).toBe('tok-1');
    now += expected - 1;
    expect(await auth.token(signal())).toBe('tok-1');
    now += 1;
    expect(await auth.token(signal())).toBe('tok-2');
  }

  const DEFAULT_REFRESH = (300 - 30) * 1000; // defaultLifetimeSeconds 300, 30 s ahead
  const DAY_REFRESH = (86_400 - 30) * 1000;

  it.each([
    ['0 (some servers mean "does not expire")', 0, DEFAULT_REFRESH],
    ['-5', -5, DEFAULT_REFRESH],
    ["'abc'", 'abc', DEFAULT_REFRESH],
    ['null', null, DEFAULT_REFRESH],
    ['an object', { seconds: 60 }, DEFAULT_REFRESH],
    ['1e300', 1e300, DAY_REFRESH],
    ["'Infinity'", 'Infinity', DAY_REFRESH],
    ['0.001 (floored at 1 s, renewed at half of it)', 0.001, 500],
    ["'3600' (a numeric string)", '3600', (3600 - 30) * 1000],
  ])('expires_in %s: the token is used, and renewed ahead of the clamped expiry', async (_, expiresIn, expected) => {
    await refreshesAfter(expiresIn, expected);
  });

  it('keeps the window in the documented bounds', () => {
    expect(tokenLifetimeSeconds(1e300, 300)).toBe(MAX_TOKEN_LIFETIME_SECONDS);
    expect(tokenLifetimeSeconds(1e-9, 300)).toBe(MIN_TOKEN_LIFETIME_SECONDS);
    expect(tokenLifetimeSeconds(Number.NaN, 300)).toBe(300);
    expect([MIN_TOKEN_LIFETIME_SECONDS, MAX_TOKEN_LIFETIME_SECONDS]).toEqual([1, 86_400]);
  });
});

describe('createClientCredentialsAuth: the token endpoint\'s words stay out of error messages (issue 14, point 5)', () => {
  it('an OAuth error code of 60 KB with markup, NUL and invalid UTF-8 is cleaned and clipped into details, never the message', async () => {
    const code = Buffer.concat([Buffer.from('invalid_client<script>alert(1)</script>\\u0000'), Buffer.from([0xff, 0xfe]), Buffer.from('x'.repeat(60_000))]);
    server = await startLocalServer((_, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(Buffer.concat([Buffer.from('{"error":"'), code, Buffer.from('","error_description":"bad\\u0000 secret"}')]));
    });
    const error = await failure(authFor(server.url).token(signal()));
    expect(error.code).toBe('MISCONFIGURED');
    expect(error.message).toBe('acme token endpoint refused our client credentials (HTTP 401)');
    const supplierCode = error.details?.['supplierCode'] as string;
    expect(supplierCode.startsWith('invalid_client<script>alert(1)</script> x')).toBe(true);
    expect(supplierCode.length).toBeLessThanOrEqual(100);
    expect(supplierCode).not.toMatch(/[\u0000\uFFFD]/);
    expect(error.details?.['supplierMessage']).toBe('bad secret');
  });
});

describe('createClientCredentialsAuth with readCredentials (a client secret rotated without a restart)', () => {
  /** A token endpoint accepting the secrets in `accepted` (client_secret_basic), recording the secret of each request. */
  async function startRotatingProvider(accepted: Set<string>) {
    let issued = 0;
    const seen: string[] = [];
    server = await startLocalServer((req, res) => {
      const basic = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
      const secret = decodeURIComponent(basic.slice(basic.indexOf(':') + 1));
      seen.push(secret);
      if (!accepted.has(secret)) return json(res, 401, { error: 'invalid_client' });
      return json(res, 200, { access_token: `tok-${++issued}`, token_type: 'Bearer', expires_in: 3600 });
    });
    return { url: server.url, seen };
  }
  const pairWith = (clientSecret: string) => ({ clientId: 'my client', clientSecret });

  it('reads the credentials before every token request and uses what it reads', async () => {
    const idp = await startRotatingProvider(new Set(['old', 'new']));
    let stored = 'old';
    const auth = authFor(idp.url, { clientSecret: 'old', readCredentials: async () => pairWith(stored) });
    await auth.token(signal());
    stored = 'new';
    expect(await auth.token(signal())).toBe('tok-1'); // a cached token is not re-requested for a rotation
    auth.invalidate();
    expect(await auth.token(signal())).toBe('tok-2');
    expect(idp.seen).toEqual(['old', 'new']);
  });

  it('keeps the last pair read when a read fails or is too slow, rather than failing the token request', async () => {
    const idp = await startRotatingProvider(new Set(['old', 'new']));
    let reader: () => Promise<{ clientId: string; clientSecret: string }> = async () => pairWith('new');
    const auth = authFor(idp.url, { clientSecret: 'old', credentialsReadTimeoutMs: 20, readCredentials: () => reader() });
    await auth.token(signal());
    reader = async () => {
      throw new Error('store down');
    };
    auth.invalidate();
    await auth.token(signal());
    reader = () => new Promise(() => undefined);
    auth.invalidate();
    await auth.token(signal());
    expect(idp.seen).toEqual(['new', 'new', 'new']);
  });

  it('when the token endpoint refuses the pair, re-reads and retries once with a changed pair; never with the same one', async () => {
    const accepted = new Set(['new']);
    const idp = await startRotatingProvider(accepted);
    const reads = ['old', 'new'];
    const auth = authFor(idp.url, { clientSecret: 'old', readCredentials: async () => pairWith(reads.length > 1 ? reads.shift()! : reads[0]!) });
    expect(await auth.token(signal())).toBe('tok-1');
    expect(idp.seen).toEqual(['old', 'new']);

    accepted.clear();
    auth.invalidate();
    expect((await failure(auth.token(signal()))).code).toBe('MISCONFIGURED');
    expect(idp.seen).toEqual(['old', 'new', 'new']);
  });
});
