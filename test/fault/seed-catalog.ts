/**
 * Seeds the fault suite's database with a handful of products, through the real importer (GTIN / MPN matching)
 * but only from the first few items of each supplier's first catalog page: the suite needs a few products per
 * supplier, and a full import through a busy MongoDB-protocol server costs minutes.
 */
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import type { Logger } from '../../platform/logger.ts';
import type { CatalogStore } from '../../platform/ports/catalog-store.ts';
import { importCatalogs } from '../../subgraphs/catalog/import-catalog.ts';

/** The first `items` items of the connector's first page, and no further page. */
function firstItemsOnly(connector: SupplierConnector, items: number): SupplierConnector {
  return {
    ...connector,
    listCatalog: async (cursor, ctx) => {
      if (cursor !== null) return { items: [], nextCursor: null };
      const page = await connector.listCatalog(null, ctx);
      return { items: page.items.slice(0, items), nextCursor: null };
    },
  };
}

/** Imports a few products per supplier; resolves each supplier's canonical SKUs. */
export async function seedFewProducts(options: {
  connectors: readonly SupplierConnector[];
  catalog: CatalogStore;
  log: Logger;
  perSupplier: number;
}): Promise<Map<string, string[]>> {
  await importCatalogs({ connectors: options.connectors.map((c) => firstItemsOnly(c, options.perSupplier)), catalog: options.catalog, log: options.log });
  const bySupplier = new Map<string, string[]>(options.connectors.map((c) => [c.supplier, []]));
  const page = await options.catalog.list(500, null);
  for (const product of page.items) {
    for (const mapping of product.suppliers) bySupplier.get(mapping.supplier)?.push(product.sku);
  }
  return bySupplier;
}
