/**
 * GATEWAY_EXECUTOR=fast (gateway/plan-executor/) answers exactly as @apollo/gateway's own executor (issue 15): every
 * federation case of the gateway-speed fixture byte for byte equal to plain @apollo/gateway, alone and with the
 * subgraph pool, in-flight de-duplication and the entity cache; de-duplication and the entity cache still never
 * share across tenants or scopes; and failures — a subgraph error, a null for a non-null field, a subgraph down —
 * come out with the same data, messages, paths, extensions and order as with Apollo's executor. Not timed.
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
import { startBaseline, startEquivalence, type Baseline, type EquivalenceHarness, type EquivalenceVariant } from './equivalence-harness.ts';
import { ERROR_CASES, startErrorSubgraphs, type ErrorSubgraphs } from './error-subgraphs.ts';

const SECRET = 'gateway-speed-fast-executor-secret-0123456789';
const log = createLogger({ level: 'silent', name: 'fast-executor-test' });
const VARIANTS: Readonly<Record<string, EquivalenceVariant>> = {
  fast: { executor: 'fast' },
  'fast and pool': { executor: 'fast', subgraphPool: true },
  'fast and dedup': { executor: 'fast', dedup: true },
  'fast and entity cache': { executor: 'fast', entityCache: true },
  'fast, pool, dedup and entity cache': { executor: 'fast', subgraphPool: true, dedup: true, entityCache: true },
  // Adaptive admission (on in every deployment by default) with the lowest floor: answers pass through its plugin.
  'fast, pool, dedup, entity cache and admission': { executor: 'fast', subgraphPool: true, dedup: true, entityCache: true, admission: { minLimit: 1 } },
};

/** Beyond the fixture's cases: what the compiled shaper decides per response (aliases, conditions, abstract types). */
const SHAPING_CASES: readonly { readonly name: string; readonly query: string; readonly variables?: Record<string, unknown> }[] = [
  {
    name: '@skip / @include by variable, aliases, an aliased __typename',
    query: 'query($with: Boolean!, $skip: Boolean!) { users(first: 2) { id n: name @include(if: $with) t: __typename reviews @skip(if: $skip) { id p: product { upc } } } }',
    variables: { with: true, skip: false },
  },
  {
    name: '@skip / @include the other way, and a literal condition',
    query: 'query($with: Boolean!, $skip: Boolean!) { users(first: 2) { id n: name @include(if: $with) reviews @skip(if: $skip) { id } username @include(if: true) } }',
    variables: { with: false, skip: true },
  },
  {
    name: 'a defaulted condition variable left out',
    query: 'query($with: Boolean = true) { users(first: 2) { id name @include(if: $with) } }',
  },
  {
    name: 'interface fragments, aliased typename, nested fragment spreads',
    query: '{ media { kind: __typename ...M ... on Book { pages } } } fragment M on Media { id title ... on Movie { minutes } }',
  },
  {
    name: 'union members selected twice (merged output, first-seen key order)',
    query: '{ search(text: "item 2") { __typename ... on Product { upc } ... on Product { name upc } ... on Book { id } } }',
  },
  {
    name: 'introspection beside data (left to Apollo\'s executor, the same answer)',
    query: '{ __typename __type(name: "Review") { name fields { name } } users(first: 1) { id } }',
  },
  {
    name: 'the same entity field from two paths, lists of entities',
    query: '{ a: users(first: 3) { id reviews { product { upc name } } } b: users(first: 2) { reviews { product { name inStock } } } }',
  },
];

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
  harness = await startEquivalence({ supergraphSdl, entityCache: FIXTURE_ENTITY_CACHE, signingSecret: SECRET, keyPrefix: 'gateway-speed-fast:', variants: VARIANTS, log });
  ({ stores, baseline, gateways } = harness);
}, 60_000);

afterAll(async () => {
  await harness?.close();
  await fixture?.close();
});

describe.each(Object.keys(VARIANTS))('gateway with %s', (variant) => {
  const cases = [...FEDERATION_CASES.filter((c) => !c.name.startsWith('@inaccessible')), ...SHAPING_CASES];
  it.each(cases)('answers "$name" byte for byte as plain @apollo/gateway', async (c) => {
    const body = { query: c.query, variables: c.variables };
    const expected = await post(baseline.url, body);
    expect(expected.status).toBe(200);
    expect(expected.text).not.toContain('"errors"');
    fixture.reset();
    const actual = await post(gateways.get(variant)!.graphqlUrl, body);
    expect(actual.status).toBe(200);
    expect(actual.text).toBe(expected.text);
    // Again: from the prepared plan and shaper (and from the entity cache where it is on), the same bytes.
    expect((await post(gateways.get(variant)!.graphqlUrl, body)).text).toBe(expected.text);
    expect(fixture.counters.refused).toBe(0);
    expect(fixture.counters.signed).toBe(Object.values(fixture.counters.requests).reduce((a, b) => a + b, 0));
  }, 30_000);

  it('refuses an @inaccessible field as plain @apollo/gateway does', async () => {
    const c = FEDERATION_CASES.find((x) => x.name.startsWith('@inaccessible'))!;
    const expected = await post(baseline.url, { query: c.query });
    const actual = await post(gateways.get(variant)!.graphqlUrl, { query: c.query });
    const codes = (text: string) => (JSON.parse(text) as { errors: { message: string; extensions: { code: string } }[] }).errors.map((e) => [e.message, e.extensions.code]);
    expect(codes(actual.text)).toEqual(codes(expected.text));
    expect(actual.text).toMatch(/birthDate/);
  }, 30_000);

  it('answers many concurrent deep queries, each equal to the baseline', async () => {
    const body = { query: DEEP_QUERY, variables: DEEP_VARIABLES };
    const expected = (await post(baseline.url, body)).text;
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(gateways.get(variant)!.graphqlUrl, body)));
    for (const answer of answers) expect(answer.text).toBe(expected);
  }, 30_000);
});

