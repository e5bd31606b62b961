import type { CallContext, SupplierConnector } from '../../adapters/core/connector.ts';
import type { CatalogItem } from '../../kernel/model.ts';
import type { CatalogStore } from '../../platform/ports/catalog-store.ts';
import type { Logger } from '../../platform/logger.ts';
import { canonicalSkuFor } from './canonical-sku.ts';
import { createFamilyImport } from './import-families.ts';

export interface ImportProgress {
  readonly supplier: string;
  readonly pages: number;
  readonly items: number;
  readonly created: number;
  readonly matched: number;
  readonly unmatchable: number;
  readonly done: boolean;
}

export interface ImportSummary {
  readonly bySupplier: readonly ImportProgress[];
  readonly products: number;
}

export interface ImportOptions {
  readonly connectors: readonly SupplierConnector[];
  readonly catalog: CatalogStore;
  readonly log: Logger;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ImportProgress) => void;
}

type Outcome = 'created' | 'matched' | 'unmatchable';

/** The canonical product an item landed on (null when unmatchable), and how. */
export interface ImportedItem {
  readonly outcome: Outcome;
  readonly sku: string | null;
  /** The family of the product it landed on, as read while matching (the families step decides on it). */
  readonly familyId: string | null;
}

/** Maps one supplier item onto a canonical product: by GTIN, else by manufacturer + MPN, else a new product. */
async function importItem(catalog: CatalogStore, supplier: string, item: CatalogItem): Promise<ImportedItem> {
  const mapping = { supplier, supplierSku: item.supplierSku };
  const known = await catalog.findBySupplierSku(supplier, item.supplierSku);
  if (known) return { outcome: 'matched', sku: known.sku, familyId: known.familyId };
  const match = await catalog.findByIdentifiers({ gtin: item.gtin, manufacturer: item.manufacturer, mpn: item.mpn });
  if (match) {
    await catalog.upsertSupplierMapping(match.sku, mapping);
    return { outcome: 'matched', sku: match.sku, familyId: match.familyId };
  }
  const sku = canonicalSkuFor(item);
  if (!sku) return { outcome: 'unmatchable', sku: null, familyId: null };
  const result = await catalog.insert({
    sku,
    title: item.title,
    brand: item.brand,
    gtin: item.gtin,
    manufacturer: item.manufacturer,
    mpn: item.mpn,
    description: item.description,
    suppliers: [mapping],
  });
  if (result.inserted) return { outcome: 'created', sku, familyId: result.product.familyId };
  // Another importer created it first (unique index): join that product.
  await catalog.upsertSupplierMapping(result.existing.sku, mapping);
  return { outcome: 'matched', sku: result.existing.sku, familyId: result.existing.familyId };
}

/**
 * Pulls every supplier's catalog page by page (sync lane) and normalises it into canonical products.
 * Suppliers are imported one after another so matches are deterministic: the first supplier to list a product
 * gives it its title.
 */
export async function importCatalogs(options: ImportOptions): Promise<ImportSummary> {
  const bySupplier: ImportProgress[] = [];
  for (const connector of options.connectors) {
    const ctx: CallContext = {
      signal: options.signal ?? new AbortController().signal,
      log: options.log.child({ supplier: connector.supplier, op: 'import' }),
      requestId: `import-${connector.supplier}-${Date.now()}`,
      lane: 'sync',
    };
    let progress: ImportProgress = { supplier: connector.supplier, pages: 0, items: 0, created: 0, matched: 0, unmatchable: 0, done: false };
    let cursor: string | null = null;
    // Families are decided across pages: the same outcome however the supplier pages its catalog.
    const families = createFamilyImport(options.catalog, connector.supplier);
    do {
      const page = await connector.listCatalog(cursor, ctx);
      const counts = { created: 0, matched: 0, unmatchable: 0 };
      const imported: { item: CatalogItem; sku: string | null; familyId: string | null }[] = [];
      for (const item of page.items) {
        const result = await importItem(options.catalog, connector.supplier, item);
        counts[result.outcome] += 1;
        imported.push({ item, sku: result.sku, familyId: result.familyId });
      }
      // Then the page's families and each variant's options, images and categories (docs/storefront.md).
      await families.page(imported);
      progress = {
        ...progress,
        pages: progress.pages + 1,
        items: progress.items + page.items.length,
        created: progress.created + counts.created,
        matched: progress.matched + counts.matched,
        unmatchable: progress.unmatchable + counts.unmatchable,
      };
      cursor = page.nextCursor;
      options.onProgress?.(progress);
    } while (cursor !== null);
    await families.finish();
    progress = { ...progress, done: true };
    options.onProgress?.(progress);
    bySupplier.push(progress);
  }
  return { bySupplier, products: await options.catalog.count() };
}
