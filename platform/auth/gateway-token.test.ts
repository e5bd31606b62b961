import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryAuthGuardStore } from '../../adapters/auth-guard/memory-auth-guard-store.ts';
import { silentLogger } from '../logger.ts';
import type { AuthGuardStore } from '../ports/auth-guard-store.ts';
import { createGatewayRequestVerifier } from './gateway-request-verifier.ts';
import { bodyHashOf, createGatewayTokenSigner, createGatewayTokenVerifier, GatewayTokenError } from './gateway-token.ts';
import type { Principal } from './principal.ts';

const SECRET = 'a'.repeat(32);
const OLD = 'b'.repeat(40);
const BODY = JSON.stringify({ query: '{ __typename }' });
const principal: Principal = { kind: 'api-token', subject: 'tok_1', tenant: 'acme', scopes: ['orders:read'], suppliers: ['maplecart'], tokenId: 'tok_1', tokenClass: 'storefront' };
const claims = (extra: Record<string, unknown> = {}) => ({ knd: 'jwt', ten: 'acme', scp: [], bdh: bodyHashOf(BODY), ...extra });

describe('gateway → subgraph token', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('carries the principal to the subgraph it was made for, with a fresh jti per signature', async () => {
    const signer = createGatewayTokenSigner(SECRET);
    const verifier = createGatewayTokenVerifier([SECRET]);
    const first = await verifier.verify(await signer.sign(principal, 'orders', BODY), 'orders', BODY);
    const second = await verifier.verify(await signer.sign(principal, 'orders', BODY), 'orders', BODY);
    expect(first.principal).toEqual(principal);
    expect(first.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.jti).not.toBe(first.jti);
  });

  it('is refused by every other subgraph (audience), without it, and when forged', async () => {
    const verifier = createGatewayTokenVerifier([SECRET]);
    const token = await createGatewayTokenSigner(SECRET).sign(principal, 'orders', BODY);
    await expect(verifier.verify(token, 'inventory', BODY)).rejects.toMatchObject({ reason: 'misdirected', message: expect.stringMatching(/not valid here \(aud\)/) });
    await expect(verifier.verify(undefined, 'orders', BODY)).rejects.toMatchObject({ reason: 'missing' });
    const forged = await createGatewayTokenSigner('c'.repeat(32)).sign({ ...principal, scopes: ['admin'] }, 'orders', BODY);
    await expect(verifier.verify(forged, 'orders', BODY)).rejects.toMatchObject({ name: 'GatewayTokenError', reason: 'invalid' });
  });

  it('is bound to the body it was signed for: one changed byte is refused', async () => {
    const verifier = createGatewayTokenVerifier([SECRET]);
    const token = await createGatewayTokenSigner(SECRET).sign(principal, 'orders', BODY);
    await expect(verifier.verify(token, 'orders', BODY.replace('__typename', '__typenamf'))).rejects.toMatchObject({ reason: 'body_mismatch' });
    await expect(verifier.verify(token, 'orders', '')).rejects.toMatchObject({ reason: 'body_mismatch' });
    // Bytes and the same text as a string hash alike: the subgraph hashes the bytes it read.
    await expect(verifier.verify(token, 'orders', Buffer.from(BODY))).resolves.toMatchObject({ principal: { tenant: 'acme' } });
  });

  it('reads a lazy body only for a genuine header (a forger cannot make the subgraph buffer it)', async () => {
    const verifier = createGatewayTokenVerifier([SECRET]);
    let reads = 0;
    const reader = async () => (reads++, BODY);
    const forged = await createGatewayTokenSigner('c'.repeat(32)).sign(principal, 'orders', BODY);
    await expect(verifier.verify(forged, 'orders', reader)).rejects.toMatchObject({ reason: 'invalid' });
    await expect(verifier.verify('x.y.z', 'orders', reader)).rejects.toMatchObject({ reason: 'invalid' });
    expect(reads).toBe(0);
    await expect(verifier.verify(await createGatewayTokenSigner(SECRET).sign(principal, 'orders', BODY), 'orders', reader)).resolves.toMatchObject({ principal });
    expect(reads).toBe(1);
  });

  it('refuses a token without a body hash or a jti (one signed before this change)', async () => {
    const key = new TextEncoder().encode(SECRET);
    const base = () => new SignJWT(claims({ bdh: undefined })).setProtectedHeader({ alg: 'HS256' }).setIssuer('dropship-gateway').setAudience('orders').setSubject('x').setIssuedAt().setExpirationTime('60s');
    const verifier = createGatewayTokenVerifier([SECRET]);
    await expect(verifier.verify(await base().setJti('j-1').sign(key), 'orders', BODY)).rejects.toMatchObject({ reason: 'body_mismatch' });
    const noJti = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).setIssuer('dropship-gateway').setAudience('orders').setSubject('x').setIssuedAt().setExpirationTime('60s').sign(key);
    await expect(verifier.verify(noJti, 'orders', BODY)).rejects.toMatchObject({ reason: 'invalid', message: expect.stringMatching(/jti/) });
  });

  it('expires after 60 seconds (plus 5 s of clock tolerance)', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00Z') });
    const token = await createGatewayTokenSigner(SECRET).sign(principal, 'orders', BODY);
    const verifier = createGatewayTokenVerifier([SECRET]);
    vi.setSystemTime(Date.parse('2026-01-01T00:01:04Z'));
    await expect(verifier.verify(token, 'orders', BODY)).resolves.toMatchObject({ acceptedUntilMs: Date.parse('2026-01-01T00:01:05Z') });
    vi.setSystemTime(Date.parse('2026-01-01T00:01:06Z'));
    await expect(verifier.verify(token, 'orders', BODY)).rejects.toMatchObject({ reason: 'expired' });
  });

  it('accepts the old secret during a rotation, and only HS256 with our issuer', async () => {
    const verifier = createGatewayTokenVerifier([SECRET, OLD]);
    expect((await verifier.verify(await createGatewayTokenSigner(OLD).sign(principal, 'orders', BODY), 'orders', BODY)).principal.tenant).toBe('acme');
    const key = new TextEncoder().encode(SECRET);
    const otherIssuer = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).setIssuer('someone').setAudience('orders').setSubject('x').setJti('j').setIssuedAt().setExpirationTime('60s').sign(key);
    await expect(verifier.verify(otherIssuer, 'orders', BODY)).rejects.toThrow(/iss/);
    const hs512 = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS512' }).setIssuer('dropship-gateway').setAudience('orders').setSubject('x').setJti('j').setIssuedAt().setExpirationTime('60s').sign(new TextEncoder().encode('d'.repeat(64)));
    await expect(verifier.verify(hs512, 'orders', BODY)).rejects.toBeInstanceOf(GatewayTokenError);
  });

  it('refuses malformed claims and short secrets', async () => {
    const key = new TextEncoder().encode(SECRET);
    const noTenant = await new SignJWT(claims({ ten: undefined })).setProtectedHeader({ alg: 'HS256' }).setIssuer('dropship-gateway').setAudience('orders').setSubject('x').setJti('j').setIssuedAt().setExpirationTime('60s').sign(key);
    await expect(createGatewayTokenVerifier([SECRET]).verify(noTenant, 'orders', BODY)).rejects.toThrow(/malformed claims/);
    expect(() => createGatewayTokenSigner('short')).toThrow(/at least 32/);
    expect(() => createGatewayTokenVerifier([])).toThrow(/at least one/);
  });

  it('drops scopes it does not know', async () => {
    const token = await createGatewayTokenSigner(SECRET).sign({ ...principal, scopes: ['orders:read', 'root' as never] }, 'orders', BODY);
    expect((await createGatewayTokenVerifier([SECRET]).verify(token, 'orders', BODY)).principal.scopes).toEqual(['orders:read']);
  });
});

