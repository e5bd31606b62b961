import { describe, expect, it } from 'vitest';
import { isRegistryError } from '../../kernel/errors.ts';
import { createMemoryTokenStore } from '../../adapters/storage/memory/token-store.ts';
import { hashApiToken } from '../../platform/auth/api-token.ts';
import { createMemoryAuditLogStore } from '../../adapters/storage/memory/audit-log.ts';
import { createAuditLog } from '../../platform/audit/audit-log.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { AuditLogStore } from '../../platform/ports/audit-log.ts';
import { createTokenService } from './token-service.ts';

const NOW = Date.parse('2026-03-01T00:00:00.000Z');
const BY = { actor: 'token:tok_admin', subject: 'tok_admin', requestId: 'req-1' };
const service = (auditStore: AuditLogStore = createMemoryAuditLogStore()) => {
  const tokens = createMemoryTokenStore();
  const audit = createAuditLog({ store: auditStore, log: silentLogger() });
  return { tokens, audit, service: createTokenService({ tokens, knownSuppliers: ['brightline', 'maplecart'], audit, now: () => NOW }) };
};
const codeOf = (error: unknown) => (isRegistryError(error) ? `${error.code}:${String(error.details?.['field'])}` : String(error));

describe('token service', () => {
  it('issues a random token, stores only its hash, and returns it once', async () => {
    const { tokens, audit, service: s } = service();
    const issued = await s.issue({ tenant: 'acme', scopes: ['orders:read', 'catalog:read', 'orders:read'], suppliers: ['maplecart'], label: 'shop', expiresInDays: 30 }, BY);
    expect(issued.token).toMatch(/^dsk_[A-Za-z0-9_-]{43}$/);
    expect(issued.record).toMatchObject({ tenant: 'acme', scopes: ['catalog:read', 'orders:read'], suppliers: ['maplecart'], label: 'shop', createdBy: 'tok_admin', createdAt: '2026-03-01T00:00:00.000Z', expiresAt: '2026-03-31T00:00:00.000Z', revokedAt: null });
    expect(issued.record.hash).toBe(hashApiToken(issued.token));
    expect(JSON.stringify(await tokens.list({ includeRevoked: true }))).not.toContain(issued.token);
    const second = await s.issue({ tenant: 'acme', scopes: ['catalog:read'] }, BY);
    expect(second.token).not.toBe(issued.token);
    expect(second.record.expiresAt).toBeNull();
    const entries = (await audit.list({ action: 'token.issued' }, 10, null)).items;
    expect(entries.map((e) => ({ actor: e.actor, tenant: e.tenant, target: e.target, requestId: e.requestId }))).toEqual([
      { actor: 'token:tok_admin', tenant: 'acme', target: `token:${second.record.id}`, requestId: 'req-1' },
      { actor: 'token:tok_admin', tenant: 'acme', target: `token:${issued.record.id}`, requestId: 'req-1' },
    ]);
    expect(JSON.stringify(entries)).not.toContain(issued.token);
  });

  it('refuses bad tenants, unknown or missing scopes, unknown suppliers and out-of-range expiry, storing nothing', async () => {
    const { tokens, service: s } = service();
    const attempts = [
      { tenant: 'Acme Corp', scopes: ['catalog:read'] },
      { tenant: 'acme', scopes: [] },
      { tenant: 'acme', scopes: ['orders:delete'] },
      { tenant: 'acme', scopes: ['catalog:read'], suppliers: ['nobody'] },
      { tenant: 'acme', scopes: ['catalog:read'], suppliers: [] },
      { tenant: 'acme', scopes: ['catalog:read'], expiresInDays: 0 },
    ];
    const codes = [];
    for (const attempt of attempts) codes.push(await s.issue(attempt, BY).then(() => 'issued', codeOf));
    expect(codes).toEqual(['INVALID_INPUT:tenant', 'INVALID_INPUT:scopes', 'INVALID_INPUT:scopes', 'INVALID_INPUT:suppliers', 'INVALID_INPUT:suppliers', 'INVALID_INPUT:expiresInDays']);
    expect(await tokens.list({ includeRevoked: true })).toEqual([]);
  });

  it('stores a token class on every token: as given, or operator for admin scopes and partner otherwise; a class alone gets its default scopes', async () => {
    const { tokens, service: s } = service();
    const storefront = await s.issue({ tenant: 'shop', tokenClass: 'storefront' }, BY);
    expect(storefront.record).toMatchObject({ tokenClass: 'storefront', scopes: ['catalog:read', 'inventory:read'] });
    const checkout = await s.issue({ tenant: 'shop', tokenClass: 'storefront', scopes: ['catalog:read', 'orders:write'] }, BY);
    expect(checkout.record).toMatchObject({ tokenClass: 'storefront', scopes: ['catalog:read', 'orders:write'] });
    expect((await s.issue({ tenant: 'acme', tokenClass: 'partner' }, BY)).record).toMatchObject({ tokenClass: 'partner', scopes: ['catalog:read', 'inventory:read', 'orders:read'] });
    expect((await s.issue({ tenant: 'ops', tokenClass: 'operator' }, BY)).record).toMatchObject({ tokenClass: 'operator', scopes: ['admin'] });
    expect((await s.issue({ tenant: 'acme', scopes: ['catalog:read'] }, BY)).record.tokenClass).toBe('partner');
    expect((await s.issue({ tenant: 'ops', scopes: ['admin'] }, BY)).record.tokenClass).toBe('operator');
    // As stored, not only as returned.
    expect((await tokens.get(storefront.record.id))?.tokenClass).toBe('storefront');
  });

  it('never gives admin to a storefront or partner token, and refuses an unknown class, storing nothing', async () => {
    const { tokens, service: s } = service();
    const attempts = [
      { tenant: 'shop', tokenClass: 'storefront', scopes: ['catalog:read', 'admin'] },
      { tenant: 'acme', tokenClass: 'partner', scopes: ['admin'] },
      { tenant: 'acme', tokenClass: 'shopper', scopes: ['catalog:read'] },
      { tenant: 'acme', tokenClass: 'STOREFRONT' },
    ];
    const codes = [];
    for (const attempt of attempts) codes.push(await s.issue(attempt, BY).then(() => 'issued', codeOf));
    expect(codes).toEqual(['INVALID_INPUT:scopes', 'INVALID_INPUT:scopes', 'INVALID_INPUT:tokenClass', 'INVALID_INPUT:tokenClass']);
    expect(await tokens.list({ includeRevoked: true })).toEqual([]);
  });

  it('revokes with the current time, idempotently', async () => {
    const { audit, service: s } = service();
    const { record } = await s.issue({ tenant: 'acme', scopes: ['catalog:read'] }, BY);
    expect((await s.revoke(record.id, BY))?.revokedAt).toBe('2026-03-01T00:00:00.000Z');
    expect(await s.list({ tenant: 'acme' })).toEqual([]);
    expect(await s.revoke('tok_unknown', BY)).toBeNull();
    expect((await audit.list({ action: 'token.revoked' }, 10, null)).items.map((e) => e.target)).toEqual([`token:${record.id}`]);
  });

  it('does not leave a token behind when its audit entry cannot be written', async () => {
    const failing: AuditLogStore = { append: async () => Promise.reject(new Error('audit store down')), list: async () => ({ items: [], nextCursor: null }) };
    const { tokens, service: s } = service(failing);
    await expect(s.issue({ tenant: 'acme', scopes: ['catalog:read'] }, BY)).rejects.toThrow(/audit store down/);
    const [left] = await tokens.list({ includeRevoked: true });
    expect(left?.revokedAt).not.toBeNull();
  });
});
