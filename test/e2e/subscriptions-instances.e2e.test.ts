/**
 * Every gateway instance hears every event: two more gateway processes (bin/gateway.ts, as deployed) beside the
 * stack's own, all on one Redis, a subscriber on each; one stock change through the real update path reaches each
 * subscriber exactly once. Needs Redis (REDIS_URL): with the in-process bus, processes share nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../platform/logger.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { seedSmallCatalog } from '../security/support.ts';
import { postGraphql, testConfig } from '../support/stack-env.ts';
import { createTokenService } from '../../subgraphs/access/token-service.ts';
import { SUPPLIERS } from '../../platform/supplier-registry.ts';
import { openClient, subscribe, waitFor } from '../support/ws-clients.ts';

const SECRET = 'subscriptions-instances-secret-0123456789abcdef';

/** Starts bin/gateway.ts and resolves with its /graphql URL, read from its "gateway listening" log line. */
function startGatewayProcess(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/gateway.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('gateway process did not start')), 60_000);
    child.once('exit', (code) => reject(new Error(`gateway process exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'gateway listening' && entry.url) {
          clearTimeout(timer);
          resolve({ child, url: entry.url });
        }
      } catch {
        // not a log line
      }
    });
  });
}

describe.skipIf(!process.env.REDIS_URL)('subscriptions across gateway instances (e2e, Redis)', () => {
  let stack: Stack;
  const children: ChildProcess[] = [];
  const urls: string[] = [];
  const clients: ReturnType<typeof openClient>[] = [];

  beforeAll(async () => {
    const config = testConfig({ GATEWAY_SIGNING_SECRET: SECRET, BRIGHTLINE_POLL_INTERVAL_MS: '0', HARBORPROMO_POLL_INTERVAL_MS: '0', MAPLECART_POLL_INTERVAL_MS: '0', RECONCILE_INTERVAL_MS: '0' });
    stack = await startStack({ config, log: silentLogger(), subgraphPorts: 'random', seed: false });
    await seedSmallCatalog(stack, 2);
    const env: Record<string, string> = {
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'info',
      REDIS_URL: process.env.REDIS_URL!,
      KEY_PREFIX: config.keyPrefix,
      GATEWAY_SIGNING_SECRET: SECRET,
      ...(process.env.MONGO_URL ? { MONGO_URL: process.env.MONGO_URL, MONGO_DB: config.mongoDb } : {}),
    };
    for (const [name, server] of stack.subgraphs) env[`SUBGRAPH_URL_${name.toUpperCase().replaceAll('-', '_')}`] = `${server.url}/graphql`;
    for (let i = 0; i < 2; i += 1) {
      const started = await startGatewayProcess(env);
      children.push(started.child);
      urls.push(`${started.url}`);
    }
  }, 300_000);

  afterAll(async () => {
    for (const c of clients) await c.dispose();
    for (const child of children) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (stack) {
      await Promise.all([stack.stores.catalog.clear(), stack.stores.stock.clear()]);
      await stack.close();
    }
  });

  it('one stock change reaches a subscriber on each instance exactly once, with its product resolved there', async () => {
    const product = (await stack.stores.catalog.list(10, null)).items.find((p) => p.suppliers.length > 1)!;
    const mapping = product.suppliers[0]!;
    const query = `subscription($skus: [ID!]) { stockChanged(skus: $skus) { sku supplier newAvailable product { title } } }`;
    const subs = [...urls, stack.gateway.graphqlUrl].map((url) => {
      const client = openClient(url);
      clients.push(client);
      return subscribe(client, query, { skus: [product.sku] });
    });
    await waitFor(() => stack.gateway.subscriptions!.subscribers === 1, 'the local subscriber');
    // The other processes' subscriber counts cannot be read from here, and the protocol has no per-subscription
    // ack: a pause bounds their registration.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const row = (await stack.stores.stock.get(product.sku, mapping.supplier))!;
    await stack.updater.applyReport({ sku: product.sku, supplier: mapping.supplier, supplierSku: mapping.supplierSku, onHand: row.onHand + 40, supplierAsOf: new Date().toISOString() }, 'poll');
    for (const sub of subs) await sub.nth(1);
    await new Promise((resolve) => setTimeout(resolve, 500)); // a duplicate would arrive in this window
    for (const sub of subs) {
      expect(sub.results).toHaveLength(1);
      expect(sub.results[0].data.stockChanged).toEqual({ sku: product.sku, supplier: mapping.supplier, newAvailable: expect.any(Number), product: { title: product.title } });
    }
  });

  it('revoking a token through the access subgraph (on the stack) closes its socket on another gateway process within 5 s', async () => {
    const tokens = createTokenService({ tokens: stack.stores.tokens, knownSuppliers: SUPPLIERS.map((s) => s.slug) });
    const issued = await tokens.issue({ tenant: 'acme', scopes: ['inventory:read'], suppliers: null, expiresInDays: null }, { actor: 'cli:test', subject: 'test' });
    const partner = openClient(urls[0]!, issued.token);
    clients.push(partner);
    const sub = subscribe(partner, `subscription { stockChanged { sku } }`);
    await new Promise((resolve) => setTimeout(resolve, 500)); // its registration in the other process
    expect(partner.closes).toEqual([]);
    const started = Date.now();
    // The production path: the admin's mutation, through the stack's gateway, to the access subgraph.
    const revoked = await postGraphql(stack.gateway.graphqlUrl, { query: `mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }`, variables: { id: issued.record.id } });
    expect(revoked.json.errors, JSON.stringify(revoked.json.errors)).toBeUndefined();
    await waitFor(() => partner.closes.length > 0, 'the revoked socket to close', 5_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(partner.closes[0]).toEqual({ code: 4401, reason: 'Token revoked' });
    expect(sub.errors).toHaveLength(1);
  });
});
