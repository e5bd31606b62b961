/**
 * One contract for every TokenStore. The concurrency case revokes one token from many callers at once: every
 * caller must see the same revocation time (a read-then-write would let each keep its own).
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateApiToken, hashApiToken } from '../../platform/auth/api-token.ts';
import type { ApiTokenRecord, TokenStore } from '../../platform/ports/token-store.ts';

export type TokenStoreFactory = () => Promise<TokenStore>;

export function newTokenRecord(overrides: Partial<ApiTokenRecord> = {}): { token: string; record: ApiTokenRecord } {
  const secret = generateApiToken();
  return {
    token: secret.token,
    record: {
      id: secret.id,
      hash: secret.hash,
      hint: secret.hint,
      tenant: 'acme',
      scopes: ['orders:read'],
      suppliers: null,
      label: 'test',
      createdBy: 'cli',
      createdAt: '2026-01-01T00:00:00.000Z',
      expiresAt: null,
      revokedAt: null,
      ...overrides,
    },
  };
}

export function describeTokenStoreContract(name: string, make: TokenStoreFactory): void {
  describe(`TokenStore contract: ${name}`, () => {
    let store: TokenStore;

    beforeAll(async () => {
      store = await make();
    });

    beforeEach(async () => {
      await store.clear();
    });

    it('finds a token by the hash of what the caller sent, and by id; never by the token itself', async () => {
      const { token, record } = newTokenRecord({ suppliers: ['brightline'], expiresAt: '2027-01-01T00:00:00.000Z' });
      await store.insert(record);
      expect(await store.findByHash(hashApiToken(token))).toEqual(record);
      expect(await store.get(record.id)).toEqual(record);
      expect(await store.findByHash(token)).toBeNull();
      expect(await store.findByHash(hashApiToken(`${token}x`))).toBeNull();
      expect(await store.get('tok_nope')).toBeNull();
    });

    it('refuses a second token with the same hash', async () => {
      const { record } = newTokenRecord();
      await store.insert(record);
      await expect(store.insert({ ...record, id: 'tok_other' })).rejects.toThrow();
      expect(await store.list({ includeRevoked: true })).toHaveLength(1);
    });

    it('lists by tenant, oldest first, revoked ones only when asked', async () => {
      const a1 = newTokenRecord({ tenant: 'a', createdAt: '2026-01-01T00:00:01.000Z' }).record;
      const a2 = newTokenRecord({ tenant: 'a', createdAt: '2026-01-01T00:00:02.000Z' }).record;
      const b1 = newTokenRecord({ tenant: 'b', createdAt: '2026-01-01T00:00:00.000Z' }).record;
      for (const r of [a2, b1, a1]) await store.insert(r);
      await store.revoke(a2.id, '2026-01-02T00:00:00.000Z');
      expect((await store.list({ tenant: 'a' })).map((t) => t.id)).toEqual([a1.id]);
      expect((await store.list({ tenant: 'a', includeRevoked: true })).map((t) => t.id)).toEqual([a1.id, a2.id]);
      expect((await store.list({})).map((t) => t.id)).toEqual([b1.id, a1.id]);
    });

    it('revokes once: the first revocation time is kept, and an unknown id is null', async () => {
      const { token, record } = newTokenRecord();
      await store.insert(record);
      const first = await store.revoke(record.id, '2026-02-01T00:00:00.000Z');
      expect(first?.revokedAt).toBe('2026-02-01T00:00:00.000Z');
      const again = await store.revoke(record.id, '2026-03-01T00:00:00.000Z');
      expect(again?.revokedAt).toBe('2026-02-01T00:00:00.000Z');
      expect((await store.findByHash(hashApiToken(token)))?.revokedAt).toBe('2026-02-01T00:00:00.000Z');
      expect(await store.revoke('tok_nope', '2026-02-01T00:00:00.000Z')).toBeNull();
    });

    it('agrees on one revocation time when many revoke at once', async () => {
      const { record } = newTokenRecord();
      await store.insert(record);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.revoke(record.id, new Date(Date.parse('2026-02-01T00:00:00.000Z') + i * 1000).toISOString())),
      );
      const times = new Set(results.map((r) => r?.revokedAt));
      expect(times.size).toBe(1);
      expect((await store.get(record.id))?.revokedAt).toBe([...times][0]);
    });

    it('returns copies: changing a returned record changes nothing stored', async () => {
      const { record } = newTokenRecord();
      await store.insert(record);
      const got = (await store.get(record.id)) as unknown as { scopes: string[] };
      got.scopes.push('admin');
      expect((await store.get(record.id))?.scopes).toEqual(['orders:read']);
    });
  });
}
