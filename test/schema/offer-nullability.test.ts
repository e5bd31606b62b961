/**
 * A supplier that cannot answer must never empty a product or a page (issue 12). Every Offer field but the key comes
 * from the supplier's own subgraph; if that subgraph does not answer, @apollo/gateway nulls those fields, and a
 * non-null one carries the null up through `offers: [Offer!]!` to the product. The behaviour is pinned end to end in
 * test/e2e/request-budget.e2e.test.ts; this pins the schema rule for every supplier of the registry.
 */
import { buildASTSchema, isNonNullType, parse, type GraphQLObjectType, type GraphQLInterfaceType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { inventoryOfferStubsSdl, supplierSubgraphSdl } from '../../schema/generate.ts';
import { SUPPLIERS } from '../../platform/supplier-registry.ts';
import { readSupergraph } from '../../gateway/supergraph.ts';

const nonNullFields = (type: GraphQLObjectType | GraphQLInterfaceType): string[] =>
  Object.values(type.getFields())
    .filter((f) => isNonNullType(f.type))
    .map((f) => f.name);

describe('Offer nullability', () => {
  it('makes only the key non-null, in the supergraph and in every generated SDL', () => {
    const api = buildASTSchema(parse(readSupergraph(undefined)), { assumeValidSDL: true });
    for (const name of ['Offer', ...SUPPLIERS.map((s) => s.offerType)]) {
      expect(nonNullFields(api.getType(name) as GraphQLObjectType), name).toEqual(['id']);
    }
    const sdl = [inventoryOfferStubsSdl(), ...SUPPLIERS.map(supplierSubgraphSdl)].join('\n');
    for (const line of sdl.split('\n').filter((l) => /^\s+(supplier|supplierSku|stale|available|status|cost|leadTimeDays|asOf):/.test(l))) {
      expect(line, 'an Offer field other than id is non-null').not.toMatch(/!/);
    }
  });

  it('keeps the product\'s offer list non-null: the list and its references come from inventory, not the supplier', () => {
    const api = buildASTSchema(parse(readSupergraph(undefined)), { assumeValidSDL: true });
    const offers = (api.getType('Product') as GraphQLObjectType).getFields()['offers']!;
    expect(String(offers.type)).toBe('[Offer!]!');
  });
});
