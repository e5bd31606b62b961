/**
 * Supplier credentials as the stack opens them: a field in the (sealed) credential store wins over the
 * environment, the plain value never reaches the store, and the outbound policy refuses a plain-http supplier URL
 * before any request unless loopback http was allowed.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCredentialStore } from '../../adapters/storage/memory/credential-store.ts';
import { createMemoryBucketStore } from '../../adapters/ratelimit/memory-bucket-store.ts';
import { createMetrics } from '../../platform/metrics.ts';
import { silentLogger } from '../../platform/logger.ts';
import { createRestSandbox, type RestSandbox } from '../../sandboxes/rest/index.ts';
import { openSuppliers } from '../../stack/open-suppliers.ts';
import { vaultOf } from '../../stack/supplier-credentials.ts';
import { testContext } from '../contract/supplier-connector.contract.ts';
import { expectRegistryCode } from '../contract/registry-error-assert.ts';
import { testConfig } from '../support/stack-env.ts';

const KEK = `test-kek:${randomBytes(32).toString('base64')}`;
const CLIENT = { clientId: 'bl-client-7', clientSecret: `bl-secret-${randomBytes(8).toString('hex')}` };

describe('supplier credentials: credential store first, then environment', () => {
  let sandbox: RestSandbox;
  beforeAll(async () => {
    sandbox = await createRestSandbox({ seed: 7, credentials: CLIENT });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  const open = (env: Record<string, string>, store = createMemoryCredentialStore()) =>
    openSuppliers({
      config: testConfig({ BRIGHTLINE_URL: sandbox.url, BRIGHTLINE_CLIENT_ID: CLIENT.clientId, BRIGHTLINE_CLIENT_SECRET: 'stale-env-secret', ...env }),
      rateLimits: createMemoryBucketStore(),
      metrics: createMetrics({ defaultMetrics: false }),
      log: silentLogger(),
      credentialStore: store,
    });

  it('uses the stored client secret over the stale one in the environment, and stores only ciphertext', async () => {
    const store = createMemoryCredentialStore();
    const env = { SECRETS_KEK: KEK, OUTBOUND_ALLOW_LOOPBACK_HTTP: 'true' };
    await vaultOf(testConfig(env), store).set('brightline', 'clientSecret', CLIENT.clientSecret);
    expect(JSON.stringify(await store.all())).not.toContain(CLIENT.clientSecret);
    const suppliers = await open(env, store);
    try {
      expect(suppliers.endpoints.get('brightline')!.credentials).toEqual(CLIENT);
      const sku = sandbox.supplierSkus()[0]!;
      const [stock] = await suppliers.connectors.get('brightline')!.getStock([sku], testContext());
      expect(stock?.supplierSku).toBe(sku);
    } finally {
      await suppliers.close();
    }
  });

  it('falls back to the environment for fields the store does not hold', async () => {
    const suppliers = await open({ SECRETS_KEK: KEK, OUTBOUND_ALLOW_LOOPBACK_HTTP: 'true' });
    try {
      expect(suppliers.endpoints.get('brightline')!.credentials).toEqual({ clientId: CLIENT.clientId, clientSecret: 'stale-env-secret' });
      // The sandbox refuses the stale secret: the environment value really was the one used.
      await expectRegistryCode(suppliers.connectors.get('brightline')!.getStock([sandbox.supplierSkus()[0]!], testContext()), 'MISCONFIGURED');
    } finally {
      await suppliers.close();
    }
  });

  it('refuses to start when the store holds credentials but SECRETS_KEK is unset', async () => {
    const store = createMemoryCredentialStore();
    await vaultOf(testConfig({ SECRETS_KEK: KEK }), store).set('brightline', 'clientSecret', CLIENT.clientSecret);
    await expectRegistryCode(open({ OUTBOUND_ALLOW_LOOPBACK_HTTP: 'true' }, store), 'MISCONFIGURED');
  });

  it('refuses a plain-http supplier URL at start, before any request, unless loopback http is allowed', async () => {
    sandbox.resetStats();
    await expectRegistryCode(open({}), 'MISCONFIGURED');
    expect(sandbox.stats().total).toBe(0);
  });
});
