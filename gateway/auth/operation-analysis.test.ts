import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readScopeDeclarations } from '../../platform/auth/scope-declarations.ts';
import { analyzeOperation } from './operation-analysis.ts';

const SDL = `
directive @scopes(require: [String!]!) on FIELD_DEFINITION | OBJECT | INTERFACE
type Query {
  product(sku: ID!): Product @scopes(require: ["catalog:read"])
  products(first: Int! = 20): [Product!]! @scopes(require: ["catalog:read"])
  page(first: Int! = 20): Page! @scopes(require: ["catalog:read"])
  order(id: ID!): Order @scopes(require: ["orders:read"])
  viewer: String @scopes(require: [])
  undeclared: Int
  search: [Result!]! @scopes(require: ["catalog:read"])
}
type Mutation {
  "Lands with the orders issue; declared here as it will be."
  placeOrder(sku: ID!): Order @scopes(require: ["orders:write"])
}
type Page { nodes: [Product!]! total: Int! }
type Product { sku: ID! title: String offers: [Offer!]! @scopes(require: ["inventory:read"]) }
interface Offer { id: ID! available: Int }
type AOffer implements Offer @scopes(require: ["inventory:read"]) { id: ID! available: Int a: String }
type BOffer implements Offer @scopes(require: ["inventory:read", "supplier:b"]) { id: ID! available: Int }
type Order @scopes(require: ["orders:read"]) { id: ID! lines: [Line!]! }
type Line { product: Product! quantity: Int! }
union Result = Product | Order
`;
const schema = buildSchema(SDL);
const scopes = readScopeDeclarations(parse(SDL));
const analyze = (query: string, variables?: Record<string, unknown>, maxVisits = 10_000) =>
  analyzeOperation({ schema, document: parse(query), variables, scopes, defaultListSize: 10, maxVisits });
const requiredOf = (facts: ReturnType<typeof analyze>) => Object.fromEntries([...facts.required].map(([scope, fields]) => [scope, [...fields].sort()]));

describe('analyzeOperation', () => {
  it('collects the scopes of every selected field, with type-level and interface implementations', () => {
    const facts = analyze('{ product(sku: "x") { title offers { available ... on AOffer { a } } } }');
    expect(requiredOf(facts)).toEqual({
      'catalog:read': ['Query.product'],
      'inventory:read': ['AOffer.a', 'Offer.available', 'Product.offers'],
      'supplier:b': ['Offer.available'],
    });
    expect(facts.undeclaredRootFields).toEqual([]);
  });

  it('declares placeOrder as orders:write by the same machinery, whatever field it is', () => {
    expect(requiredOf(analyze('mutation { placeOrder(sku: "x") { id } }'))).toEqual({ 'orders:write': ['Mutation.placeOrder'], 'orders:read': ['Order.id'] });
  });

  it('reports root fields nobody declared (admin only), and an empty declaration as "authenticated"', () => {
    const facts = analyze('{ undeclared viewer }');
    expect(facts.undeclaredRootFields).toEqual(['Query.undeclared']);
    expect(facts.required.size).toBe(0);
  });

  it('applies @skip/@include with the variables: a skipped field needs nothing', () => {
    const query = 'query($o: Boolean!) { product(sku: "x") { title offers @include(if: $o) { id } } }';
    expect(requiredOf(analyze(query, { o: false }))).toEqual({ 'catalog:read': ['Query.product'] });
    expect(Object.keys(requiredOf(analyze(query, { o: true }))).sort()).toEqual(['catalog:read', 'inventory:read', 'supplier:b']);
  });

  it('measures depth through fragments and counts aliases and root fields', () => {
    const facts = analyze(`query { a: product(sku: "1") { ...P } b: product(sku: "2") { sku } viewer }
      fragment P on Product { offers { ... on AOffer { a } } }`);
    expect(facts.depth).toBe(3);
    expect(facts.aliases).toBe(2);
    expect(facts.rootFields).toBe(3);
  });

  it('estimates cost from first (literal, variable or default), connection sizes and a default list size', () => {
    expect(analyze('{ products(first: 5) { sku } }').cost).toBe(1 + 5);
    expect(analyze('query($n: Int!) { products(first: $n) { sku } }', { n: 50 }).cost).toBe(1 + 50);
    expect(analyze('{ products { sku } }').cost).toBe(1 + 20);
    // page, total and nodes resolve once; the connection's first sizes the nodes (3); offers have no size: 10 each.
    expect(analyze('{ page(first: 3) { total nodes { sku offers { id } } } }').cost).toBe(1 + 1 + 1 + 3 + 3 + 3 * 10);
    expect(analyze('{ products(first: 5) { __typename } }').cost).toBe(1);
  });

  it('merges fields with one response key like execution does, so a repeated fragment costs once', () => {
    const once = analyze('{ products(first: 10) { sku title } }');
    const repeated = analyze('{ products(first: 10) { ...F ...F sku title } } fragment F on Product { sku title }');
    expect(repeated.cost).toBe(once.cost);
  });

  it('stops walking after maxVisits fields (bounded work whatever the operation), reporting an unbounded cost', () => {
    const fields = Array.from({ length: 30 }, (_, i) => `a${i}: offers { id }`).join(' ');
    expect(analyze(`{ products(first: 200) { ${fields} } }`).cost).toBe(1 + 30 * (200 + 2_000));
    expect(analyze(`{ products(first: 200) { ${fields} } }`, undefined, 20).cost).toBe(Infinity);
  });

  it('flags introspection without counting its depth or cost', () => {
    const facts = analyze('{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }');
    expect(facts.introspection).toBe(true);
    expect(facts.depth).toBe(0);
    expect(facts.cost).toBe(0);
    expect(analyze('{ __typename }').introspection).toBe(false);
  });

  it('sees union members through fragments', () => {
    expect(requiredOf(analyze('{ search { ... on Order { id } ... on Product { title } } }'))).toEqual({
      'catalog:read': ['Query.search'],
      'orders:read': ['Order.id'],
    });
  });
});
