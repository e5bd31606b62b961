/**
 * Port: the listing read model (docs/storefront.md "Listing"). One document per sellable product with what listings
 * search, filter and sort on — text terms, brand, categories, suppliers, canonical availability, the sell price in
 * the store currency, creation time — kept by the catalog's listing indexer from the production write paths. The
 * store is dumb on purpose: terms are computed by the indexer (subgraphs/catalog/listing-terms.ts), and relevance
 * and facets are computed from `scan`, so the in-memory and MongoDB implementations agree by construction.
 */

/** Sorts the store keeps an index for: each one ascending on one numeric key, ties broken by SKU. */
export type ListingSortKey = 'priceAsc' | 'priceDesc' | 'availability' | 'newest';

export interface ListingDoc {
  readonly sku: string;
  readonly title: string;
  readonly brand: string | null;
  /** Lower-cased brand, what the brand filter and facet use. */
  readonly brandKey: string | null;
  readonly mpn: string | null;
  readonly gtin: string | null;
  readonly familyId: string | null;
  readonly categories: readonly string[];
  /** Lower-cased categories, what the category filter uses. */
  readonly categoryKeys: readonly string[];
  /** Supplier slugs carrying it. */
  readonly suppliers: readonly string[];
  /** Every term a text query may match: whole words and their prefixes (2+ characters), identifiers whole. */
  readonly terms: readonly string[];
  /** Whole words of the title and brand, for relevance (a whole-word hit ranks above a prefix hit). */
  readonly words: readonly string[];
  /** Normalised identifiers (MPN, GTIN, supplier SKUs), for relevance (an identifier hit ranks first). */
  readonly ids: readonly string[];
  /** Units available now summed over the suppliers' canonical stock rows. */
  readonly available: number;
  readonly inStock: boolean;
  /** Sell price in the store currency (decimal string), null when no offer's cost is known yet. */
  readonly price: string | null;
  readonly currency: string | null;
  /** The price in minor units, for range filters and sorting; null with `price`. */
  readonly priceMinor: number | null;
  /** Which supplier's offer the price is from. */
  readonly priceSupplier: string | null;
  readonly createdAt: string;
  /** When the indexer last wrote it. */
  readonly indexedAt: string;
}

export interface ListingFilter {
  /** Every term must match (a term of the document). */
  readonly terms?: readonly string[];
  /** Any of these lower-cased brands. */
  readonly brandKeys?: readonly string[];
  readonly categoryKeys?: readonly string[];
  readonly suppliers?: readonly string[];
  readonly inStock?: boolean;
  /** Inclusive bounds in minor units; a bound excludes unpriced products. */
  readonly minPriceMinor?: number;
  readonly maxPriceMinor?: number;
}

/** A position in a sort: the key's value and the SKU of the last row of the previous page. */
export interface ListingPosition {
  readonly key: number;
  readonly sku: string;
}

/** The facet and ranking fields of one matching document (no title/description: a scan stays small). */
export type ListingKeys = Pick<ListingDoc, 'sku' | 'brand' | 'brandKey' | 'categories' | 'suppliers' | 'inStock' | 'priceMinor' | 'words' | 'ids' | 'available' | 'createdAt'>;

export interface ListingStore {
  /** Inserts or replaces each document whole (by SKU). */
  upsert(docs: readonly ListingDoc[]): Promise<void>;
  remove(skus: readonly string[]): Promise<void>;
  /** Documents in the order of `skus`; null where absent. */
  getBySkus(skus: readonly string[]): Promise<(ListingDoc | null)[]>;
  /** Up to `limit` (1..201) matching documents ordered by the sort key then SKU, strictly after `after`. */
  page(filter: ListingFilter, sort: ListingSortKey, after: ListingPosition | null, limit: number): Promise<ListingDoc[]>;
  /** The keys of up to `limit` matching documents (any order): facets, counts and relevance are computed from them. */
  scan(filter: ListingFilter, limit: number): Promise<ListingKeys[]>;
  count(filter: ListingFilter): Promise<number>;
  /** Every SKU held (the indexer's reconciliation with the catalog). */
  skus(): Promise<string[]>;
  clear(): Promise<void>;
}

/** The numeric key a sort orders by; unpriced products sort last both ways. */
export function sortKeyOf(doc: Pick<ListingDoc, 'priceMinor' | 'available' | 'createdAt'>, sort: ListingSortKey): number {
  switch (sort) {
    case 'priceAsc':
      return doc.priceMinor ?? UNPRICED;
    case 'priceDesc':
      return doc.priceMinor === null ? UNPRICED : -doc.priceMinor;
    case 'availability':
      return -doc.available;
    case 'newest':
      return -Date.parse(doc.createdAt);
  }
}

/** Above any price in minor units (2^53 − 1). */
export const UNPRICED = Number.MAX_SAFE_INTEGER;
