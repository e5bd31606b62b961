import { buildSubgraphSchema } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import { GraphQLError, parse, type GraphQLSchema } from 'graphql';
import { readSubgraphSdl } from '../../schema/subgraphs.ts';
import type { CatalogStore, FamilyRecord, ProductRecord } from '../../platform/ports/catalog-store.ts';
import { familyOptions } from './family-options.ts';
import type { SubgraphContext } from '../context.ts';
import { onlyAllowedSuppliers } from '../auth/allowed-suppliers.ts';
import { withinBudget } from '../store-deadline.ts';
import type { Resolvers } from './generated/resolvers-types.ts';
import { CODE } from '../../kernel/errors.ts';
import { mergeResolvers } from '../merge-resolvers.ts';
import { createListingResolvers, type ListingOptions } from './listing-resolvers.ts';

export interface CatalogContext extends SubgraphContext {
  readonly products: DataLoader<string, ProductRecord | null>;
  readonly families: DataLoader<string, FamilyRecord | null>;
  /** A family's variants (up to MAX_PAGE), every family of a request tick in one store call. */
  readonly variants: DataLoader<string, ProductRecord[]>;
}

const MAX_PAGE = 200;
const MAX_FAMILIES = 50;

function pageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw new GraphQLError(`first must be between 1 and ${MAX_PAGE}`, { extensions: { code: CODE.BAD_USER_INPUT, argumentName: 'first' } });
  }
  return first;
}

export function createCatalogResolvers(catalog: CatalogStore): Resolvers<CatalogContext> {
  return {
    Query: {
      product: (_parent, { sku }, ctx) => ctx.products.load(sku),
      // Each store call ends within the request's budget (subgraphs/store-deadline.ts), a hung database included.
      products: async (_parent, { first, after }, ctx) => (await withinBudget(ctx, 'catalog', 'catalog.list', () => catalog.list(pageSize(first), after ?? null))).items as ProductRecord[],
      productPage: async (_parent, { first, after }, ctx) => {
        const page = await withinBudget(ctx, 'catalog', 'catalog.list', () => catalog.list(pageSize(first), after ?? null));
        return {
          nodes: [...page.items],
          pageInfo: { hasNextPage: page.nextCursor !== null, endCursor: page.nextCursor },
          totalCount: await withinBudget(ctx, 'catalog', 'catalog.count', () => catalog.count()),
        };
      },
      family: (_parent, { id }, ctx) => ctx.families.load(id),
      families: (_parent, { ids }, ctx) => {
        if (ids.length < 1 || ids.length > MAX_FAMILIES) {
          throw new GraphQLError(`ids must hold 1 to ${MAX_FAMILIES} family ids`, { extensions: { code: CODE.BAD_USER_INPUT, argumentName: 'ids' } });
        }
        return Promise.all(ids.map((id) => ctx.families.load(id)));
      },
      productBySupplierSku: (_parent, { supplier, supplierSku }, ctx) => withinBudget(ctx, 'catalog', 'catalog.findBySupplierSku', () => catalog.findBySupplierSku(supplier, supplierSku)),
    },
    Product: {
      __resolveReference: (ref, ctx) => ctx.products.load(ref.sku),
      supplierSkus: (product, _args, ctx) => onlyAllowedSuppliers(ctx, product.suppliers),
      family: (product, _args, ctx) => (product.familyId === null ? null : ctx.families.load(product.familyId)),
      options: (product) => [...product.options],
      images: (product) => [...product.images],
      categories: (product) => [...product.categories],
    },
    ProductFamily: {
      __resolveReference: (ref, ctx) => ctx.families.load(ref.id),
      categories: (family) => [...family.categories],
      images: (family) => [...family.images],
      options: async (family, _args, ctx) => familyOptions(await ctx.variants.load(family.id)),
      variants: async (family, { first }, ctx) => (await ctx.variants.load(family.id)).slice(0, first === null || first === undefined ? MAX_PAGE : pageSize(first)),
    },
  };
}

export interface CatalogSubgraph {
  readonly name: 'catalog';
  readonly schema: GraphQLSchema;
  readonly extendContext: (base: SubgraphContext) => CatalogContext;
}

/** `listing`: the listing read model `searchProducts` reads (listing-resolvers.ts). */
export function createCatalogSubgraph(catalog: CatalogStore, listing: ListingOptions): CatalogSubgraph {
  return {
    name: 'catalog',
    schema: buildSubgraphSchema({ typeDefs: parse(readSubgraphSdl('catalog')), resolvers: mergeResolvers(createCatalogResolvers(catalog), createListingResolvers(listing)) as never }),
    extendContext: (base) => ({
      ...base,
      products: new DataLoader(async (skus: readonly string[]) => withinBudget(base, 'catalog', 'catalog.getBySkus', () => catalog.getBySkus(skus))),
      families: new DataLoader(async (ids: readonly string[]) => withinBudget(base, 'catalog', 'catalog.getFamilies', () => catalog.getFamilies(ids))),
      variants: new DataLoader(async (ids: readonly string[]) => withinBudget(base, 'catalog', 'catalog.variantsOfFamilies', () => catalog.variantsOfFamilies(ids, MAX_PAGE))),
    }),
  };
}
