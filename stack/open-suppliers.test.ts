import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryBucketStore } from '../adapters/ratelimit/memory-bucket-store.ts';
import { loadConfig } from '../platform/config.ts';
import { silentLogger } from '../platform/logger.ts';
import { createMetrics } from '../platform/metrics.ts';
import { DEFAULT_SUPPLIERS_FILE } from '../platform/suppliers-file.ts';
import { openSuppliers } from './open-suppliers.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'open-suppliers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The demo file with harborpromo pointed at a real supplier whose services are given one by one. */
function fileWithServices(services: Record<string, string>): string {
  const demo = JSON.parse(readFileSync(DEFAULT_SUPPLIERS_FILE, 'utf8')) as { suppliers: Record<string, unknown>[] };
  const harbor = demo.suppliers.find((e) => e['slug'] === 'harborpromo')!;
  Object.assign(harbor, { url: 'https://ps.harbor.example', services });
  const file = path.join(dir, `suppliers-${Object.keys(services).join('-')}.json`);
  writeFileSync(file, JSON.stringify(demo));
  return file;
}

const open = (file: string) =>
  openSuppliers({
    config: loadConfig({ SUPPLIERS_FILE: file, HARBORPROMO_ID: 'acct', HARBORPROMO_PASSWORD: 'pw', BRIGHTLINE_URL: 'https://api.brightline.example', BRIGHTLINE_CLIENT_ID: 'c', BRIGHTLINE_CLIENT_SECRET: 's', MAPLECART_URL: 'https://maplecart.example', MAPLECART_ACCESS_TOKEN: 't' }),
    rateLimits: createMemoryBucketStore(),
    metrics: createMetrics({ defaultMetrics: false }),
    log: silentLogger(),
  });

describe('openSuppliers', () => {
  it('checks every per-service endpoint of a PromoStandards entry against the outbound policy before any call', async () => {
    // A service published on plain http to a public host: refused at start, like a plain-http base URL.
    await expect(open(fileWithServices({ inventory: 'http://inventory.harbor.example/Inventory/v2' }))).rejects.toMatchObject({ code: 'MISCONFIGURED' });
  });

  it('opens real suppliers (HTTPS, paths under the base URL) without calling them', async () => {
    const suppliers = await open(fileWithServices({ inventory: '/Inventory/2.0.0', productData: 'https://pd.harbor.example/ProductData/2.0.0' }));
    try {
      expect([...suppliers.connectors.keys()]).toEqual(['brightline', 'harborpromo', 'maplecart']);
      expect(suppliers.sandboxes.size).toBe(0);
    } finally {
      await suppliers.close();
    }
  });
});
