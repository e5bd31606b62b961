/**
 * Authentication at the gateway, on a real stack in AUTH_MODE=required with a local identity provider: every
 * refused credential gets 401 UNAUTHENTICATED with its reason, and a refused request changes nothing (checked on a
 * mutation: no token is issued).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintJwt, newSigningKey, startSecureStack, type SecureStack } from './support.ts';

const ISSUE = `mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token apiToken { id tenant scopes } } }`;
const ISSUE_VARIABLES = { input: { tenant: 'intruder', scopes: ['admin'] } };

describe('partner authentication (gateway)', () => {
  let s: SecureStack;
  const tokenCount = async () => (await s.stack.stores.tokens.list({ includeRevoked: true })).length;

  beforeAll(async () => {
    s = await startSecureStack();
  }, 300_000);

  afterAll(async () => {
    await s?.close();
  });

  /** The refusal every bad credential must get, and proof that the mutation it carried did nothing. */
  async function expectRefused(authorization: string | undefined, reason: string) {
    const before = await tokenCount();
    const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
    const { status, json, headers: responseHeaders } = await s.query(undefined, { query: ISSUE, variables: ISSUE_VARIABLES }, headers);
    expect(status).toBe(401);
    expect(json.data).toBeUndefined();
    expect(json.errors).toHaveLength(1);
    expect(json.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason, requestId: expect.any(String) });
    expect(responseHeaders.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await tokenCount()).toBe(before);
  }

  it('accepts a valid RS256 JWT and an ES256 one, and tells the caller who it is', async () => {
    const jwt = await mintJwt(s.key, { tenant: 'acme', scope: 'catalog:read orders:read', sub: 'app-1' });
    const { status, json } = await s.query(jwt, { query: '{ viewer { subject tenant scopes suppliers authentication } }' });
    expect(status).toBe(200);
    expect(json).toEqual({ data: { viewer: { subject: 'app-1', tenant: 'acme', scopes: ['catalog:read', 'orders:read'], suppliers: null, authentication: 'JWT' } } });

    const es = await newSigningKey('es-key', 'ES256');
    s.jwks.publish([s.key, es]);
    const esJwt = await mintJwt(es, { tenant: 'acme', scope: 'catalog:read' });
    expect((await s.query(esJwt, { query: '{ viewer { tenant } }' })).json).toEqual({ data: { viewer: { tenant: 'acme' } } });
  });

  it('refuses a request without credentials', async () => {
    await expectRefused(undefined, 'missing');
  });

  it('refuses an expired JWT (beyond the clock skew)', async () => {
    await expectRefused(`Bearer ${await mintJwt(s.key, { scope: 'admin', expiresIn: -60 })}`, 'expired');
  });

  it('refuses a forged JWT: signed by a key the identity provider never published, under its key id', async () => {
    const forger = await newSigningKey('key-1');
    await expectRefused(`Bearer ${await mintJwt(forger, { scope: 'admin' })}`, 'invalid_signature');
  });

  it('refuses a JWT whose payload was altered after signing', async () => {
    const [header, , signature] = (await mintJwt(s.key, { scope: 'catalog:read' })).split('.');
    const payload = Buffer.from(JSON.stringify({ tenant: 'acme', scope: 'admin', sub: 'x', iss: 'https://idp.test.example/', aud: 'dropship-graph', exp: Math.floor(Date.now() / 1000) + 300 })).toString('base64url');
    await expectRefused(`Bearer ${header}.${payload}.${signature}`, 'invalid_signature');
  });

  it('refuses a JWT for another audience, and one from another issuer', async () => {
    await expectRefused(`Bearer ${await mintJwt(s.key, { scope: 'admin', aud: 'some-other-api' })}`, 'invalid_claims');
    await expectRefused(`Bearer ${await mintJwt(s.key, { scope: 'admin', iss: 'https://evil.example/' })}`, 'invalid_claims');
  });

  it('refuses an unsigned ("alg": "none") JWT and garbage', async () => {
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const unsigned = `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ tenant: 'acme', scope: 'admin', sub: 'x', iss: 'https://idp.test.example/', aud: 'dropship-graph', exp: 9_999_999_999 })}.`;
    await expectRefused(`Bearer ${unsigned}`, 'invalid_signature');
    await expectRefused('Bearer not-a-token', 'malformed');
    await expectRefused('Basic dXNlcjpwYXNz', 'malformed');
  });

  it('refuses a JWT without a tenant claim', async () => {
    await expectRefused(`Bearer ${await mintJwt(s.key, { scope: 'admin', tenant: '' })}`, 'invalid_claims');
  });

  it('follows a key rotation without a restart: a token under the new key id is accepted, the retired key refused', async () => {
    const next = await newSigningKey('key-2');
    s.jwks.publish([next]);
    const fetchesBefore = s.jwks.fetches();
    const fresh = await mintJwt(next, { tenant: 'acme', scope: 'catalog:read' });
    expect((await s.query(fresh, { query: '{ viewer { tenant } }' })).json).toEqual({ data: { viewer: { tenant: 'acme' } } });
    expect(s.jwks.fetches()).toBeGreaterThan(fetchesBefore);
    // Keys are cached: the next request with the new key does not fetch again.
    const fetchesAfter = s.jwks.fetches();
    expect((await s.query(fresh, { query: '{ viewer { tenant } }' })).status).toBe(200);
    expect(s.jwks.fetches()).toBe(fetchesAfter);
    // key-1 was retired from the set that is now cached.
    await expectRefused(`Bearer ${await mintJwt(s.key, { scope: 'admin' })}`, 'invalid_signature');
    s.jwks.publish([s.key]);
  });

  it('answers 503, not 401, when the identity provider cannot be reached for a key it has not seen', async () => {
    s.jwks.setDown(true);
    try {
      const unseen = await newSigningKey('key-unseen');
      const { status, json, headers } = await s.query(await mintJwt(unseen, { scope: 'catalog:read' }), { query: '{ viewer { tenant } }' });
      expect(status).toBe(503);
      expect(json.errors[0].extensions.code).toBe('AUTHENTICATION_UNAVAILABLE');
      expect(headers.get('retry-after')).toBe('5');
    } finally {
      s.jwks.setDown(false);
    }
  });

  it('accepts an API token; refuses a revoked one at the next request, an expired one, and an unknown one', async () => {
    const { token, id } = await s.issue('acme', ['catalog:read']);
    expect((await s.query(token, { query: '{ viewer { subject authentication } }' })).json).toEqual({ data: { viewer: { subject: id, authentication: 'API_TOKEN' } } });

    await s.stack.stores.tokens.revoke(id, new Date().toISOString());
    await expectRefused(`Bearer ${token}`, 'revoked');

    const expiring = await s.issue('acme', ['admin'], { expiresInDays: 1 });
    const record = (await s.stack.stores.tokens.get(expiring.id))!;
    // Age it: the store is the truth the gateway reads on every request.
    await s.stack.stores.tokens.clear();
    await s.stack.stores.tokens.insert({ ...record, expiresAt: new Date(Date.now() - 1_000).toISOString() });
    await expectRefused(`Bearer ${expiring.token}`, 'expired');

    await expectRefused(`Bearer dsk_${'A'.repeat(43)}`, 'unknown_token');
  });

  describe('token administration (admin scope)', () => {
    it('lets an admin issue, list and revoke tokens; the issued token works once, and is never listed', async () => {
      const admin = await s.issue('operator', ['admin']);
      const issued = await s.query(admin.token, { query: ISSUE, variables: { input: { tenant: 'globex', scopes: ['orders:read', 'catalog:read'], label: 'globex app', suppliers: ['maplecart'] } } });
      expect(issued.status).toBe(200);
      const { token, apiToken } = issued.json.data.issueApiToken;
      expect(token).toMatch(/^dsk_[A-Za-z0-9_-]{43}$/);
      expect(apiToken).toMatchObject({ tenant: 'globex', scopes: ['catalog:read', 'orders:read'] });

      const viewer = await s.query(token, { query: '{ viewer { tenant scopes suppliers } }' });
      expect(viewer.json.data.viewer).toEqual({ tenant: 'globex', scopes: ['catalog:read', 'orders:read'], suppliers: ['maplecart'] });

      const listed = await s.query(admin.token, { query: '{ apiTokens(tenant: "globex") { id hint label createdBy revokedAt } }' });
      expect(listed.json.data.apiTokens).toEqual([{ id: apiToken.id, hint: token.slice(-4), label: 'globex app', createdBy: admin.id, revokedAt: null }]);
      expect(JSON.stringify(listed.json)).not.toContain(token);

      const revoked = await s.query(admin.token, { query: 'mutation($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }', variables: { id: apiToken.id } });
      expect(Date.parse(revoked.json.data.revokeApiToken.revokedAt)).not.toBeNaN();
      expect((await s.query(token, { query: '{ viewer { tenant } }' })).status).toBe(401);
    });

    it('refuses token administration to a partner without the admin scope, naming the scope, and issues nothing', async () => {
      const partner = await s.issue('acme', ['catalog:read', 'orders:read', 'orders:write', 'inventory:read']);
      const before = await tokenCount();
      const { status, json } = await s.query(partner.token, { query: ISSUE, variables: ISSUE_VARIABLES });
      expect(status).toBe(403);
      expect(json.data).toBeUndefined();
      expect(json.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', missingScopes: ['admin'] });
      expect(json.errors[0].message).toContain('Mutation.issueApiToken');
      expect(await tokenCount()).toBe(before);
      const list = await s.query(partner.token, { query: '{ apiTokens { id } }' });
      expect(list.json.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', missingScopes: ['admin'] });
    });

    it('records issue, use, denials and revocation in the audit log, by token id and never the token', async () => {
      const admin = await s.issue('operator', ['admin']);
      const issued = await s.query(admin.token, { query: ISSUE, variables: { input: { tenant: 'initech', scopes: ['catalog:read'] } } });
      const { token, apiToken } = issued.json.data.issueApiToken;
      expect((await s.query(token, { query: '{ viewer { tenant } }' })).status).toBe(200);
      expect((await s.query(token, { query: 'query Tokens { apiTokens { id } }' })).status).toBe(403);
      await s.query(admin.token, { query: 'mutation($id: ID!) { revokeApiToken(id: $id) { id } }', variables: { id: apiToken.id } });
      expect((await s.query(token, { query: '{ viewer { tenant } }' })).status).toBe(401);

      const entries = async (actor: string) => (await s.stack.stores.audit.list({ actor }, 50, null)).items.map((e) => `${e.action} ${e.outcome} ${e.target} ${e.reason ?? ''}`.trim()).reverse();
      // Token use is recorded in the background: give it a moment.
      await expect.poll(() => entries(`token:${apiToken.id}`), { timeout: 5_000 }).toEqual([
        `token.used success token:${apiToken.id}`,
        `token.used success token:${apiToken.id}`,
        'token.denied denied operation:Tokens FORBIDDEN',
        `token.denied denied token:${apiToken.id} UNAUTHENTICATED`,
      ]);
      const byAdmin = (await entries(`token:${admin.id}`)).filter((e) => !e.startsWith('token.used'));
      expect(byAdmin).toEqual([`token.issued success token:${apiToken.id}`, `token.revoked success token:${apiToken.id}`]);
      const all = await s.stack.stores.audit.list({}, 500, null);
      expect(JSON.stringify(all)).not.toContain(token);
    });

    it('validates what an admin issues: unknown scopes and suppliers are INVALID_INPUT', async () => {
      const admin = await s.issue('operator', ['admin']);
      const before = await tokenCount();
      const bad = await s.query(admin.token, { query: ISSUE, variables: { input: { tenant: 'acme', scopes: ['orders:delete'] } } });
      expect(bad.json.errors[0].extensions.code).toBe('INVALID_INPUT');
      const badSupplier = await s.query(admin.token, { query: ISSUE, variables: { input: { tenant: 'acme', scopes: ['catalog:read'], suppliers: ['nobody'] } } });
      expect(badSupplier.json.errors[0].extensions.code).toBe('INVALID_INPUT');
      expect(await tokenCount()).toBe(before);
    });
  });
});
