import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryAuditLogStore } from '../../adapters/storage/memory/audit-log.ts';
import { createMemoryCredentialStore } from '../../adapters/storage/memory/credential-store.ts';
import { createAuditLog } from '../audit/audit-log.ts';
import { silentLogger } from '../logger.ts';
import { createCredentialVault } from './credential-vault.ts';
import { runCredentialsCli } from './credentials-cli.ts';
import { createEnvKms, type Kms } from './envelope.ts';
import { KeyEncryptionKey } from './key-encryption-key.ts';

const SECRET = `s3cret-${randomBytes(6).toString('hex')}`;

/** `null`: no SECRETS_KEK. */
function harness(kms: Kms | null = createEnvKms({ current: new KeyEncryptionKey('k1', randomBytes(32)) })) {
  const store = createMemoryCredentialStore();
  const auditStore = createMemoryAuditLogStore();
  const out: string[] = [];
  const err: string[] = [];
  let stdin = '';
  const run = (args: string[], input = '') => {
    stdin = input;
    return runCredentialsCli(args, {
      vault: createCredentialVault({ store, kms: kms ?? undefined }),
      audit: createAuditLog({ store: auditStore, log: silentLogger() }),
      fields: { brightline: ['clientId', 'clientSecret'], maplecart: ['accessToken'] },
      actor: 'cli:ops',
      readStdin: async () => stdin,
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });
  };
  return { run, store, auditStore, out, err };
}

describe('credentials CLI', () => {
  it('set reads the value from stdin (one final newline dropped), list never prints it, and both are audited', async () => {
    const h = harness();
    expect(await h.run(['set', 'brightline', 'clientSecret'], `${SECRET}\n`)).toBe(0);
    expect(await h.run(['list'])).toBe(0);
    expect(h.out.join('\n')).not.toContain(SECRET);
    expect(h.out.at(-1)).toMatch(/^brightline\tclientSecret\tv1\tk1\t\d{4}-/);
    const [entry] = (await h.auditStore.list({}, 10, null)).items;
    expect(entry).toMatchObject({ actor: 'cli:ops', action: 'supplier_credential.set', outcome: 'success', target: 'supplier-credential:brightline/clientSecret#v1' });
    expect(JSON.stringify(await h.auditStore.list({}, 10, null))).not.toContain(SECRET);
    expect(JSON.stringify(await h.store.all())).not.toContain(SECRET);
  });

  it('refuses unknown suppliers and fields, and a missing value', async () => {
    const h = harness();
    expect(await h.run(['set', 'acme', 'clientSecret'], 'x')).toBe(2);
    expect(await h.run(['set', 'brightline', 'password'], 'x')).toBe(2);
    expect(await h.run(['set', 'brightline'], 'x')).toBe(2);
    expect(await h.run(['set', 'brightline', 'clientSecret'], '\n')).toBe(1);
    expect(h.err.at(-1)).toMatch(/^INVALID_INPUT/);
    expect(await h.store.all()).toEqual([]);
    expect(await h.run(['frobnicate'])).toBe(2);
  });

  it('rotate-kek re-wraps under the new key and records it', async () => {
    const oldKek = new KeyEncryptionKey('old', randomBytes(32));
    const before = harness(createEnvKms({ current: oldKek }));
    await before.run(['set', 'maplecart', 'accessToken'], SECRET);
    const [stored] = await before.store.all();
    const after = harness(createEnvKms({ current: new KeyEncryptionKey('new', randomBytes(32)), previous: [oldKek] }));
    await after.store.add({ supplier: stored!.supplier, field: stored!.field, ciphertext: stored!.ciphertext, kekId: stored!.kekId, createdAt: stored!.createdAt });
    expect(await after.run(['rotate-kek'])).toBe(0);
    expect(after.out.at(-1)).toBe('re-wrapped 1, already under new: 0, failed: 0');
    expect((await after.store.all())[0]!.kekId).toBe('new');
    expect((await after.auditStore.list({ action: 'supplier_credential.kek_rotated' }, 10, null)).items[0]).toMatchObject({ outcome: 'success', target: 'kek:new' });
  });

  it('without SECRETS_KEK: set fails with a clear message and nothing is stored', async () => {
    const h = harness(null);
    expect(await h.run(['set', 'brightline', 'clientSecret'], SECRET)).toBe(1);
    expect(h.err.join('\n')).toMatch(/MISCONFIGURED: SECRETS_KEK is not set/);
    expect(h.err.join('\n')).not.toContain(SECRET);
    expect(await h.store.all()).toEqual([]);
    expect((await h.auditStore.list({}, 10, null)).items[0]).toMatchObject({ action: 'supplier_credential.set', outcome: 'failure', reason: 'MISCONFIGURED' });
  });
});
