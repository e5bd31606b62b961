/** The gateway's operation cost estimate prices a listing page by its size (issue 18; docs/storefront.md "Listing"). */
import { readFileSync } from 'node:fs';
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { analyzeOperation } from '../../gateway/auth/operation-analysis.ts';
import { readListSizes } from '../../gateway/auth/list-sizes.ts';
import { loadConfig } from '../../platform/config.ts';
import { MAX_FIRST } from '../../subgraphs/catalog/listing-query.ts';

const schema = buildSchema(readFileSync('schema/client/schema.graphql', 'utf8'));
const listSizes = readListSizes(parse(readFileSync('schema/supergraph.graphql', 'utf8')));
const cost = (query: string) => analyzeOperation({ schema, document: parse(query), scopes: { types: new Map(), fields: new Map() }, defaultListSize: 10, listSizes, maxVisits: 1_000_000 }).cost;

describe('searchProducts in the operation cost estimate', () => {
  it('costs a page of 24 like productPage(first: 24), plus the one wrapper level per product', () => {
    const listing = cost('{ searchProducts(query: "tee", first: 24) { nodes { product { sku title } } } }');
    const page = cost('{ productPage(first: 24) { nodes { sku title } } }');
    expect(listing).toBe(page + 24);
  });

  it('uses the default first (24) when none is given, and grows with first', () => {
    expect(cost('{ searchProducts { nodes { price { amount } } } }')).toBe(cost('{ searchProducts(first: 24) { nodes { price { amount } } } }'));
    expect(cost('{ searchProducts(first: 100) { nodes { product { sku } } } }')).toBeGreaterThan(4 * cost('{ searchProducts(first: 24) { nodes { product { sku } } } }') - 10);
  });

  it('counts every facet list by the page size: above what they return (20 values, 6 ranges at most), never below', () => {
    // searchProducts 1, facets 1, the list 1, its field × 24 (a connection's `first` sizes the lists below it).
    expect(cost('{ searchProducts(first: 24) { facets { priceRanges { count } } } }')).toBe(1 + 1 + 1 + 24);
    expect(cost('{ searchProducts(first: 24) { facets { brands { count } } } }')).toBe(1 + 1 + 1 + 24);
  });

  it('a storefront listing page with every facet fits the default cost limit up to the largest first served; far past it the estimate refuses it', () => {
    // The listing bench:listing measures, at a given first (the resolver serves 1..MAX_FIRST).
    const listing = (first: number) => cost(`{ searchProducts(query: "shirt", filter: { brands: ["Gildan"], inStock: true }, sort: PRICE_ASC, first: ${first}) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { cursor available inStock price { amount currency } product { sku title brand supplierSkus { supplier supplierSku } } }
      facets { brands { value count } categories { value count } suppliers { value count } inStock outOfStock priceRanges { min max count } counted } } }`);
    const { maxCost } = loadConfig({}).auth.limits;
    expect(listing(MAX_FIRST)).toBeLessThanOrEqual(maxCost);
    expect(listing(MAX_FIRST)).toBeGreaterThan(4 * listing(24) - 100);
    expect(listing(10 * MAX_FIRST)).toBeGreaterThan(maxCost);
  });
});
