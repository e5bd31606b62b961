import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { expectRegistryCode } from '../../test/contract/registry-error-assert.ts';
import { createEnvKms, credentialContext, openSecret, rewrapSecret, sealSecret } from './envelope.ts';
import { KeyEncryptionKey, parseKek } from './key-encryption-key.ts';

const kek = (id: string) => new KeyEncryptionKey(id, randomBytes(32));
const SECRET = 'client-secret-Ünïcode-🔑';
const context = credentialContext('brightline', 'clientSecret');

describe('envelope encryption (AES-256-GCM, a data key per secret, wrapped by a KEK)', () => {
  it('round-trips, and never carries the plaintext or the KEK in the sealed form', async () => {
    const key = kek('k1');
    const kms = createEnvKms({ current: key });
    const sealed = await sealSecret(kms, SECRET, context);
    expect(sealed.kekId).toBe('k1');
    expect(sealed.ciphertext).toMatch(/^v1(\.[A-Za-z0-9_-]+){4}$/);
    expect(sealed.ciphertext).not.toContain(Buffer.from(SECRET).toString('base64url'));
    expect(sealed.ciphertext).not.toContain(key.material().toString('base64url'));
    expect(await openSecret(kms, sealed, context)).toBe(SECRET);
  });

  it('uses a fresh data key and IV each time: the same value seals differently', async () => {
    const kms = createEnvKms({ current: kek('k1') });
    const [a, b] = [await sealSecret(kms, SECRET, context), await sealSecret(kms, SECRET, context)];
    expect(a.ciphertext.split('.')[1]).not.toBe(b.ciphertext.split('.')[1]);
    expect(a.ciphertext.split('.')[3]).not.toBe(b.ciphertext.split('.')[3]);
  });

  it('binds the ciphertext to its supplier and field (AAD)', async () => {
    const kms = createEnvKms({ current: kek('k1') });
    const sealed = await sealSecret(kms, SECRET, context);
    await expectRegistryCode(openSecret(kms, sealed, credentialContext('maplecart', 'clientSecret')), 'MISCONFIGURED');
    await expectRegistryCode(openSecret(kms, sealed, credentialContext('brightline', 'clientId')), 'MISCONFIGURED');
  });

  it('detects any altered byte of the value, the wrapped key or the tag', async () => {
    const kms = createEnvKms({ current: kek('k1') });
    const sealed = await sealSecret(kms, SECRET, context);
    const parts = sealed.ciphertext.split('.');
    for (const index of [1, 2, 3, 4]) {
      const bytes = Buffer.from(parts[index]!, 'base64url');
      bytes[0]! ^= 1;
      const altered = [...parts];
      altered[index] = bytes.toString('base64url');
      await expectRegistryCode(openSecret(kms, { ...sealed, ciphertext: altered.join('.') }, context), 'MISCONFIGURED');
    }
    await expectRegistryCode(openSecret(kms, { ...sealed, ciphertext: 'v2.a.b.c.d' }, context), 'MISCONFIGURED');
  });

  it('refuses to unwrap under another key, even one with the same id', async () => {
    const sealed = await sealSecret(createEnvKms({ current: kek('k1') }), SECRET, context);
    await expectRegistryCode(openSecret(createEnvKms({ current: kek('k2') }), sealed, context), 'MISCONFIGURED');
    const other = kek('k1');
    await expectRegistryCode(openSecret(createEnvKms({ current: other }), sealed, context), 'MISCONFIGURED');
  });

  it('rotates: old and new KEK both open during the rotation; a re-wrap keeps the value and moves it to the new KEK', async () => {
    const oldKek = kek('2025-01');
    const newKek = kek('2026-01');
    const sealed = await sealSecret(createEnvKms({ current: oldKek }), SECRET, context);
    const during = createEnvKms({ current: newKek, previous: [oldKek] });
    expect(await openSecret(during, sealed, context)).toBe(SECRET);
    const rewrapped = await rewrapSecret(during, sealed, context);
    expect(rewrapped.kekId).toBe('2026-01');
    // Only the wrapped data key changed: the encrypted value is the same bytes.
    expect(rewrapped.ciphertext.split('.').slice(2)).toEqual(sealed.ciphertext.split('.').slice(2));
    const after = createEnvKms({ current: newKek });
    expect(await openSecret(after, rewrapped, context)).toBe(SECRET);
    await expectRegistryCode(openSecret(after, sealed, context), 'MISCONFIGURED');
  });
});

describe('SECRETS_KEK values', () => {
  it('parses [id:]base64 of 32 bytes, deriving a stable id when none is given', () => {
    const raw = randomBytes(32).toString('base64');
    const named = parseKek(`prod-2026:${raw}`);
    const derived = parseKek(raw);
    expect(named).toBeInstanceOf(KeyEncryptionKey);
    expect((named as KeyEncryptionKey).id).toBe('prod-2026');
    expect((derived as KeyEncryptionKey).id).toMatch(/^kek-[0-9a-f]{16}$/);
    expect((parseKek(raw) as KeyEncryptionKey).id).toBe((derived as KeyEncryptionKey).id);
  });

  it('refuses short keys, bad ids and non-base64, without echoing the value', () => {
    const short = randomBytes(16).toString('base64');
    for (const bad of [short, `bad id:${randomBytes(32).toString('base64')}`, 'not base64!!']) {
      const message = parseKek(bad);
      expect(typeof message).toBe('string');
      expect(message).not.toContain(bad.slice(-10));
    }
  });

  it('never prints or serialises the key bytes', () => {
    const key = kek('k1');
    const b64 = key.material().toString('base64');
    expect(JSON.stringify({ key })).toBe('{"key":{"id":"k1"}}');
    expect(inspect(key)).not.toContain(b64);
    expect(inspect({ nested: { key } }, { depth: 5 })).not.toContain(b64);
  });
});
