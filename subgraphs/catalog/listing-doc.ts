import type { Money } from '../../kernel/model.ts';
import type { ProductRecord } from '../../platform/ports/catalog-store.ts';
import type { ListingDoc } from '../../platform/ports/listing-store.ts';
import type { StockRecord } from '../../platform/ports/stock-store.ts';
import { dec, minorUnitsOf } from '../pricing/money.ts';
import { docTerms } from './listing-terms.ts';

/** A product's sell price as the listing keeps it: from subgraphs/pricing over the offer cache, never a live call. */
export interface ListingPrice {
  readonly amount: Money;
  readonly supplier: string;
}

/** An amount in minor units (12.99 USD → 1299), for range filters and sorting. */
export const minorOf = (m: Money): number => dec(m.amount).shiftedBy(minorUnitsOf(m.currency)).integerValue().toNumber();

/**
 * The listing document of one product: what listings search, filter and sort on, from the canonical records only —
 * the catalog record, its canonical stock rows (availability summed over suppliers) and its sell price.
 */
export function listingDocOf(product: ProductRecord, rows: readonly StockRecord[], price: ListingPrice | null, indexedAt: string): ListingDoc {
  const available = rows.reduce((sum, r) => sum + Math.max(0, r.available), 0);
  const categories = [...new Set(product.categories ?? [])];
  const t = docTerms({ title: product.title, brand: product.brand, mpn: product.mpn, gtin: product.gtin, supplierSkus: product.suppliers.map((s) => s.supplierSku) });
  return {
    sku: product.sku,
    title: product.title,
    brand: product.brand,
    brandKey: product.brand === null ? null : product.brand.trim().toLowerCase(),
    mpn: product.mpn,
    gtin: product.gtin,
    familyId: product.familyId ?? null,
    categories,
    categoryKeys: [...new Set(categories.map((c) => c.trim().toLowerCase()))],
    suppliers: [...new Set(product.suppliers.map((s) => s.supplier))].sort(),
    terms: t.terms,
    words: t.words,
    ids: t.ids,
    available,
    inStock: available > 0,
    price: price === null ? null : price.amount.amount,
    currency: price === null ? null : price.amount.currency,
    priceMinor: price === null ? null : minorOf(price.amount),
    priceSupplier: price === null ? null : price.supplier,
    createdAt: product.createdAt,
    indexedAt,
  };
}