describe('gateway request verifier (single use)', () => {
  const make = (claimsStore: AuthGuardStore = createMemoryAuthGuardStore(), fallback = createMemoryAuthGuardStore()) =>
    createGatewayRequestVerifier({ tokens: createGatewayTokenVerifier([SECRET]), claims: claimsStore, fallbackClaims: fallback, log: silentLogger() });

  it('accepts a header once; the same header again is a replay, for the same or another subgraph name', async () => {
    const verifier = make();
    const header = await createGatewayTokenSigner(SECRET).sign(principal, 'orders', BODY);
    await expect(verifier.verify(header, 'orders', BODY)).resolves.toEqual(principal);
    await expect(verifier.verify(header, 'orders', BODY)).rejects.toMatchObject({ reason: 'replayed' });
    await expect(verifier.verify(header, 'orders', '{}')).rejects.toMatchObject({ reason: 'body_mismatch' });
  });

  it('claims a jti only after the signature and body check out, for as long as the token is accepted', async () => {
    const claimed: { key: string; ttlMs: number }[] = [];
    const store = createMemoryAuthGuardStore();
    const spy: AuthGuardStore = { ...store, claimOnce: async (key, ttlMs) => (claimed.push({ key, ttlMs }), store.claimOnce(key, ttlMs)) };
    const verifier = make(spy);
    const header = await createGatewayTokenSigner(SECRET).sign(principal, 'orders', BODY);
    await expect(verifier.verify(header, 'orders', 'other body')).rejects.toMatchObject({ reason: 'body_mismatch' });
    await expect(verifier.verify(await createGatewayTokenSigner('e'.repeat(32)).sign(principal, 'orders', BODY), 'orders', BODY)).rejects.toMatchObject({ reason: 'invalid' });
    expect(claimed).toEqual([]);
    await verifier.verify(header, 'orders', BODY);
    expect(claimed).toHaveLength(1);
    expect(claimed[0]!.key).toMatch(/^gw-jti:orders:[0-9a-f-]{36}$/);
    expect(claimed[0]!.ttlMs).toBeGreaterThan(60_000);
    expect(claimed[0]!.ttlMs).toBeLessThanOrEqual(66_000);
  });

  it('still refuses replays (in this process) while the shared claim store fails', async () => {
    const broken: AuthGuardStore = { countFailure: async () => { throw new Error('redis down'); }, claimOnce: async () => { throw new Error('redis down'); }, close: async () => {} };
    const verifier = make(broken);
    const header = await createGatewayTokenSigner(SECRET).sign(principal, 'orders', BODY);
    await expect(verifier.verify(header, 'orders', BODY)).resolves.toEqual(principal);
    await expect(verifier.verify(header, 'orders', BODY)).rejects.toMatchObject({ reason: 'replayed' });
  });
});
