import { buildSubgraphSchema } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import { GraphQLError, parse, type GraphQLSchema } from 'graphql';
import { readSubgraphSdl } from '../../schema/subgraphs.ts';
import type { CatalogStore, ProductRecord } from '../../platform/ports/catalog-store.ts';
import type { SubgraphContext } from '../context.ts';
import { onlyAllowedSuppliers } from '../auth/allowed-suppliers.ts';
import { withinBudget } from '../store-deadline.ts';
import type { Resolvers } from './generated/resolvers-types.ts';
import { CODE } from '../../kernel/errors.ts';

export interface CatalogContext extends SubgraphContext {
  readonly products: DataLoader<string, ProductRecord | null>;
}

const MAX_PAGE = 200;

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
      productBySupplierSku: (_parent, { supplier, supplierSku }, ctx) => withinBudget(ctx, 'catalog', 'catalog.findBySupplierSku', () => catalog.findBySupplierSku(supplier, supplierSku)),
    },
    Product: {
      __resolveReference: (ref, ctx) => ctx.products.load(ref.sku),
      supplierSkus: (product, _args, ctx) => onlyAllowedSuppliers(ctx, product.suppliers),
    },
  };
}

export interface CatalogSubgraph {
  readonly name: 'catalog';
  readonly schema: GraphQLSchema;
  readonly extendContext: (base: SubgraphContext) => CatalogContext;
}

export function createCatalogSubgraph(catalog: CatalogStore): CatalogSubgraph {
  return {
    name: 'catalog',
    schema: buildSubgraphSchema({ typeDefs: parse(readSubgraphSdl('catalog')), resolvers: createCatalogResolvers(catalog) as never }),
    extendContext: (base) => ({
      ...base,
      products: new DataLoader(async (skus: readonly string[]) => withinBudget(base, 'catalog', 'catalog.getBySkus', () => catalog.getBySkus(skus))),
    }),
  };
}
