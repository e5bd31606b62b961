/**
 * Abuse limits on a real stack: operation limits (depth, aliases, root fields, cost, parser tokens), variables
 * size, introspection for partners, the persisted-operations safelist, per-tenant rate limits and each partner's
 * share of a supplier's budget. Every rejection asserts its code and that no supplier was called.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayAuth } from '../../gateway/auth/gateway-auth.ts';
import { operationHash } from '../../gateway/auth/persisted-operations.ts';
import { startGateway, type RunningGateway } from '../../gateway/create-gateway.ts';
import { readSupergraph } from '../../gateway/supergraph.ts';
import { silentLogger } from '../../platform/logger.ts';
import { postGraphql, testConfig } from '../support/stack-env.ts';
import { SIGNING_SECRET, startSecureStack, type SecureStack } from './support.ts';
import { createMemoryAuthGuardStore } from '../../adapters/auth-guard/memory-auth-guard-store.ts';

const LIMITS = {
  OPERATION_MAX_DEPTH: '3',
  OPERATION_MAX_ALIASES: '10',
  OPERATION_MAX_ROOT_FIELDS: '5',
  OPERATION_MAX_COST: '500',
  OPERATION_MAX_TOKENS: '1000',
  MAX_VARIABLES_BYTES: '4096',
  // Every offer read is a supplier call, so the partner share below is exercised on each request.
  OFFER_CACHE_TTL_MS: '1',
  // brightline's request bucket (burst 20) × 0.05 = one call at once per partner, then one per ~12 s.
  PARTNER_SUPPLIER_SHARE: '0.05',
};

describe('abuse limits', () => {
  let s: SecureStack;
  let partner: string;
  let admin: string;
  const supplierCalls = () => [...s.stack.sandboxes.values()].reduce((total, sandbox) => total + sandbox.stats().total, 0);
  const resetSupplierCalls = () => {
    for (const sandbox of s.stack.sandboxes.values()) sandbox.resetStats();
  };

  beforeAll(async () => {
    s = await startSecureStack(LIMITS);
    partner = (await s.issue('acme', ['catalog:read', 'inventory:read', 'orders:read'])).token;
    admin = (await s.issue('operator', ['admin'])).token;
  }, 300_000);

  afterAll(async () => {
    await s?.close();
  });

  /** Sends as the partner; expects the refusal, and that no supplier was asked anything. */
  async function expectRefused(body: unknown, status: number, extensions: Record<string, unknown>, token = partner) {
    resetSupplierCalls();
    const response = await s.query(token, body);
    expect(response.status).toBe(status);
    expect(response.json.data).toBeUndefined();
    expect(response.json.errors).toHaveLength(1);
    expect(response.json.errors[0].extensions).toMatchObject(extensions);
    expect(supplierCalls()).toBe(0);
    return response;
  }

  describe('operation limits', () => {
    it('refuses a depth bomb', async () => {
      await expectRefused({ query: '{ productPage(first: 1) { nodes { offers { supplier { name } } } } }' }, 400, { code: 'OPERATION_LIMIT_EXCEEDED', limit: 'depth', max: 3, actual: 5 });
    });

    it('counts depth through fragments, as the operation will execute', async () => {
      const query = 'query { ...P } fragment P on Query { productPage(first: 1) { ...N } } fragment N on ProductConnection { nodes { offers { available } } }';
      await expectRefused({ query }, 400, { code: 'OPERATION_LIMIT_EXCEEDED', limit: 'depth', actual: 4 });
    });

    it('refuses an alias bomb', async () => {
      const aliases = Array.from({ length: 11 }, (_, i) => `t${i}: title`).join(' ');
      await expectRefused({ query: `{ product(sku: "DS-X") { ${aliases} } }` }, 400, { code: 'OPERATION_LIMIT_EXCEEDED', limit: 'aliases', max: 10, actual: 11 });
    });

    it('refuses too many root fields', async () => {
      const query = '{ product(sku: "a") { sku } products(first: 1) { sku } productPage(first: 1) { totalCount } productBySupplierSku(supplier: "b", supplierSku: "c") { sku } viewer { tenant } suppliers { name } }';
      await expectRefused({ query }, 400, { code: 'OPERATION_LIMIT_EXCEEDED', limit: 'rootFields', max: 5, actual: 6 });
    });

    it('refuses a cost bomb: a 200-product page with every offer (1 + 200 + 200 × 10 offers)', async () => {
      await expectRefused({ query: '{ products(first: 200) { offers { available } } }' }, 400, { code: 'OPERATION_LIMIT_EXCEEDED', limit: 'cost', max: 500, actual: 2201 });
    });

    it('sizes lists from variables: the same page with first: $n is refused when $n is large and allowed when small', async () => {
      const query = 'query($n: Int!) { products(first: $n) { sku title gtin } }';
      await expectRefused({ query, variables: { n: 200 } }, 400, { code: 'OPERATION_LIMIT_EXCEEDED', limit: 'cost', actual: 601 });
      const ok = await s.query(partner, { query, variables: { n: 2 } });
      expect(ok.json.errors).toBeUndefined();
      expect(ok.json.data.products).toHaveLength(2);
    });

    it('refuses an operation over the parser token limit before validating it', async () => {
      const fields = Array.from({ length: 1_200 }, () => 'sku').join(' ');
      const { json } = await expectRefused({ query: `{ product(sku: "DS-X") { ${fields} } }` }, 400, { code: 'GRAPHQL_PARSE_FAILED' });
      expect(json.errors[0].message).toMatch(/more (than|that) 1000 tokens/);
    });

    it('refuses oversized variables (413) without running the operation', async () => {
      await expectRefused({ query: 'query($sku: ID!) { product(sku: $sku) { sku } }', variables: { sku: 'x'.repeat(5_000) } }, 413, { code: 'VARIABLES_TOO_LARGE', max: 4096 });
    });

    it('answers an unknown operation name with 400 before the checks run, not with a crash of the checks', async () => {
      const { status, json } = await s.query(partner, { query: 'query A { viewer { tenant } }', operationName: 'B' });
      // @apollo/gateway 2.14 answered this with INVALID_GRAPHQL and HTTP 500; gateway/client-mistakes.ts answers first.
      expect(status).toBe(400);
      expect(json).toEqual({ errors: [{ message: 'Unknown operation named "B"', extensions: { code: 'OPERATION_RESOLUTION_FAILURE', requestId: expect.any(String) } }] });
    });

    it('applies the limits to admins too', async () => {
      await expectRefused({ query: '{ products(first: 200) { offers { available } } }' }, 400, { code: 'OPERATION_LIMIT_EXCEEDED', limit: 'cost' }, admin);
    });
  });

  describe('introspection', () => {
    it('is refused to partners, __schema and __type alike; __typename stays available', async () => {
      await expectRefused({ query: '{ __schema { queryType { name } } }' }, 403, { code: 'INTROSPECTION_DISABLED' });
      await expectRefused({ query: '{ __type(name: "Order") { fields { name } } }' }, 403, { code: 'INTROSPECTION_DISABLED' });
      await expectRefused({ query: '{ viewer { tenant } ... on Query { __schema { types { name } } } }' }, 403, { code: 'INTROSPECTION_DISABLED' });
      expect((await s.query(partner, { query: '{ __typename }' })).json).toEqual({ data: { __typename: 'Query' } });
    });

    it('is available to admins (the IDE needs it)', async () => {
      const { status, json } = await s.query(admin, { query: '{ __schema { queryType { name } } }' });
      expect(status).toBe(200);
      expect(json.data.__schema.queryType.name).toBe('Query');
    });
  });

  describe('with a second gateway over the same subgraphs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'persisted-'));
    const started: RunningGateway[] = [];
    const SAFE = '{ viewer { tenant } }';

    async function gateway(env: Record<string, string>): Promise<RunningGateway> {
      const config = testConfig({ AUTH_MODE: 'required', GATEWAY_SIGNING_SECRET: SIGNING_SECRET, ...env });
      const log = silentLogger();
      const running = await startGateway({
        supergraphSdl: readSupergraph(undefined),
        subgraphUrls: Object.fromEntries(s.stack.gateway.subgraphs.map((g) => [g.name, g.url])),
        port: 0,
        log,
        auth: createGatewayAuth({ config: config.auth, tokens: s.stack.stores.tokens, rateLimits: s.stack.stores.rateLimits, authGuards: createMemoryAuthGuardStore(), signingSecret: SIGNING_SECRET, log }),
      });
      started.push(running);
      return running;
    }

    afterAll(async () => {
      for (const g of started) await g.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('accepts only safelisted operations from partners when PERSISTED_OPERATIONS_PATH is set', async () => {
      const manifest = join(dir, 'operations.json');
      writeFileSync(manifest, JSON.stringify({ [operationHash(SAFE)]: SAFE }));
      const g = await gateway({ PERSISTED_OPERATIONS_PATH: manifest });
      const auth = (token: string) => ({ authorization: `Bearer ${token}` });
      const persisted = { extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(SAFE) } } };

      const byHash = await postGraphql(g.graphqlUrl, persisted, auth(partner));
      expect(byHash.json).toEqual({ data: { viewer: { tenant: 'acme' } } });

      const freeText = await postGraphql(g.graphqlUrl, { query: '{ viewer { tenant scopes } }' }, auth(partner));
      expect(freeText.status).toBe(403);
      expect(freeText.json.errors[0].extensions.code).toBe('PERSISTED_OPERATION_REQUIRED');
      expect(freeText.json.data).toBeUndefined();

      // A text that is not the one the hash names is refused (Apollo checks the hash against the text).
      const mismatched = await postGraphql(g.graphqlUrl, { query: '{ viewer { scopes } }', ...persisted }, auth(partner));
      expect(mismatched.status).toBe(400);
      expect(mismatched.json.data).toBeUndefined();

      const unknownHash = await postGraphql(g.graphqlUrl, { extensions: { persistedQuery: { version: 1, sha256Hash: operationHash('{ __typename }') } } }, auth(partner));
      expect(unknownHash.json.data).toBeUndefined();
      expect(unknownHash.json.errors[0].extensions.code).toMatch(/^PERSISTED_(QUERY_NOT_FOUND|OPERATION_REQUIRED)$/);

      // Admins are not held to the safelist.
      const adminText = await postGraphql(g.graphqlUrl, { query: '{ viewer { scopes } }' }, auth(admin));
      expect(adminText.json).toEqual({ data: { viewer: { scopes: ['admin'] } } });
    });

    it('rate-limits each tenant with 429 and Retry-After; the refused request changes nothing; other tenants are unaffected', async () => {
      const g = await gateway({ PARTNER_RATE_PER_SECOND: '0.2', PARTNER_RATE_BURST: '3' });
      const ops = (await s.issue('ops-rate', ['admin'])).token;
      const other = (await s.issue('other-rate', ['catalog:read'])).token;
      const issue = { query: 'mutation { issueApiToken(input: { tenant: "x", scopes: ["catalog:read"] }) { apiToken { id } } }' };
      const count = async () => (await s.stack.stores.tokens.list({ tenant: 'x' })).length;
      for (let i = 0; i < 3; i += 1) expect((await postGraphql(g.graphqlUrl, issue, { authorization: `Bearer ${ops}` })).status).toBe(200);
      const before = await count();
      const response = await fetch(g.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ops}` }, body: JSON.stringify(issue) });
      expect(response.status).toBe(429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const json = (await response.json()) as any;
      expect(json.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
      expect(json.errors[0].extensions.retryAfterMs).toBeGreaterThan(0);
      expect(await count()).toBe(before);
      expect((await postGraphql(g.graphqlUrl, { query: '{ viewer { tenant } }' }, { authorization: `Bearer ${other}` })).status).toBe(200);
    });
  });

  describe('fair share of a supplier', () => {
    it('gives each partner its share of brightline: past it, that partner gets last known figures and the supplier is not called', async () => {
      const [mapping] = (await s.stack.stores.catalog.list(200, null)).items.flatMap((p) => p.suppliers.filter((m) => m.supplier === 'brightline'));
      const query = { query: `{ brightlineOffer(supplierSku: "${mapping!.supplierSku}") { available stale } }` };
      const a = (await s.issue('share-a', ['inventory:read'])).token;
      const b = (await s.issue('share-b', ['inventory:read'])).token;
      const brightline = s.stack.sandboxes.get('brightline')!;
      brightline.resetStats();

      const first = await s.query(a, query);
      expect(first.json.data.brightlineOffer.stale).toBe(false);
      expect(brightline.stats().total).toBe(1);

      const second = await s.query(a, query);
      expect(second.json.data.brightlineOffer).toEqual({ available: first.json.data.brightlineOffer.available, stale: true });
      expect(second.json.extensions.degradedSuppliers).toEqual([expect.objectContaining({ supplier: 'brightline', code: 'RATE_LIMITED_LOCALLY' })]);
      expect(brightline.stats().total).toBe(1);

      // Another partner still has its own share: the supplier's budget was not what ran out.
      const other = await s.query(b, query);
      expect(other.json.data.brightlineOffer.stale).toBe(false);
      expect(brightline.stats().total).toBe(2);
    });
  });
});
