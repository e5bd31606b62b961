/**
 * The bench fixture's answer memo (bench/gateway/fixture/serve.ts, `memo: true`, used by `npm run bench:gateway`
 * only) never hands one signed view's answer to another, still checks every signature and counts every request,
 * and never replays a mutation (issue 15: the fixture must not limit the bench, nor change what it measures).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type RunningFixture } from '../../bench/gateway/fixture/serve.ts';
import { createGatewayTokenSigner, GATEWAY_AUTH_HEADER } from '../../platform/auth/gateway-token.ts';
import type { Principal } from '../../platform/auth/principal.ts';

const SECRET = 'gateway-speed-test-signing-secret-0123456789';
const signer = createGatewayTokenSigner(SECRET);
const ACME: Principal = { kind: 'api-token', subject: 'tok-1', tenant: 'acme', scopes: ['catalog:read'] };
const ACME_OTHER_SCOPES: Principal = { kind: 'api-token', subject: 'tok-1', tenant: 'acme', scopes: ['catalog:read', 'orders:read'] };
const INITECH: Principal = { kind: 'api-token', subject: 'tok-1', tenant: 'initech', scopes: ['catalog:read'] };

let fixture: RunningFixture;

const send = async (subgraph: 'accounts' | 'products', body: string, header?: string) => {
  const response = await fetch(fixture.urls[subgraph], { method: 'POST', headers: { 'content-type': 'application/json', ...(header ? { [GATEWAY_AUTH_HEADER]: header } : {}) }, body });
  return { status: response.status, json: (await response.json()) as { data?: Record<string, unknown> } };
};
const signed = async (subgraph: 'accounts' | 'products', principal: Principal, body: string) => send(subgraph, body, await signer.sign(principal, subgraph, body));

beforeAll(async () => {
  fixture = await startFixture({ signingSecret: SECRET, memo: true });
}, 30_000);
afterAll(async () => fixture?.close());

describe('bench fixture answer memo', () => {
  it('keys by the verified view: the same body answers each tenant and scope set its own, twice', { timeout: 20_000 }, async () => {
    const body = JSON.stringify({ query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { upc seenBy } } }', variables: { r: [{ __typename: 'Product', upc: 'p1' }] } });
    fixture.reset();
    for (let round = 0; round < 2; round++) {
      for (const [principal, seen] of [[ACME, 'acme/catalog:read'], [ACME_OTHER_SCOPES, 'acme/catalog:read,orders:read'], [INITECH, 'initech/catalog:read']] as const) {
        const answer = await signed('products', principal, body);
        expect(answer.status).toBe(200);
        expect(answer.json.data?.['_entities']).toEqual([{ upc: 'p1', seenBy: seen }]);
      }
      const anonymous = await send('products', body);
      expect(anonymous.json.data?.['_entities']).toEqual([{ upc: 'p1', seenBy: 'anonymous' }]);
    }
    expect(fixture.counters.requests.products).toBe(8);
    expect(fixture.counters.signed).toBe(6);
  });

  it('still verifies before answering from the memo: a replayed or foreign header is refused', { timeout: 20_000 }, async () => {
    const body = JSON.stringify({ query: '{ whoami }' });
    const header = await signer.sign(ACME, 'accounts', body);
    expect((await send('accounts', body, header)).json.data).toEqual({ whoami: 'acme/tok-1/catalog:read' });
    fixture.reset();
    expect((await send('accounts', body, header)).status).toBe(401);
    expect((await send('accounts', body, await createGatewayTokenSigner('another-secret-of-at-least-32-characters!').sign(ACME, 'accounts', body))).status).toBe(401);
    expect((await send('accounts', JSON.stringify({ query: '{  whoami }' }), header)).status).toBe(401);
    expect(fixture.counters.refused).toBe(3);
    expect(fixture.counters.requests.accounts).toBe(3);
  });

  it('runs every mutation', { timeout: 20_000 }, async () => {
    const body = JSON.stringify({ query: 'mutation { bump }' });
    const first = (await signed('accounts', ACME, body)).json.data?.['bump'] as number;
    expect((await signed('accounts', ACME, body)).json.data?.['bump']).toBe(first + 1);
  });
});
