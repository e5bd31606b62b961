/** One contract for every CredentialStore: versions (also under concurrent writers), newest-first reads, re-wrap, pruning. */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CredentialStore, NewCredential } from '../../platform/ports/credential-store.ts';
import { expectRegistryCode } from './registry-error-assert.ts';

export type CredentialStoreFactory = () => Promise<CredentialStore>;

const sealed = (supplier: string, field: string, tag: string, kekId = 'kek-a'): NewCredential => ({
  supplier,
  field,
  ciphertext: `v1.wrapped-${tag}.iv.ct.tag`,
  kekId,
  createdAt: '2026-01-01T00:00:00.000Z',
});

export function describeCredentialStoreContract(name: string, make: CredentialStoreFactory): void {
  describe(`CredentialStore contract: ${name}`, () => {
    let store: CredentialStore;

    beforeAll(async () => {
      store = await make();
    });

    beforeEach(async () => {
      await store.clear();
    });

    it('numbers versions per (supplier, field) and reads the newest of each field', async () => {
      expect((await store.add(sealed('brightline', 'clientId', '1'))).version).toBe(1);
      expect((await store.add(sealed('brightline', 'clientSecret', '1'))).version).toBe(1);
      expect((await store.add(sealed('brightline', 'clientSecret', '2'))).version).toBe(2);
      await store.add(sealed('maplecart', 'accessToken', '1'));
      const latest = await store.latest('brightline');
      expect(latest.map((c) => [c.field, c.version, c.ciphertext])).toEqual([
        ['clientId', 1, 'v1.wrapped-1.iv.ct.tag'],
        ['clientSecret', 2, 'v1.wrapped-2.iv.ct.tag'],
      ]);
      expect((await store.latest()).map((c) => `${c.supplier}/${c.field}`)).toEqual(['brightline/clientId', 'brightline/clientSecret', 'maplecart/accessToken']);
      expect(await store.latest('harborpromo')).toEqual([]);
      expect((await store.all()).map((c) => c.version)).toEqual([1, 1, 2, 1]);
    });

    it('gives concurrent writers of one field distinct versions', async () => {
      const written = await Promise.all(Array.from({ length: 6 }, (_, i) => store.add(sealed('brightline', 'clientSecret', String(i)))));
      expect(written.map((c) => c.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await store.all()).length).toBe(6);
    });

    it('re-wraps a version only while it is still under the expected KEK', async () => {
      const first = await store.add(sealed('brightline', 'clientSecret', '1', 'kek-old'));
      expect(await store.rewrap(first, 'kek-old', { ciphertext: 'v1.rewrapped.iv.ct.tag', kekId: 'kek-new' })).toBe(true);
      expect(await store.rewrap(first, 'kek-old', { ciphertext: 'v1.again.iv.ct.tag', kekId: 'kek-new' })).toBe(false);
      expect(await store.rewrap({ ...first, version: 9 }, 'kek-old', { ciphertext: 'v1.x.iv.ct.tag', kekId: 'kek-new' })).toBe(false);
      const [stored] = await store.latest('brightline');
      expect(stored).toMatchObject({ version: 1, ciphertext: 'v1.rewrapped.iv.ct.tag', kekId: 'kek-new', createdAt: '2026-01-01T00:00:00.000Z' });
    });

    it('deletes old versions of one field only', async () => {
      for (let i = 0; i < 3; i += 1) await store.add(sealed('brightline', 'clientSecret', String(i)));
      await store.add(sealed('brightline', 'clientId', 'x'));
      expect(await store.deleteBelow('brightline', 'clientSecret', 3)).toBe(2);
      expect((await store.all()).map((c) => `${c.field}@${c.version}`)).toEqual(['clientId@1', 'clientSecret@3']);
      expect((await store.add(sealed('brightline', 'clientSecret', 'next'))).version).toBe(4);
    });

    it('refuses anything that is not a sealed envelope, and bad names', async () => {
      await expectRegistryCode(store.add({ ...sealed('brightline', 'clientSecret', '1'), ciphertext: 'hunter2' }), 'INVALID_INPUT');
      await expectRegistryCode(store.add(sealed('Bright Line', 'clientSecret', '1')), 'INVALID_INPUT');
      await expectRegistryCode(store.add(sealed('brightline', 'client secret', '1')), 'INVALID_INPUT');
      expect(await store.all()).toEqual([]);
    });
  });
}