describe('tenants and scopes with the fast executor', () => {
  const issue = async (views: readonly { tenant: string; scopes: string[] }[]) => {
    const service = createTokenService({ tokens: stores.tokens, knownSuppliers: [] });
    return Promise.all(views.map((v) => service.issue(v, { actor: 'cli:test', subject: 'cli' })));
  };
  const views = [
    { tenant: 'acme', scopes: ['admin'] },
    { tenant: 'globex', scopes: ['admin'] },
    { tenant: 'acme', scopes: ['admin', 'catalog:read'] },
  ];

  it('de-duplication never shares an answer across tenants or scopes', async () => {
    const callers = await issue(views);
    const query = { query: '{ whoami users(first: 3) { id reviews { id product { upc inStock } } } }' };
    const url = gateways.get('fast and dedup')!.graphqlUrl;
    const sent = callers.flatMap((caller) => Array.from({ length: 4 }, () => ({ caller, answer: post(url, query, { authorization: `Bearer ${caller.token}` }) })));
    for (const { caller, answer } of sent) {
      const { status, text } = await answer;
      expect(status).toBe(200);
      expect(JSON.parse(text).data.whoami).toBe(`${caller.record.tenant}/${caller.record.id}/${[...caller.record.scopes].sort().join(',')}`);
    }
  }, 30_000);

  it('the entity cache never shares an entity across tenants or scopes', async () => {
    const callers = await issue(views);
    const query = { query: '{ users(first: 3) { id reviews { id product { upc seenBy } } } }' };
    for (const variant of ['fast and entity cache', 'fast, pool, dedup and entity cache']) {
      for (let round = 0; round < 2; round += 1) {
        for (const caller of callers) {
          const { status, text } = await post(gateways.get(variant)!.graphqlUrl, query, { authorization: `Bearer ${caller.token}` });
          expect(status).toBe(200);
          const seen = new Set<string>((JSON.parse(text).data.users as { reviews: { product: { seenBy: string } }[] }[]).flatMap((u) => u.reviews.map((r) => r.product.seenBy)));
          expect([...seen]).toEqual([`${caller.record.tenant}/${[...caller.record.scopes].sort().join(',')}`]);
        }
      }
    }
  }, 30_000);

  it('runs every mutation through the fast executor, however many identical ones are in flight', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(gateways.get('fast and dedup')!.graphqlUrl, { query: 'mutation { bump }' })));
    expect(new Set(answers.map((a) => JSON.parse(a.text).data.bump as number)).size).toBe(6);
  }, 30_000);
});

describe('failures with the fast executor', () => {
  let failing: ErrorSubgraphs;
  let apolloExecutor: RunningGateway;
  let fastExecutor: RunningGateway;
  let plain: Baseline;

  beforeAll(async () => {
    failing = await startErrorSubgraphs();
    apolloExecutor = await harness.startOurs(failing.supergraphSdl, {});
    fastExecutor = await harness.startOurs(failing.supergraphSdl, { executor: 'fast', subgraphPool: true });
    plain = await startBaseline(failing.supergraphSdl);
  }, 60_000);

  afterAll(async () => {
    await apolloExecutor?.close();
    await fastExecutor?.close();
    await plain?.stop();
    await failing?.close();
  });

  it.each(ERROR_CASES)('"$name": the same answer as with Apollo\'s executor', async (c) => {
    const body = { query: c.query, variables: c.variables };
    // Each request's own id (x-request-id, added to every error's extensions) is the one thing allowed to differ.
    const requestId = { 'x-request-id': 'same-request-id' };
    const expected = await post(apolloExecutor.graphqlUrl, body, requestId);
    const actual = await post(fastExecutor.graphqlUrl, body, requestId);
    expect(JSON.parse(expected.text).errors?.length ?? 0).toBeGreaterThan(0);
    expect(actual.status).toBe(expected.status);
    expect(actual.text).toBe(expected.text);
    // The subgraph errors and value-completion errors are the library's own: plain @apollo/gateway says the same (it
    // adds no request id), except for a subgraph that is down, whose message is our fetcher's (gateway/subgraph-fetch.ts).
    // (Nor the final newline, which Apollo's standalone server adds.)
    if (!c.query.includes('rating')) expect(actual.text.replaceAll(',"requestId":"same-request-id"', '').trimEnd()).toBe((await post(plain.url, body)).text.trimEnd());
  }, 30_000);
});
