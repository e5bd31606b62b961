import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryCredentialStore } from '../../adapters/storage/memory/credential-store.ts';
import { expectRegistryCode } from '../../test/contract/registry-error-assert.ts';
import { createCredentialVault } from './credential-vault.ts';
import { createEnvKms } from './envelope.ts';
import { KeyEncryptionKey } from './key-encryption-key.ts';

const kek = (id: string) => new KeyEncryptionKey(id, randomBytes(32));

describe('credential vault', () => {
  it('stores only ciphertext, and reads the newest value of each field in memory', async () => {
    const store = createMemoryCredentialStore();
    const vault = createCredentialVault({ store, kms: createEnvKms({ current: kek('k1') }) });
    await vault.set('brightline', 'clientId', 'bl-client');
    await vault.set('brightline', 'clientSecret', 'first-secret');
    const second = await vault.set('brightline', 'clientSecret', 'second-secret');
    expect(second).toEqual({ supplier: 'brightline', field: 'clientSecret', version: 2, kekId: 'k1', createdAt: expect.any(String) });
    expect(second).not.toHaveProperty('ciphertext');
    expect(await vault.read('brightline')).toEqual({ clientId: 'bl-client', clientSecret: 'second-secret' });
    expect(await vault.read('maplecart')).toEqual({});
    const stored = JSON.stringify(await store.all());
    for (const plain of ['bl-client', 'first-secret', 'second-secret']) expect(stored).not.toContain(plain);
    expect((await vault.list()).map((c) => `${c.field}#${c.version}`)).toEqual(['clientId#1', 'clientSecret#2']);
    expect(JSON.stringify(await vault.list())).not.toContain('v1.');
  });

  it('keeps the previous version for rollback and deletes older ones', async () => {
    const store = createMemoryCredentialStore();
    const vault = createCredentialVault({ store, kms: createEnvKms({ current: kek('k1') }) });
    for (const value of ['a', 'b', 'c', 'd']) await vault.set('maplecart', 'accessToken', value);
    expect((await store.all()).map((c) => c.version)).toEqual([3, 4]);
  });

  it('rotates the KEK without downtime: readers with both keys open everything before, during and after', async () => {
    const store = createMemoryCredentialStore();
    const oldKek = kek('old');
    const newKek = kek('new');
    await createCredentialVault({ store, kms: createEnvKms({ current: oldKek }) }).set('brightline', 'clientSecret', 's1');
    await createCredentialVault({ store, kms: createEnvKms({ current: oldKek }) }).set('harborpromo', 'password', 'p1');
    const both = createCredentialVault({ store, kms: createEnvKms({ current: newKek, previous: [oldKek] }) });
    const oldOnly = createCredentialVault({ store, kms: createEnvKms({ current: oldKek }) });
    expect(await both.read('brightline')).toEqual({ clientSecret: 's1' });
    // A credential set during the rollout is sealed under the new key already.
    expect((await both.set('maplecart', 'accessToken', 't1')).kekId).toBe('new');

    const summary = await both.rotate();
    expect(summary).toEqual({ kekId: 'new', rewrapped: 2, alreadyCurrent: 1, failed: [] });
    expect((await store.all()).every((c) => c.kekId === 'new')).toBe(true);
    expect(await both.read('harborpromo')).toEqual({ password: 'p1' });
    expect(await createCredentialVault({ store, kms: createEnvKms({ current: newKek }) }).read('brightline')).toEqual({ clientSecret: 's1' });
    // Once re-wrapped, a process that only knows the old key can no longer open them: drop it only after rotating.
    await expectRegistryCode(oldOnly.read('brightline'), 'MISCONFIGURED');
    expect(await both.rotate()).toEqual({ kekId: 'new', rewrapped: 0, alreadyCurrent: 3, failed: [] });
  });

  it('reports versions whose KEK is not configured, and carries on', async () => {
    const store = createMemoryCredentialStore();
    await createCredentialVault({ store, kms: createEnvKms({ current: kek('lost') }) }).set('brightline', 'clientSecret', 's');
    await createCredentialVault({ store, kms: createEnvKms({ current: kek('old') }) }).set('maplecart', 'accessToken', 't');
    const summary = await createCredentialVault({ store, kms: createEnvKms({ current: kek('new') }) }).rotate();
    expect(summary.rewrapped).toBe(0);
    expect(summary.failed.map((f) => f.kekId).sort()).toEqual(['lost', 'old']);
  });

  it('without SECRETS_KEK: nothing stored reads as empty, anything stored is a configuration error', async () => {
    const store = createMemoryCredentialStore();
    const none = createCredentialVault({ store, kms: undefined });
    expect(await none.read('brightline')).toEqual({});
    await expectRegistryCode(none.set('brightline', 'clientSecret', 'x'), 'MISCONFIGURED');
    await createCredentialVault({ store, kms: createEnvKms({ current: kek('k') }) }).set('brightline', 'clientSecret', 'x');
    await expectRegistryCode(none.read('brightline'), 'MISCONFIGURED');
    await expectRegistryCode(none.rotate(), 'MISCONFIGURED');
  });

  it('refuses empty values', async () => {
    const vault = createCredentialVault({ store: createMemoryCredentialStore(), kms: createEnvKms({ current: kek('k') }) });
    await expectRegistryCode(vault.set('brightline', 'clientSecret', ''), 'INVALID_INPUT');
  });
});
