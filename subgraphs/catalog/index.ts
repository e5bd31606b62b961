import { buildSubgraphSchema } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import { GraphQLError, parse, type GraphQLSchema } from 'graphql';
import { readSubgraphSdl } from '../../schema/subgraphs.ts';
import type { CatalogStore, ProductRecord } from '../../platform/ports/catalog-store.ts';
import type { SubgraphContext } from '../context.ts';
import type { Resolvers } from './generated/resolvers-types.ts';

export interface CatalogContext extends SubgraphContext {
  readonly products: DataLoader<string, ProductRecord | null>;
}

const MAX_PAGE = 200;

function pageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw new GraphQLError(`first must be between 1 and ${MAX_PAGE}`, { extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' } });
  }
  return first;
}

/** Connection cursors are opaque to clients (base64url of the last SKU), so their form can change later. */
const skuCursor = (sku: string): string => Buffer.from(sku, 'utf8').toString('base64url');
const cursorSku = (cursor: string): string => Buffer.from(cursor, 'base64url').toString('utf8');

export function createCatalogResolvers(catalog: CatalogStore): Resolvers<CatalogContext> {
  return {
    Query: {
      product: (_parent, { sku }, ctx) => ctx.products.load(sku),
      products: async (_parent, { first, after }) => (await catalog.list(pageSize(first), after ?? null)).items as ProductRecord[],
      productPage: async (_parent, { first, after }) => {
        const page = await catalog.list(pageSize(first), after ? cursorSku(after) : null);
        return {
          edges: page.items.map((node) => ({ cursor: skuCursor(node.sku), node })),
          pageInfo: { hasNextPage: page.nextCursor !== null, endCursor: page.items.length ? skuCursor(page.items.at(-1)!.sku) : null },
          totalCount: await catalog.count(),
        };
      },
      productBySupplierSku: (_parent, { supplier, supplierSku }) => catalog.findBySupplierSku(supplier, supplierSku),
    },
    Product: {
      __resolveReference: (ref, ctx) => ctx.products.load(ref.sku),
      supplierSkus: (product) => [...product.suppliers],
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
      products: new DataLoader(async (skus: readonly string[]) => catalog.getBySkus(skus)),
    }),
  };
}
