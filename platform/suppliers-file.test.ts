import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { DEFAULT_SUPPLIERS_FILE, parseSuppliersFile, readSuppliersFile, SuppliersFileError } from './suppliers-file.ts';

const demo = JSON.parse(readFileSync(DEFAULT_SUPPLIERS_FILE, 'utf8')) as { suppliers: Record<string, unknown>[] };
const withEntry = (change: (entries: Record<string, unknown>[]) => void) => {
  const copy = structuredClone(demo);
  change(copy.suppliers);
  return copy;
};
const dir = mkdtempSync(path.join(tmpdir(), 'suppliers-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('suppliers file', () => {
  it('reads the committed demo file: three suppliers, one per family', () => {
    const entries = readSuppliersFile(DEFAULT_SUPPLIERS_FILE);
    expect(entries.map((e) => [e.slug, e.family])).toEqual([
      ['brightline', 'brightline-rest'],
      ['harborpromo', 'promostandards'],
      ['maplecart', 'maplecart-graphql'],
    ]);
  });

  it.each([
    ['a wrong field type', (e: Record<string, unknown>[]) => (e[1]!['pollIntervalMs'] = 'often'), /supplier "harborpromo" field pollIntervalMs/],
    ['an unknown family', (e: Record<string, unknown>[]) => (e[1]!['family'] = 'edi'), /supplier "harborpromo" field family/],
    ['a secret instead of a variable name', (e: Record<string, unknown>[]) => (e[1]!['credentials'] = { id: 'HARBORPROMO_ID', password: 's3cret!' }), /supplier "harborpromo" field credentials\.password: an environment variable name/],
    ['a credential field the family does not take', (e: Record<string, unknown>[]) => (e[1]!['credentials'] = { token: 'HARBOR_TOKEN' }), /supplier "harborpromo" field credentials: promostandards takes id, password, not token/],
    ['the same slug twice', (e: Record<string, unknown>[]) => e.push(structuredClone(e[1]!)), /supplier "harborpromo": slug used twice/],
    ['a proprietary family under another slug', (e: Record<string, unknown>[]) => (e[0]!['slug'] = 'acme'), /supplier "acme" field family: brightline-rest speaks for supplier "brightline" only/],
    ['an unknown field', (e: Record<string, unknown>[]) => (e[2]!['colour'] = 'red'), /supplier "maplecart"/],
    ['a service path without a base url or sandbox', (e: Record<string, unknown>[]) => { delete e[1]!['sandbox']; e[1]!['services'] = { inventory: '/inv' }; }, /supplier "harborpromo" field services.inventory: a path needs a base url/],
  ])('refuses %s, naming the entry and the field', (_name, change, message) => {
    const file = withEntry(change);
    expect(() => parseSuppliersFile(file)).toThrow(SuppliersFileError);
    expect(() => parseSuppliersFile(file)).toThrow(message);
  });

  it('is validated at start like every setting: SUPPLIERS_FILE errors are ConfigErrors naming the file', () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(withEntry((e) => (e[1]!['pollIntervalMs'] = -1))));
    expect(() => loadConfig({ SUPPLIERS_FILE: bad })).toThrow(ConfigError);
    expect(() => loadConfig({ SUPPLIERS_FILE: bad })).toThrow(/SUPPLIERS_FILE: suppliers file .*bad\.json:\n {2}supplier "harborpromo" field pollIntervalMs/);
    expect(() => loadConfig({ SUPPLIERS_FILE: path.join(dir, 'missing.json') })).toThrow(/cannot be read \(ENOENT\)/);
  });

  it('keeps the <SLUG>_* settings: URL, credentials by the names the entry gives, poll interval, webhook secrets, pins', () => {
    const pin = 'A'.repeat(43) + '=';
    const config = loadConfig({
      HARBORPROMO_URL: 'https://ps.harbor.example',
      HARBORPROMO_ID: 'acct-7',
      HARBORPROMO_PASSWORD: 'pw',
      HARBORPROMO_POLL_INTERVAL_MS: '120000',
      HARBORPROMO_TLS_PINS: pin,
      BRIGHTLINE_WEBHOOK_SECRETS: 'one, two',
    });
    expect(config.suppliers['harborpromo']).toEqual({ url: 'https://ps.harbor.example', credentials: { id: 'acct-7', password: 'pw' } });
    expect(config.suppliers['brightline']!.url).toBeUndefined();
    expect(config.inventorySync.pollIntervalMs).toEqual({ brightline: 900_000, harborpromo: 120_000, maplecart: 900_000 });
    expect(config.inventorySync.webhookSecrets['brightline']).toEqual(['one', 'two']);
    expect(config.outbound.tlsPins['harborpromo']).toEqual([pin]);
    expect(() => loadConfig({ MAPLECART_URL: 'not a url' })).toThrow(/MAPLECART_URL/);
  });

  it('needs a URL for a supplier without a bundled sandbox', () => {
    const file = path.join(dir, 'no-sandbox.json');
    writeFileSync(file, JSON.stringify(withEntry((e) => delete e[1]!['sandbox'])));
    expect(() => loadConfig({ SUPPLIERS_FILE: file })).toThrow(/HARBORPROMO_URL: supplier "harborpromo" has no url/);
    expect(loadConfig({ SUPPLIERS_FILE: file, HARBORPROMO_URL: 'https://ps.harbor.example' }).supplierEntries).toHaveLength(3);
  });
});
