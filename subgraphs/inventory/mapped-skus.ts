import type { CatalogStore } from '../../platform/ports/catalog-store.ts';

/** A supplier SKU we sell, with the canonical product it maps to. */
export interface MappedSku {
  readonly sku: string;
  readonly supplierSku: string;
}

const PAGE_SIZE = 500;

/**
 * Walks the catalog by its cursor and yields one supplier's mapped SKUs in batches of at most `batchSize` (the
 * supplier's `maxStockBatch`), holding one catalog page at a time, so a poll or a reconciliation of a large
 * catalog never loads it whole.
 */
export async function* mappedSkuBatches(catalog: CatalogStore, supplier: string, batchSize: number): AsyncGenerator<MappedSku[]> {
  let buffer: MappedSku[] = [];
  let after: string | null = null;
  do {
    const page = await catalog.list(PAGE_SIZE, after);
    after = page.nextCursor;
    for (const product of page.items) {
      for (const m of product.suppliers) if (m.supplier === supplier) buffer.push({ sku: product.sku, supplierSku: m.supplierSku });
    }
    while (buffer.length >= batchSize) {
      yield buffer.slice(0, batchSize);
      buffer = buffer.slice(batchSize);
    }
  } while (after !== null);
  if (buffer.length > 0) yield buffer;
}
