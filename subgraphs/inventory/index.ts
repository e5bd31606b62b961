import { buildSubgraphSchema } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import { parse, type GraphQLSchema } from 'graphql';
import { readSubgraphSdl } from '../../schema/subgraphs.ts';
import type { CatalogStore, ProductRecord } from '../../platform/ports/catalog-store.ts';
import type { StockRecord, StockStore } from '../../platform/ports/stock-store.ts';
import type { DiscrepancyStore } from '../../platform/ports/discrepancy-store.ts';
import { createReconciliationResolvers } from './reconciliation-resolvers.ts';
import { createReservationResolvers } from './reservation-resolvers.ts';
import type { ReservationService } from './reservations.ts';
import type { SubgraphContext } from '../context.ts';
import { mergeResolvers } from '../merge-resolvers.ts';
import { createPricingResolvers, type PricingResolverOptions } from '../pricing/resolvers.ts';
import { onlyAllowedSuppliers } from '../auth/allowed-suppliers.ts';
import { withinBudget } from '../store-deadline.ts';
import { createSupplierStatusResolvers } from './supplier-status-resolvers.ts';
import { SUPPLIERS, offerId } from '../../platform/supplier-registry.ts';
import { scalarResolvers } from '../scalars.ts';
import type { Resolvers } from './generated/resolvers-types.ts';
import type { ProductRef, StockRows } from './product-ref.ts';

export interface InventoryContext extends SubgraphContext {
  readonly stock: DataLoader<string, StockRecord[]>;
  /** Supplier SKU mappings live with the product in the catalog store; read, never written, here. */
  readonly products: DataLoader<string, ProductRecord | null>;
}

const sum = (rows: StockRows, pick: (r: StockRecord) => number): number => rows.reduce((total, r) => total + pick(r), 0);

export function createInventoryResolvers(discrepancies: DiscrepancyStore): Resolvers<InventoryContext> {
  const offerTypeBySupplier = new Map(SUPPLIERS.map((s) => [s.slug, s.offerType]));
  return {
    ...scalarResolvers,
    ...createReconciliationResolvers(discrepancies),
    Product: {
      __resolveReference: (ref: ProductRef) => ({ sku: ref.sku }),
      // A partner limited to some suppliers sees only their rows, and sums over them (docs/security.md).
      stock: async (product, _args, ctx) => onlyAllowedSuppliers(ctx, await ctx.stock.load(product.sku)),
      offers: async (product, _args, ctx) => {
        const record = await ctx.products.load(product.sku);
        if (!record) return [];
        // Only suppliers with a subgraph get an offer; a mapping to a retired supplier is ignored, not an error.
        return onlyAllowedSuppliers(ctx, record.suppliers).flatMap((m) => {
          const offerType = offerTypeBySupplier.get(m.supplier);
          return offerType ? [{ __typename: offerType, id: offerId(m.supplier, m.supplierSku) }] : [];
        }) as never;
      },
    },
    StockSummary: {
      available: (rows) => sum(rows, (r) => r.available),
      onHand: (rows) => sum(rows, (r) => r.onHand),
      reserved: (rows) => sum(rows, (r) => r.reserved),
      committed: (rows) => sum(rows, (r) => r.committed),
      bySupplier: (rows) => [...rows],
    },
    SupplierStockLevel: {
      asOf: (row) => row.supplierAsOf,
    },
    Offer: {
      __resolveType: (offer) => (offer as unknown as { __typename: 'BrightlineOffer' }).__typename,
    },
  };
}

export interface InventorySubgraph {
  readonly name: 'inventory';
  readonly schema: GraphQLSchema;
  readonly extendContext: (base: SubgraphContext) => InventoryContext;
}

/**
 * `reservations` serves the reservation mutations and query (reservation-resolvers.ts); `pricing`, the sell prices
 * and pricing rules this subgraph serves beside the stock they are chosen from (schema/pricing.graphql).
 */
export function createInventorySubgraph(
  stock: StockStore,
  catalog: CatalogStore,
  discrepancies: DiscrepancyStore,
  reservations: ReservationService,
  pricing?: PricingResolverOptions,
): InventorySubgraph {
  return {
    name: 'inventory',
    schema: buildSubgraphSchema({ typeDefs: parse(readSubgraphSdl('inventory')), resolvers: mergeResolvers(createInventoryResolvers(discrepancies), createSupplierStatusResolvers(), createReservationResolvers(reservations), ...(pricing ? [createPricingResolvers(pricing)] : [])) as never }),
    extendContext: (base) => ({
      ...base,
      // Each store read ends within the request's budget (subgraphs/store-deadline.ts), a hung database included.
      stock: new DataLoader(async (skus: readonly string[]) => withinBudget(base, 'stock', 'stock.getBySkus', () => stock.getBySkus(skus))),
      products: new DataLoader(async (skus: readonly string[]) => withinBudget(base, 'catalog', 'catalog.getBySkus', () => catalog.getBySkus(skus))),
    }),
  };
}
