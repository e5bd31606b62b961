/**
 * A manifest entry, not gateway code, defines a subscription: the gateway's subscription endpoint
 * (startGatewaySubscriptions, real WebSocket, real hub, in-process bus) serves `priceChanged`, a root field and
 * topic (`price.changed`) the gateway has never heard of, described only by the test manifest below — event shape,
 * argument filter, credential filter, entity resolution and snapshot. The bus publish here stands for a subgraph
 * that would own the topic: no production path publishes `price.changed`.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, execute, parse, type GraphQLSchema } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryEventBus } from '../../adapters/events/memory-event-bus.ts';
import { DEV_PRINCIPAL } from '../../platform/auth/principal.ts';
import { readScopeDeclarations } from '../../platform/auth/scope-declarations.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { EventBus } from '../../platform/ports/event-bus.ts';
import { openClient, subscribe, waitFor } from '../../test/support/ws-clients.ts';
import { createOperationPolicy } from '../auth/operation-policy.ts';
import { startGatewaySubscriptions, type RunningSubscriptions } from './gateway-subscriptions.ts';
import { loadSubscriptionManifests, parseSubscriptionManifest, subscriptionEntries, type SubscriptionManifest } from './subscription-manifest.ts';

const SDL = `
  directive @scopes(require: [String!]!) on FIELD_DEFINITION | OBJECT | INTERFACE
  type Product { sku: ID! title: String! price: Int! priceVersion: Int! }
  type Query { product(sku: ID!): Product @scopes(require: ["catalog:read"]) }
  "Defined by the test manifest only."
  type PriceChange { sku: ID! cents: Int! version: Int! currency: String! product: Product }
  type Subscription {
    priceChanged(skus: [ID!], snapshot: Boolean = false): PriceChange! @scopes(require: ["catalog:read"])
  }`;
const LIMITS = { maxDepth: 10, maxAliases: 10, maxRootFields: 5, maxCost: 1000, defaultListSize: 10, maxTokens: 2000, maxVariablesBytes: 1000 };
const PRODUCTS: Record<string, { sku: string; title: string; price: number; priceVersion: number }> = {
  'DS-1': { sku: 'DS-1', title: 'Mug', price: 450, priceVersion: 3 },
  'DS-2': { sku: 'DS-2', title: 'Pen', price: 120, priceVersion: 1 },
};

const TEST_MANIFEST: SubscriptionManifest = parseSubscriptionManifest(
  {
    subgraph: 'pricing',
    subscriptions: [
      {
        field: 'priceChanged',
        topic: 'price.changed',
        payloadType: 'PriceChange',
        event: { sku: { type: 'string' }, cents: { type: 'int' }, version: { type: 'int' }, currency: { type: 'string', upperCase: true } },
        versionField: 'version',
        coalesceBy: ['sku'],
        entity: { field: 'product', keyArgument: 'sku', keyFrom: 'sku' },
        filters: [{ kind: 'oneOf', argument: 'skus', field: 'sku', snapshot: true }],
        snapshot: {
          argument: 'snapshot',
          watch: 'skus',
          query: 'query PriceSnapshot($key: ID!) { product(sku: $key) { price priceVersion } }',
          rows: ['product'],
          payload: { sku: { key: true }, cents: { row: 'price' }, version: { row: 'priceVersion' }, currency: { const: 'USD' } },
        },
      },
    ],
  },
  'test manifest',
);

describe('subscriptions come from manifests, not gateway code', () => {
  let server: Server;
  let running: RunningSubscriptions | undefined;
  let events: EventBus;
  const clients: ReturnType<typeof openClient>[] = [];

  async function start(manifests: readonly SubscriptionManifest[]): Promise<string> {
    const schema: GraphQLSchema = buildSchema(SDL);
    events = createMemoryEventBus({ log: silentLogger() });
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    running = await startGatewaySubscriptions({
      options: { events, limits: LIMITS, manifests, origins: { devMode: true, allowed: [] } },
      server,
      path: '/graphql',
      supergraphSdl: SDL,
      schema: () => schema,
      // Stands for the gateway's own execution through the supergraph: the same schema, with a product resolver.
      execute: async (query, variables) =>
        JSON.parse(JSON.stringify(await execute({ schema, document: parse(query), variableValues: variables, rootValue: { product: ({ sku }: { sku: string }) => PRODUCTS[sku] ?? null } }))),
      policy: createOperationPolicy({ scopes: readScopeDeclarations(parse(SDL)), limits: LIMITS }),
      authenticate: async () => DEV_PRINCIPAL,
      log: silentLogger(),
    });
    return url;
  }

  afterEach(async () => {
    for (const c of clients.splice(0)) await c.dispose();
    await running?.close();
    running = undefined;
    await events?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('serves priceChanged from the test manifest alone: snapshot first, then its topic filtered by its argument, entity resolved', async () => {
    const url = await start([TEST_MANIFEST]);
    const client = openClient(url);
    clients.push(client);
    const sub = subscribe(client, `subscription($skus: [ID!]) { priceChanged(skus: $skus, snapshot: true) { sku cents currency version product { title } } }`, { skus: ['DS-1'] });
    // The current state, read with the manifest's snapshot query.
    expect((await sub.nth(1)).data.priceChanged).toEqual({ sku: 'DS-1', cents: 450, currency: 'USD', version: 3, product: { title: 'Mug' } });
    await waitFor(() => running!.subscribers === 1, 'the subscriber');
    await events.publish('price.changed', { sku: 'DS-2', cents: 99, version: 2, currency: 'usd' }); // not watched: filtered out
    await events.publish('price.changed', { sku: 'DS-1', cents: 399, version: 3, currency: 'usd' }); // not newer than the snapshot: dropped
    await events.publish('price.changed', { sku: 'DS-1', cents: '1' }); // not the manifest's shape: dropped
    await events.publish('price.changed', { sku: 'DS-1', cents: 425, version: 4, currency: 'usd' });
    expect((await sub.nth(2)).data.priceChanged).toEqual({ sku: 'DS-1', cents: 425, currency: 'USD', version: 4, product: { title: 'Mug' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sub.results).toHaveLength(2);
    // Several watched keys: one batched read, one snapshot per key.
    const both = subscribe(client, `subscription($skus: [ID!]) { priceChanged(skus: $skus, snapshot: true) { sku cents } }`, { skus: ['DS-1', 'DS-2'] });
    await both.nth(2);
    expect(both.results.map((r) => r.data.priceChanged).sort((a, b) => a.sku.localeCompare(b.sku))).toEqual([{ sku: 'DS-1', cents: 450 }, { sku: 'DS-2', cents: 120 }]);
  });

  it('without a manifest describing it, the same field in the schema is refused: the gateway knows no topic of its own', async () => {
    const url = await start([]);
    const client = openClient(url);
    clients.push(client);
    const sub = subscribe(client, `subscription { priceChanged { sku } }`);
    await sub.settled();
    expect(sub.errors[0]).toEqual([expect.objectContaining({ message: 'Subscription.priceChanged is not served (no subscription manifest describes it)' })]);
  });

  it('the committed manifests (inventory, orders) match the committed supergraph, and a manifest naming what it lacks is refused', () => {
    // The committed supergraph (its Subscription root and payload types are those the gateway serves).
    const api = buildSchema(readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'));
    const served = subscriptionEntries(loadSubscriptionManifests(), api);
    expect([...served.keys()].sort()).toEqual(['orderStatusChanged', 'stockChanged']);
    expect(() => subscriptionEntries([TEST_MANIFEST], api)).toThrow('priceChanged is not a Subscription field of the served schema');
    expect(() => parseSubscriptionManifest({ ...TEST_MANIFEST, subscriptions: [{ ...TEST_MANIFEST.subscriptions[0], coalesceBy: ['price'] }] }, 'bad')).toThrow('names event field price');
  });
});
