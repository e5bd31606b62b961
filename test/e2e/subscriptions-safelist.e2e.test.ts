/**
 * One operation policy, two bindings (gateway/auth/operation-policy.ts): with PERSISTED_OPERATIONS_PATH set, a
 * partner's safelisted subscription with entity selections works — its snapshot and each event's `product` are
 * queries the gateway derives from it, allowed because the subscription was — and a subscription outside the
 * safelist is refused and audited exactly as the same operation over HTTP. The stock change is a real one: the
 * Brightline sandbox's webhook. Runs on MongoDB and Redis when MONGO_URL / REDIS_URL are set, else embedded.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationHash } from '../../gateway/auth/persisted-operations.ts';
import type { RestSandbox } from '../../sandboxes/rest/index.ts';
import { startSecureStack, type SecureStack } from '../security/support.ts';
import { openClient, subscribe, waitFor } from '../support/ws-clients.ts';

const SAFE = `subscription LiveStock($skus: [ID!]) { stockChanged(skus: $skus, snapshot: true) { sku supplier newAvailable source product { sku title } } }`;
const UNLISTED = `subscription Sneaky { stockChanged { sku newAvailable product { title } } }`;
const persisted = (text: string) => ({ persistedQuery: { version: 1, sha256Hash: operationHash(text) } });

describe('safelist on: one operation policy over HTTP and graphql-ws (e2e)', () => {
  let secure: SecureStack;
  let partner: { token: string; id: string };
  let sku: string;
  let supplierSku: string;
  const clients: ReturnType<typeof openClient>[] = [];
  const client = (token: string) => {
    const c = openClient(secure.url, token);
    clients.push(c);
    return c;
  };
  const subs = () => secure.stack.gateway.subscriptions!;
  const denials = async () => (await secure.stack.stores.audit.list({ action: 'token.denied', actor: `token:${partner.id}` }, 50, null)).items;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'safelist-'));
    const manifest = join(dir, 'persisted.json');
    writeFileSync(manifest, JSON.stringify({ [operationHash(SAFE)]: SAFE }));
    secure = await startSecureStack({ PERSISTED_OPERATIONS_PATH: manifest });
    partner = await secure.issue('acme', ['inventory:read', 'catalog:read']);
    const products = (await secure.stack.stores.catalog.list(200, null)).items;
    const product = products.find((p) => p.suppliers.some((s) => s.supplier === 'brightline'))!;
    sku = product.sku;
    supplierSku = product.suppliers.find((s) => s.supplier === 'brightline')!.supplierSku;
  }, 300_000);

  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await secure?.close();
  });

  it("a partner's safelisted subscription gets its snapshot and events with the entity resolved", async () => {
    const sub = subscribe(client(partner.token), SAFE, { skus: [sku] }, persisted(SAFE));
    const first = await sub.nth(1);
    expect(first.errors, JSON.stringify(first.errors)).toBeUndefined();
    expect(first.data.stockChanged).toMatchObject({ sku, source: 'SNAPSHOT', product: { sku, title: expect.any(String) } });
    await waitFor(() => subs().subscribers === 1, 'the subscriber');
    const brightline = secure.stack.sandboxes.get('brightline') as RestSandbox;
    const target = (brightline.stockOf(supplierSku) ?? 0) + 9;
    brightline.setStock(supplierSku, target);
    await brightline.webhooksIdle();
    await waitFor(() => sub.results.some((r) => r.data?.stockChanged?.source === 'WEBHOOK'), 'the webhook change');
    const change = sub.results.find((r) => r.data?.stockChanged?.source === 'WEBHOOK')!;
    // Before: the derived entity query was refused by the safelist on every event (PERSISTED_OPERATION_REQUIRED).
    expect(change.errors, JSON.stringify(change.errors)).toBeUndefined();
    expect(change.data.stockChanged).toMatchObject({ sku, supplier: 'brightline', newAvailable: target, product: { sku, title: first.data.stockChanged.product.title } });
    sub.dispose();
    await waitFor(() => subs().subscribers === 0, 'the unsubscribe');
  });

  it('a subscription outside the safelist is refused and audited, the same as the same operation over HTTP', async () => {
    const before = (await denials()).length;
    // Over graphql-ws: without a hash, and with a hash of another (safelisted) operation.
    for (const extensions of [undefined, persisted(SAFE)]) {
      const refused = subscribe(client(partner.token), UNLISTED, {}, extensions);
      await refused.settled();
      expect(refused.errors[0]).toEqual([expect.objectContaining({ extensions: { code: 'PERSISTED_OPERATION_REQUIRED' } })]);
    }
    // Over HTTP: the same refusal.
    const http = await secure.query(partner.token, { query: UNLISTED.replace('subscription', 'query').replace(/stockChanged \{[^]*$/, '__typename }') });
    expect(http.status).toBe(403);
    expect(http.json.errors[0].extensions.code).toBe('PERSISTED_OPERATION_REQUIRED');
    let entries = await denials();
    for (let i = 0; i < 50 && entries.length < before + 3; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      entries = await denials();
    }
    const fresh = entries.slice(0, entries.length - before);
    expect(fresh).toHaveLength(3);
    for (const entry of fresh) expect(entry).toMatchObject({ outcome: 'denied', tenant: 'acme', target: 'operation:Sneaky', reason: 'PERSISTED_OPERATION_REQUIRED' });
    expect(subs().subscribers).toBe(0);
  });
});
