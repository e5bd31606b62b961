/**
 * Every speed option of the gateway answers the gateway-speed fixture (bench/gateway/fixture: four Federation 2
 * subgraphs over HTTP) exactly as plain @apollo/gateway does, byte for byte, for each federation case, cold and from
 * the entity cache; and neither in-flight de-duplication nor the entity cache hands one principal's answer to another
 * (issue 15). Not timed: the bench measures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stores } from '../../adapters/storage/open-stores.ts';
import { FIXTURE_ENTITY_CACHE } from '../../bench/gateway/fixture/entity-cache.ts';
import { DEEP_QUERY, DEEP_VARIABLES, FEDERATION_CASES } from '../../bench/gateway/fixture/queries.ts';
import { startFixture, type RunningFixture } from '../../bench/gateway/fixture/serve.ts';
import { composeFixture } from '../../bench/gateway/fixture/supergraph.ts';
import type { RunningGateway } from '../../gateway/create-gateway.ts';
import { createLogger } from '../../platform/logger.ts';
import { createTokenService } from '../../subgraphs/access/token-service.ts';
import { startEquivalence, type Baseline, type EquivalenceHarness, type EquivalenceVariant } from './equivalence-harness.ts';

const SECRET = 'gateway-speed-test-signing-secret-0123456789';
const log = createLogger({ level: 'silent', name: 'gateway-speed-test' });
const VARIANTS: Readonly<Record<string, EquivalenceVariant>> = {
  default: {},
  pool: { subgraphPool: true },
  dedup: { dedup: true },
  'pool and dedup': { subgraphPool: true, dedup: true },
  'entity cache': { entityCache: true },
  'dedup and entity cache': { dedup: true, entityCache: true },
};

let harness: EquivalenceHarness;
let fixture: RunningFixture;
let stores: Stores;
let baseline: Baseline;
let gateways: ReadonlyMap<string, RunningGateway>;

const post = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, text: await response.text() };
};

beforeAll(async () => {
  fixture = await startFixture({ signingSecret: SECRET });
  const supergraphSdl = composeFixture(fixture.urls);
  harness = await startEquivalence({ supergraphSdl, entityCache: FIXTURE_ENTITY_CACHE, signingSecret: SECRET, keyPrefix: 'gateway-speed:', variants: VARIANTS, log });
  ({ stores, baseline, gateways } = harness);
}, 60_000);

afterAll(async () => {
  await harness?.close();
  await fixture?.close();
});

describe.each(Object.keys(VARIANTS))('gateway with %s', (variant) => {
  it.each(FEDERATION_CASES.filter((c) => !c.name.startsWith('@inaccessible')))('answers "$name" byte for byte as plain @apollo/gateway', async (c) => {
    const body = { query: c.query, variables: c.variables };
    const expected = await post(baseline.url, body);
    expect(expected.status).toBe(200);
    expect(expected.text).not.toContain('"errors"');
    fixture.reset();
    const actual = await post(gateways.get(variant)!.graphqlUrl, body);
    expect(actual.status).toBe(200);
    expect(actual.text).toBe(expected.text);
    // Again: from the entity cache where it is on (warm), the same bytes.
    expect((await post(gateways.get(variant)!.graphqlUrl, body)).text).toBe(expected.text);
    // Every subgraph fetch carried the gateway's signature, and the fixture accepted it.
    expect(fixture.counters.refused).toBe(0);
    expect(fixture.counters.signed).toBe(Object.values(fixture.counters.requests).reduce((a, b) => a + b, 0));
  }, 30_000);

  it('refuses an @inaccessible field as plain @apollo/gateway does', async () => {
    const c = FEDERATION_CASES.find((x) => x.name.startsWith('@inaccessible'))!;
    const expected = JSON.parse((await post(baseline.url, { query: c.query })).text) as { errors: { message: string; extensions: { code: string } }[] };
    const actual = JSON.parse((await post(gateways.get(variant)!.graphqlUrl, { query: c.query })).text) as typeof expected;
    expect(actual.errors.map((e) => [e.message, e.extensions.code])).toEqual(expected.errors.map((e) => [e.message, e.extensions.code]));
    expect(expected.errors[0]!.message).toMatch(/birthDate/);
  }, 30_000);

  it('runs the deep page under the default cost limit (declared list sizes), and still refuses a nesting bomb', async () => {
    const deep = await post(gateways.get(variant)!.graphqlUrl, { query: DEEP_QUERY, variables: DEEP_VARIABLES });
    expect(deep.status).toBe(200);
    const level = (n: number): string => (n === 0 ? 'id' : `reviews { author { ${level(n - 1)} } }`);
    const bomb = await post(gateways.get(variant)!.graphqlUrl, { query: `{ users(first: 10) { ${level(5)} } }` });
    expect(bomb.status).toBe(400);
    expect(JSON.parse(bomb.text).errors[0].extensions).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'cost' });
  }, 30_000);
});

describe('in-flight de-duplication', () => {
  it('serves concurrent identical queries from one execution, each answer equal to the baseline', async () => {
    const body = { query: DEEP_QUERY, variables: DEEP_VARIABLES };
    const expected = (await post(baseline.url, body)).text;
    fixture.reset();
    await post(gateways.get('dedup')!.graphqlUrl, body);
    const single = Object.values(fixture.counters.requests).reduce((a, b) => a + b, 0);
    fixture.reset();
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(gateways.get('dedup')!.graphqlUrl, body)));
    for (const answer of answers) expect(answer.text).toBe(expected);
    expect(Object.values(fixture.counters.requests).reduce((a, b) => a + b, 0)).toBeLessThan(10 * single);
  }, 30_000);

  it('never shares an answer across tenants or scopes: each caller sees itself', async () => {
    const service = createTokenService({ tokens: stores.tokens, knownSuppliers: [] });
    const by = { actor: 'cli:test', subject: 'cli' };
    // Undeclared root fields (the fixture declares no @scopes) need admin; the tokens differ in tenant or scopes.
    const callers = await Promise.all([
      service.issue({ tenant: 'acme', scopes: ['admin'] }, by),
      service.issue({ tenant: 'globex', scopes: ['admin'] }, by),
      service.issue({ tenant: 'acme', scopes: ['admin', 'catalog:read'] }, by),
    ]);
    const query = { query: '{ whoami users(first: 3) { id reviews { id product { upc inStock } } } }' };
    const sent = callers.flatMap((caller) => Array.from({ length: 4 }, () => ({ caller, answer: post(gateways.get('dedup')!.graphqlUrl, query, { authorization: `Bearer ${caller.token}` }) })));
    for (const { caller, answer } of sent) {
      const { status, text } = await answer;
      expect(status).toBe(200);
      const { record } = caller;
      expect(JSON.parse(text).data.whoami).toBe(`${record.tenant}/${record.id}/${[...record.scopes].sort().join(',')}`);
    }
  }, 30_000);

  it('runs every mutation, however many identical ones are in flight', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(gateways.get('dedup')!.graphqlUrl, { query: 'mutation { bump }' })));
    const counts = answers.map((a) => JSON.parse(a.text).data.bump as number);
    expect(new Set(counts).size).toBe(6);
  }, 30_000);

  it("does not hand the development admin's answer to a partner asking the same at the same time", async () => {
    const answers = await Promise.all([
      post(gateways.get('dedup')!.graphqlUrl, { query: '{ whoami }' }),
      post(gateways.get('dedup')!.graphqlUrl, { query: '{ whoami }' }, { authorization: `Bearer ${(await createTokenService({ tokens: stores.tokens, knownSuppliers: [] }).issue({ tenant: 'initech', scopes: ['admin'] }, { actor: 'cli:test', subject: 'cli' })).token}` }),
    ]);
    const [dev, partner] = answers.map((a) => JSON.parse(a.text).data.whoami as string);
    expect(dev).toBe('default/dev/admin');
    expect(partner).toMatch(/^initech\/tok_/);
  }, 30_000);
});

describe('entity cache', () => {
  const products = () => fixture.counters.requests['products'] ?? 0;

  it('answers a repeated entity fetch from the cache (no second products fetch)', async () => {
    const body = { query: '{ users(first: 2) { reviews { product { upc name price } } } }' };
    const expected = (await post(baseline.url, body)).text;
    const url = gateways.get('entity cache')!.graphqlUrl;
    expect((await post(url, body)).text).toBe(expected);
    fixture.reset();
    expect((await post(url, body)).text).toBe(expected);
    expect(products()).toBe(0);
  }, 30_000);

  it('never shares an entity across tenants or scopes: each view fetches and sees its own', async () => {
    const service = createTokenService({ tokens: stores.tokens, knownSuppliers: [] });
    const by = { actor: 'cli:test', subject: 'cli' };
    const views = [
      { tenant: 'acme', scopes: ['admin'] },
      { tenant: 'globex', scopes: ['admin'] },
      { tenant: 'acme', scopes: ['admin', 'catalog:read'] },
    ] as const;
    const callers = await Promise.all(views.map((v) => service.issue({ tenant: v.tenant, scopes: [...v.scopes] }, by)));
    const query = { query: '{ users(first: 3) { id reviews { id product { upc seenBy } } } }' };
    for (const variant of ['entity cache', 'dedup and entity cache']) {
      // Twice round: the second round is served from the cache, each caller from its own view's entries.
      for (let round = 0; round < 2; round += 1) {
        for (const caller of callers) {
          const { status, text } = await post(gateways.get(variant)!.graphqlUrl, query, { authorization: `Bearer ${caller.token}` });
          expect(status).toBe(200);
          const seen = new Set<string>((JSON.parse(text).data.users as { reviews: { product: { seenBy: string } }[] }[]).flatMap((u) => u.reviews.map((r) => r.product.seenBy)));
          expect([...seen]).toEqual([`${caller.record.tenant}/${[...caller.record.scopes].sort().join(',')}`]);
        }
      }
    }
    // The development admin (no token) asks the same: its own view, never a partner's entry.
    const dev = JSON.parse((await post(gateways.get('entity cache')!.graphqlUrl, query)).text);
    expect(new Set(dev.data.users.flatMap((u: { reviews: { product: { seenBy: string } }[] }) => u.reviews.map((r) => r.product.seenBy)))).toEqual(new Set(['default/admin']));
  }, 30_000);

  it('shares entries between two callers of the same view (same tenant and scopes, another token)', async () => {
    const service = createTokenService({ tokens: stores.tokens, knownSuppliers: [] });
    const by = { actor: 'cli:test', subject: 'cli' };
    const [one, two] = await Promise.all([service.issue({ tenant: 'umbrella', scopes: ['admin'] }, by), service.issue({ tenant: 'umbrella', scopes: ['admin'] }, by)]);
    const query = { query: '{ users(first: 2) { reviews { product { upc seenBy } } } }' };
    const url = gateways.get('entity cache')!.graphqlUrl;
    const first = await post(url, query, { authorization: `Bearer ${one!.token}` });
    fixture.reset();
    const second = await post(url, query, { authorization: `Bearer ${two!.token}` });
    expect(second.text).toBe(first.text);
    expect(products()).toBe(0);
  }, 30_000);
});
