import type { ListingStore } from '../../platform/ports/listing-store.ts';
import type { ProductRecord } from '../../platform/ports/catalog-store.ts';
import { Decimal } from '../scalars.ts';
import { withinBudget } from '../store-deadline.ts';
import type { CatalogContext } from './index.ts';
import type { Resolvers } from './generated/resolvers-types.ts';
import { runListing } from './listing-query.ts';

export interface ListingOptions {
  readonly store: ListingStore;
  /** STORE_CURRENCY: what listing prices and price filters are in. */
  readonly storeCurrency: string;
}

/**
 * `searchProducts` (docs/storefront.md "Listing"). The page's products are read through the request's product loader
 * (one batched catalog read), so `product { … }` costs the same as in `productPage`; everything else comes from the
 * listing read model.
 */
export function createListingResolvers(options: ListingOptions): Resolvers<CatalogContext> {
  return {
    Decimal,
    Query: {
      searchProducts: async (_parent, args, ctx) => {
        const result = await withinBudget(ctx, 'catalog', 'listing.search', () => runListing(options.store, args, options.storeCurrency, ctx.auth.suppliers));
        const products = await ctx.products.loadMany(result.items.map((i) => i.doc.sku));
        const nodes = result.items.flatMap((item, i) => {
          const product = products[i];
          // Removed since it was indexed (the indexer catches up): left out rather than failing the page.
          if (product === null || product === undefined || product instanceof Error) return [];
          const { doc } = item;
          return [{
            product: product as ProductRecord,
            price: doc.price === null || doc.currency === null ? null : { amount: doc.price, currency: doc.currency },
            priceSupplier: doc.priceSupplier,
            available: doc.available,
            inStock: doc.inStock,
            cursor: item.cursor,
          }];
        });
        return { nodes, pageInfo: { hasNextPage: result.hasNextPage, endCursor: result.endCursor }, totalCount: result.totalCount, facets: result.facets };
      },
    },
  };
}
