import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createGatewayTokenSigner, createGatewayTokenVerifier, GatewayTokenError } from './gateway-token.ts';
import type { Principal } from './principal.ts';

const SECRET = 'a'.repeat(32);
const OLD = 'b'.repeat(40);
const principal: Principal = { kind: 'api-token', subject: 'tok_1', tenant: 'acme', scopes: ['orders:read'], suppliers: ['maplecart'], tokenId: 'tok_1' };

describe('gateway → subgraph token', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('carries the principal to the subgraph it was made for', async () => {
    const token = await createGatewayTokenSigner(SECRET).sign(principal, 'orders');
    expect(await createGatewayTokenVerifier([SECRET]).verify(token, 'orders')).toEqual(principal);
  });

  it('is refused by every other subgraph (audience), without it, and when forged', async () => {
    const verifier = createGatewayTokenVerifier([SECRET]);
    const token = await createGatewayTokenSigner(SECRET).sign(principal, 'orders');
    await expect(verifier.verify(token, 'inventory')).rejects.toThrow(/not valid here \(aud\)/);
    await expect(verifier.verify(undefined, 'orders')).rejects.toThrow(/missing/);
    const forged = await createGatewayTokenSigner('c'.repeat(32)).sign({ ...principal, scopes: ['admin'] }, 'orders');
    await expect(verifier.verify(forged, 'orders')).rejects.toBeInstanceOf(GatewayTokenError);
  });

  it('expires after 60 seconds (plus 5 s of clock tolerance)', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00Z') });
    const token = await createGatewayTokenSigner(SECRET).sign(principal, 'orders');
    const verifier = createGatewayTokenVerifier([SECRET]);
    vi.setSystemTime(Date.parse('2026-01-01T00:01:04Z'));
    await expect(verifier.verify(token, 'orders')).resolves.toMatchObject({ tenant: 'acme' });
    vi.setSystemTime(Date.parse('2026-01-01T00:01:06Z'));
    await expect(verifier.verify(token, 'orders')).rejects.toThrow(/expired/);
  });

  it('accepts the old secret during a rotation, and only HS256 with our issuer', async () => {
    const verifier = createGatewayTokenVerifier([SECRET, OLD]);
    expect((await verifier.verify(await createGatewayTokenSigner(OLD).sign(principal, 'orders'), 'orders')).tenant).toBe('acme');
    const key = new TextEncoder().encode(SECRET);
    const otherIssuer = await new SignJWT({ knd: 'jwt', ten: 'acme', scp: [] }).setProtectedHeader({ alg: 'HS256' }).setIssuer('someone').setAudience('orders').setSubject('x').setIssuedAt().setExpirationTime('60s').sign(key);
    await expect(verifier.verify(otherIssuer, 'orders')).rejects.toThrow(/iss/);
    const hs512 = await new SignJWT({ knd: 'jwt', ten: 'acme', scp: [] }).setProtectedHeader({ alg: 'HS512' }).setIssuer('dropship-gateway').setAudience('orders').setSubject('x').setIssuedAt().setExpirationTime('60s').sign(new TextEncoder().encode('d'.repeat(64)));
    await expect(verifier.verify(hs512, 'orders')).rejects.toBeInstanceOf(GatewayTokenError);
  });

  it('refuses malformed claims and short secrets', async () => {
    const key = new TextEncoder().encode(SECRET);
    const noTenant = await new SignJWT({ knd: 'jwt', scp: [] }).setProtectedHeader({ alg: 'HS256' }).setIssuer('dropship-gateway').setAudience('orders').setSubject('x').setIssuedAt().setExpirationTime('60s').sign(key);
    await expect(createGatewayTokenVerifier([SECRET]).verify(noTenant, 'orders')).rejects.toThrow(/malformed claims/);
    expect(() => createGatewayTokenSigner('short')).toThrow(/at least 32/);
    expect(() => createGatewayTokenVerifier([])).toThrow(/at least one/);
  });

  it('drops scopes it does not know', async () => {
    const token = await createGatewayTokenSigner(SECRET).sign({ ...principal, scopes: ['orders:read', 'root' as never] }, 'orders');
    expect((await createGatewayTokenVerifier([SECRET]).verify(token, 'orders')).scopes).toEqual(['orders:read']);
  });
});
