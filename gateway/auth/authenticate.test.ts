import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createMemoryTokenStore } from '../../adapters/storage/memory/token-store.ts';
import { generateApiToken } from '../../platform/auth/api-token.ts';
import { DEV_PRINCIPAL } from '../../platform/auth/principal.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { TokenStore } from '../../platform/ports/token-store.ts';
import { createAuthenticator } from './authenticate.ts';

async function withToken(tokens: TokenStore, overrides: { scopes?: string[]; expiresAt?: string | null; tokenClass?: string } = {}) {
  const secret = generateApiToken();
  await tokens.insert({
    id: secret.id, hash: secret.hash, hint: secret.hint, tenant: 'acme', scopes: overrides.scopes ?? ['orders:read'], suppliers: null, label: null,
    createdBy: 'test', createdAt: '2026-01-01T00:00:00.000Z', expiresAt: overrides.expiresAt ?? null, revokedAt: null,
    ...(overrides.tokenClass === undefined ? {} : { tokenClass: overrides.tokenClass }),
  });
  return secret;
}

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    const e = error as GraphQLError;
    return { code: e.extensions['code'], reason: e.extensions['reason'], status: (e.extensions['http'] as { status: number }).status };
  }
  throw new Error('expected a refusal');
};

describe('createAuthenticator', () => {
  it('acts as the built-in admin without credentials in dev mode only', async () => {
    const tokens = createMemoryTokenStore();
    expect(await createAuthenticator({ mode: 'dev', tokens, log: silentLogger() })(undefined)).toBe(DEV_PRINCIPAL);
    expect(await codeOf(createAuthenticator({ mode: 'required', tokens, log: silentLogger() })(undefined))).toEqual({ code: 'UNAUTHENTICATED', reason: 'missing', status: 401 });
  });

  it('still verifies credentials that are sent in dev mode', async () => {
    const auth = createAuthenticator({ mode: 'dev', tokens: createMemoryTokenStore(), log: silentLogger() });
    expect(await codeOf(auth(`Bearer dsk_${'x'.repeat(43)}`))).toMatchObject({ reason: 'unknown_token' });
  });

  it('maps an API token to its tenant, scopes and id; unknown scopes are dropped', async () => {
    const tokens = createMemoryTokenStore();
    const secret = await withToken(tokens, { scopes: ['orders:read', 'superuser'] });
    const principal = await createAuthenticator({ mode: 'required', tokens, log: silentLogger() })(`Bearer ${secret.token}`);
    expect(principal).toEqual({ kind: 'api-token', subject: secret.id, tenant: 'acme', scopes: ['orders:read'], tokenId: secret.id, tokenClass: 'partner' });
  });

  it('carries the stored token class; a token from before classes is operator with admin, else partner', async () => {
    const tokens = createMemoryTokenStore();
    const auth = createAuthenticator({ mode: 'required', tokens, log: silentLogger() });
    const classOf = async (overrides: Parameters<typeof withToken>[1]) => (await auth(`Bearer ${(await withToken(tokens, overrides)).token}`)).tokenClass;
    expect(await classOf({ tokenClass: 'storefront', scopes: ['catalog:read'] })).toBe('storefront');
    expect(await classOf({ tokenClass: 'operator', scopes: ['admin'] })).toBe('operator');
    expect(await classOf({ scopes: ['catalog:read'] })).toBe('partner');
    expect(await classOf({ scopes: ['admin'] })).toBe('operator');
  });

  it('refuses a stored token whose class is unknown, or whose scopes its class may not hold (UNAUTHENTICATED, invalid_claims)', async () => {
    const tokens = createMemoryTokenStore();
    const auth = createAuthenticator({ mode: 'required', tokens, log: silentLogger() });
    const unknown = await withToken(tokens, { tokenClass: 'shopper' });
    expect(await codeOf(auth(`Bearer ${unknown.token}`))).toEqual({ code: 'UNAUTHENTICATED', reason: 'invalid_claims', status: 401 });
    const storefrontAdmin = await withToken(tokens, { tokenClass: 'storefront', scopes: ['catalog:read', 'admin'] });
    expect(await codeOf(auth(`Bearer ${storefrontAdmin.token}`))).toEqual({ code: 'UNAUTHENTICATED', reason: 'invalid_claims', status: 401 });
  });

  it('refuses an expired token by the clock it is given', async () => {
    const tokens = createMemoryTokenStore();
    const secret = await withToken(tokens, { expiresAt: '2026-06-01T00:00:00.000Z' });
    const at = (iso: string) => createAuthenticator({ mode: 'required', tokens, log: silentLogger(), now: () => Date.parse(iso) });
    expect((await at('2026-05-31T23:59:59Z')(`Bearer ${secret.token}`)).tenant).toBe('acme');
    expect(await codeOf(at('2026-06-01T00:00:00Z')(`Bearer ${secret.token}`))).toMatchObject({ reason: 'expired' });
  });

  it('refuses JWTs when no identity provider is configured, and malformed headers', async () => {
    const auth = createAuthenticator({ mode: 'required', tokens: createMemoryTokenStore(), log: silentLogger() });
    expect(await codeOf(auth('Bearer a.b.c'))).toMatchObject({ reason: 'not_accepted' });
    expect(await codeOf(auth('Token abc'))).toMatchObject({ reason: 'malformed' });
    expect(await codeOf(auth('Bearer'))).toMatchObject({ reason: 'malformed' });
  });

  it('answers 503 when the token store fails, without leaking the failure', async () => {
    const broken: TokenStore = { ...createMemoryTokenStore(), findByHash: async () => Promise.reject(new Error('connection refused to 10.0.0.5')) };
    const refusal = await codeOf(createAuthenticator({ mode: 'required', tokens: broken, log: silentLogger() })(`Bearer ${generateApiToken().token}`));
    expect(refusal).toEqual({ code: 'AUTHENTICATION_UNAVAILABLE', reason: undefined, status: 503 });
  });
});
