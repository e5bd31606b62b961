import { describe, expect, it } from 'vitest';
import { isRegistryError } from '../../adapters/core/errors.ts';
import { createMemoryTokenStore } from '../../adapters/storage/memory/token-store.ts';
import { hashApiToken } from '../../platform/auth/api-token.ts';
import { createTokenService } from './token-service.ts';

const NOW = Date.parse('2026-03-01T00:00:00.000Z');
const service = () => {
  const tokens = createMemoryTokenStore();
  return { tokens, service: createTokenService({ tokens, knownSuppliers: ['brightline', 'maplecart'], now: () => NOW }) };
};
const codeOf = (error: unknown) => (isRegistryError(error) ? `${error.code}:${String(error.details?.['field'])}` : String(error));

describe('token service', () => {
  it('issues a random token, stores only its hash, and returns it once', async () => {
    const { tokens, service: s } = service();
    const issued = await s.issue({ tenant: 'acme', scopes: ['orders:read', 'catalog:read', 'orders:read'], suppliers: ['maplecart'], label: 'shop', expiresInDays: 30, createdBy: 'cli' });
    expect(issued.token).toMatch(/^dsk_[A-Za-z0-9_-]{43}$/);
    expect(issued.record).toMatchObject({ tenant: 'acme', scopes: ['catalog:read', 'orders:read'], suppliers: ['maplecart'], label: 'shop', createdBy: 'cli', createdAt: '2026-03-01T00:00:00.000Z', expiresAt: '2026-03-31T00:00:00.000Z', revokedAt: null });
    expect(issued.record.hash).toBe(hashApiToken(issued.token));
    expect(JSON.stringify(await tokens.list({ includeRevoked: true }))).not.toContain(issued.token);
    const second = await s.issue({ tenant: 'acme', scopes: ['catalog:read'], createdBy: 'cli' });
    expect(second.token).not.toBe(issued.token);
    expect(second.record.expiresAt).toBeNull();
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
    for (const attempt of attempts) codes.push(await s.issue({ ...attempt, createdBy: 'cli' }).then(() => 'issued', codeOf));
    expect(codes).toEqual(['INVALID_INPUT:tenant', 'INVALID_INPUT:scopes', 'INVALID_INPUT:scopes', 'INVALID_INPUT:suppliers', 'INVALID_INPUT:suppliers', 'INVALID_INPUT:expiresInDays']);
    expect(await tokens.list({ includeRevoked: true })).toEqual([]);
  });

  it('revokes with the current time, idempotently', async () => {
    const { service: s } = service();
    const { record } = await s.issue({ tenant: 'acme', scopes: ['catalog:read'], createdBy: 'cli' });
    expect((await s.revoke(record.id))?.revokedAt).toBe('2026-03-01T00:00:00.000Z');
    expect(await s.list({ tenant: 'acme' })).toEqual([]);
    expect(await s.revoke('tok_unknown')).toBeNull();
  });
});
