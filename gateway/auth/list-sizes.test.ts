import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { analyzeOperation } from './operation-analysis.ts';
import { readListSizes } from './list-sizes.ts';

const SDL = `
directive @listSize(assumedSize: Int!) on FIELD_DEFINITION
type Query { users(first: Int = 10): [User!]! media: [Media!]! @listSize(assumedSize: 4) }
type User { id: ID! reviews: [Review!]! @listSize(assumedSize: 5) friends: [User!]! }
type Review { id: ID! product: Product }
type Product { upc: ID! reviews(last: Int): [Review!]! @listSize(assumedSize: 5) }
interface Media { id: ID! reviews: [Review!]! @listSize(assumedSize: 3) }
type Book implements Media { id: ID! reviews: [Review!]! }
`;
const schema = buildSchema(SDL);
const listSizes = readListSizes(parse(SDL));
const cost = (query: string, sizes: ReadonlyMap<string, number> | undefined = listSizes) =>
  analyzeOperation({ schema, document: parse(query), scopes: { types: new Map(), fields: new Map() }, defaultListSize: 10, listSizes: sizes, maxVisits: 1_000_000 }).cost;

describe('declared list sizes in the cost estimate', () => {
  it('reads @listSize per Type.field from SDL, interfaces included', () => {
    expect(Object.fromEntries(listSizes)).toEqual({ 'Query.media': 4, 'User.reviews': 5, 'Product.reviews': 5, 'Media.reviews': 3 });
  });

  it('costs a nested page by the declared sizes instead of the default', () => {
    const page = '{ users(first: 6) { id reviews { id product { upc reviews { id } } } } }';
    // A field costs what its parent multiplies: users 1; id, reviews 6 each; id, product 6×5; upc, reviews 30;
    // id 30×5.
    expect(cost(page)).toBe(1 + 6 + 6 + 30 + 30 + 30 + 30 + 150);
    // The same page with the default size of 10 everywhere: twice as many reviews at each level.
    expect(cost(page, new Map())).toBe(1 + 6 + 6 + 60 + 60 + 60 + 60 + 600);
  });

  it('lets first/last win over the declaration, and falls back to the default where nothing is declared', () => {
    expect(cost('{ users(first: 1) { reviews { product { reviews(last: 2) { id } } } } }')).toBe(1 + 1 + 5 + 5 + 10);
    expect(cost('{ users(first: 1) { friends { id } } }')).toBe(1 + 1 + 10);
  });

  it('takes an interface declaration for the implementing type, and the interface field itself', () => {
    expect(cost('{ media { reviews { id } } }')).toBe(1 + 4 + 12);
    expect(cost('{ media { ... on Book { reviews { id } } } }')).toBe(1 + 4 + 12);
  });

  it('still multiplies: a nesting bomb stays far above the limit with declared sizes', () => {
    const level = (depth: number): string => (depth === 0 ? 'id' : `reviews { product { ${level(depth - 1)} } }`);
    expect(cost(`{ users(first: 100) { ${level(6)} } }`)).toBeGreaterThan(30_000);
  });
});
