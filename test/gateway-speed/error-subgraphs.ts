/**
 * Three small Federation 2 subgraphs over HTTP that fail in the ways a real one does, for comparing the fast
 * executor's errors with Apollo's: `shop` answers products, one root field that throws with an extension code and
 * one that breaks a non-null contract; `stock` answers each product's stock, throwing for one product and returning
 * null for a non-null field of another; `ratings` is down (its URL points at a closed port).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@apollo/composition';
import { execute, GraphQLError, parse, type GraphQLSchema } from 'graphql';

const SHOP = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
type Query { products: [Product!]! boom: String broken: Item! items: [Item] }
type Item { name: String! note: String }
type Product @key(fields: "upc") { upc: String! name: String! }`;
const STOCK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Product @key(fields: "upc") { upc: String! stock: Int warehouse: Warehouse }
type Warehouse { code: String! city: String }`;
const RATINGS = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Product @key(fields: "upc") { upc: String! rating: Float }`;

const PRODUCTS = ['a1', 'a2', 'a3', 'a4'].map((upc) => ({ upc, name: `Product ${upc}` }));

function schemas(): Record<'shop' | 'stock' | 'ratings', GraphQLSchema> {
  return {
    shop: buildSubgraphSchema({
      typeDefs: parse(SHOP),
      resolvers: {
        Query: {
          products: () => PRODUCTS,
          boom: () => {
            throw new GraphQLError('shop is out of order', { extensions: { code: 'SHOP_CLOSED', retryAfter: 30 } });
          },
          broken: () => ({ name: null }),
          items: () => [{ name: 'kept', note: 'x' }, { name: null }, { name: 'also kept' }],
        },
        Product: { __resolveReference: (ref: { upc: string }) => PRODUCTS.find((p) => p.upc === ref.upc) ?? null },
      } as never,
    }),
    stock: buildSubgraphSchema({
      typeDefs: parse(STOCK),
      resolvers: {
        Product: {
          __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc }),
          stock: (p: { upc: string }) => {
            if (p.upc === 'a2') throw new Error('stock feed unavailable for a2');
            return p.upc === 'a3' ? null : 7;
          },
          warehouse: (p: { upc: string }) => (p.upc === 'a4' ? { code: null, city: 'Lyon' } : { code: `W-${p.upc}`, city: 'Paris' }),
        },
      } as never,
    }),
    ratings: buildSubgraphSchema({ typeDefs: parse(RATINGS), resolvers: {} as never }),
  };
}

export interface ErrorSubgraphs {
  readonly supergraphSdl: string;
  close(): Promise<void>;
}

export async function startErrorSubgraphs(): Promise<ErrorSubgraphs> {
  const built = schemas();
  const servers: Server[] = [];
  const urls: Record<string, string> = {};
  for (const name of ['shop', 'stock', 'ratings'] as const) {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables?: Record<string, unknown> };
        void Promise.resolve(execute({ schema: built[name], document: parse(body.query), variableValues: body.variables ?? {} })).then((result) => {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    servers.push(server);
  }
  // `ratings` is down: its server closes before the first query; its port then refuses connections.
  const ratings = servers.pop()!;
  await new Promise<void>((resolve) => ratings.close(() => resolve()));
  const composed = composeServices([
    { name: 'shop', url: urls['shop']!, typeDefs: parse(SHOP) },
    { name: 'stock', url: urls['stock']!, typeDefs: parse(STOCK) },
    { name: 'ratings', url: urls['ratings']!, typeDefs: parse(RATINGS) },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  return {
    supergraphSdl: composed.supergraphSdl,
    close: async () => void (await Promise.all(servers.map((s) => new Promise<void>((resolve) => { s.closeAllConnections(); s.close(() => resolve()); })))),
  };
}

/** Each case fails somewhere: the answer (data, errors, their order, paths and extensions) must not depend on the executor. */
export const ERROR_CASES: readonly { readonly name: string; readonly query: string; readonly variables?: Record<string, unknown> }[] = [
  { name: 'a root field throws with an extension code', query: '{ boom products { upc } }' },
  { name: 'a non-null field answered null (propagates to the nullable parent)', query: '{ broken { name note } boom }' },
  { name: 'nulls inside a list of nullable items', query: '{ items { name note } }' },
  { name: 'an entity fetch with an error for one entity and a null for another', query: '{ products { upc name stock } }' },
  { name: 'a non-null field null inside an entity (bubbles to the nullable warehouse)', query: '{ products { upc warehouse { code city } } }' },
  { name: 'a subgraph that is down', query: '{ products { upc name rating } }' },
  { name: 'down and failing together, with aliases', query: '{ first: products { id: upc r: rating s: stock } boom }' },
];
