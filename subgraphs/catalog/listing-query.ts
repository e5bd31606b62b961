import { GraphQLError } from 'graphql';
import { CODE } from '../../kernel/errors.ts';
import { sortKeyOf, type ListingDoc, type ListingFilter, type ListingKeys, type ListingPosition, type ListingSortKey, type ListingStore } from '../../platform/ports/listing-store.ts';
import { dec, minorUnitsOf } from '../pricing/money.ts';
import { MAX_QUERY_WORDS, queryTerms, relevance, words } from './listing-terms.ts';

/**
 * A listing query over the read model (docs/storefront.md "Listing"): text, filters, one sort, a keyset cursor and
 * facet counts. Round trips to the store: a page and a scan of the matches' facet fields, in parallel; relevance
 * ranks the scan and reads the page's documents (two, one after the other); a count only past the scan's cap.
 */
export type ListingSort = 'RELEVANCE' | 'PRICE_ASC' | 'PRICE_DESC' | 'AVAILABILITY' | 'NEWEST';

export interface ListingInput {
  readonly query?: string | null;
  readonly filter?: {
    readonly brands?: readonly string[] | null;
    readonly categories?: readonly string[] | null;
    readonly suppliers?: readonly string[] | null;
    readonly inStock?: boolean | null;
    readonly minPrice?: string | null;
    readonly maxPrice?: string | null;
  } | null;
  readonly sort?: ListingSort | null;
  readonly first?: number | null;
  readonly after?: string | null;
}

export interface FacetValue {
  readonly value: string;
  readonly count: number;
}

export interface PriceRange {
  readonly min: string;
  /** Null: open-ended. */
  readonly max: string | null;
  readonly count: number;
}

export interface ListingFacets {
  readonly brands: FacetValue[];
  readonly categories: FacetValue[];
  readonly suppliers: FacetValue[];
  readonly inStock: number;
  readonly outOfStock: number;
  readonly priceRanges: PriceRange[];
  /** How many matches the facets counted: below totalCount only past SCAN_CAP. */
  readonly counted: number;
}

export interface ListingResult {
  readonly items: { readonly doc: ListingDoc; readonly cursor: string }[];
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
  readonly totalCount: number;
  readonly facets: ListingFacets;
}

export const DEFAULT_FIRST = 24;
export const MAX_FIRST = 100;
/** Facets and relevance are computed over at most this many matches (a stated bound; docs/storefront.md). */
export const SCAN_CAP = 5_000;
/** Values listed per facet, most frequent first. */
export const FACET_CAP = 20;
const MAX_FILTER_VALUES = 50;
const MAX_QUERY_LENGTH = 200;
/** Price range bounds in major units of the store currency. */
const PRICE_BOUNDS = [0, 25, 50, 100, 250, 500];

const bad = (message: string, argumentName: string): GraphQLError => new GraphQLError(message, { extensions: { code: CODE.BAD_USER_INPUT, argumentName } });

const SORT_KEY: Readonly<Record<Exclude<ListingSort, 'RELEVANCE'>, ListingSortKey>> = { PRICE_ASC: 'priceAsc', PRICE_DESC: 'priceDesc', AVAILABILITY: 'availability', NEWEST: 'newest' };

export function encodeCursor(sort: ListingSort, p: ListingPosition): string {
  return Buffer.from(JSON.stringify({ s: sort, k: p.key, id: p.sku })).toString('base64url');
}

export function decodeCursor(cursor: string, sort: ListingSort): ListingPosition {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown; k?: unknown; id?: unknown };
    if (v.s === sort && typeof v.k === 'number' && Number.isFinite(v.k) && typeof v.id === 'string') return { key: v.k, sku: v.id };
  } catch {
    // falls through to the refusal
  }
  throw bad('after is not a cursor of this listing and sort', 'after');
}

const values = (list: readonly string[] | null | undefined, name: string, normalise: (s: string) => string): string[] | undefined => {
  if (list === null || list === undefined) return undefined;
  if (list.length > MAX_FILTER_VALUES) throw bad(`filter.${name} takes at most ${MAX_FILTER_VALUES} values`, 'filter');
  return [...new Set(list.map(normalise))];
};

function minorBound(amount: string | null | undefined, currency: string, name: string): number | undefined {
  if (amount === null || amount === undefined) return undefined;
  let d;
  try {
    d = dec(amount);
  } catch {
    throw bad(`filter.${name} is not a decimal amount`, 'filter');
  }
  if (d.isNegative()) throw bad(`filter.${name} is below zero`, 'filter');
  return d.shiftedBy(minorUnitsOf(currency)).integerValue().toNumber();
}

/** The store filter of an input; `allowedSuppliers` (a partner limited to some) narrows the supplier filter. */
export function filterOf(input: ListingInput, storeCurrency: string, allowedSuppliers?: readonly string[]): ListingFilter {
  const text = input.query ?? '';
  if (text.length > MAX_QUERY_LENGTH) throw bad(`query is longer than ${MAX_QUERY_LENGTH} characters`, 'query');
  const terms = queryTerms(text);
  if (terms.length > MAX_QUERY_WORDS) throw bad(`query has more than ${MAX_QUERY_WORDS} words`, 'query');
  const f = input.filter ?? {};
  const lower = (s: string) => s.trim().toLowerCase();
  let suppliers = values(f.suppliers, 'suppliers', (s) => s.trim());
  if (allowedSuppliers !== undefined) suppliers = (suppliers ?? [...allowedSuppliers]).filter((s) => allowedSuppliers.includes(s));
  const brandKeys = values(f.brands, 'brands', lower);
  const categoryKeys = values(f.categories, 'categories', lower);
  const minPriceMinor = minorBound(f.minPrice, storeCurrency, 'minPrice');
  const maxPriceMinor = minorBound(f.maxPrice, storeCurrency, 'maxPrice');
  return {
    ...(terms.length > 0 ? { terms } : {}),
    ...(brandKeys ? { brandKeys } : {}),
    ...(categoryKeys ? { categoryKeys } : {}),
    ...(suppliers ? { suppliers } : {}),
    ...(f.inStock === null || f.inStock === undefined ? {} : { inStock: f.inStock }),
    ...(minPriceMinor === undefined ? {} : { minPriceMinor }),
    ...(maxPriceMinor === undefined ? {} : { maxPriceMinor }),
  };
}

function top(counts: Map<string, { value: string; count: number }>): FacetValue[] {
  return [...counts.values()].sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)).slice(0, FACET_CAP);
}

/** Facet counts over the matches (every filter applied, the facet's own included). */
export function facetsOf(keys: readonly ListingKeys[], currency: string): ListingFacets {
  const brands = new Map<string, { value: string; count: number }>();
  const categories = new Map<string, { value: string; count: number }>();
  const suppliers = new Map<string, { value: string; count: number }>();
  const bump = (m: Map<string, { value: string; count: number }>, key: string, value: string) => {
    const e = m.get(key);
    if (e) e.count += 1;
    else m.set(key, { value, count: 1 });
  };
  const minor = 10 ** minorUnitsOf(currency);
  const ranges = PRICE_BOUNDS.map((min, i) => ({ min: min * minor, max: i + 1 < PRICE_BOUNDS.length ? PRICE_BOUNDS[i + 1]! * minor : null, count: 0 }));
  let inStock = 0;
  for (const k of keys) {
    if (k.brand !== null && k.brandKey !== null) bump(brands, k.brandKey, k.brand);
    for (const c of new Set(k.categories)) bump(categories, c.trim().toLowerCase(), c);
    for (const s of new Set(k.suppliers)) bump(suppliers, s, s);
    if (k.inStock) inStock += 1;
    if (k.priceMinor !== null) {
      const r = ranges.find((x) => k.priceMinor! >= x.min && (x.max === null || k.priceMinor! < x.max));
      if (r) r.count += 1;
    }
  }
  const major = (m: number) => dec(m).shiftedBy(-minorUnitsOf(currency)).toFixed(minorUnitsOf(currency));
  return {
    brands: top(brands),
    categories: top(categories),
    suppliers: top(suppliers),
    inStock,
    outOfStock: keys.length - inStock,
    priceRanges: ranges.map((r) => ({ min: major(r.min), max: r.max === null ? null : major(r.max), count: r.count })),
    counted: keys.length,
  };
}

/** Relevance as a sort key (ascending): a higher score first, then products in stock. */
const relevanceKey = (text: string, k: ListingKeys): number => -(relevance(text, k) * 2 + (k.inStock ? 1 : 0));

export async function runListing(store: ListingStore, input: ListingInput, storeCurrency: string, allowedSuppliers?: readonly string[]): Promise<ListingResult> {
  const first = input.first ?? DEFAULT_FIRST;
  if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST) throw bad(`first must be between 1 and ${MAX_FIRST}`, 'first');
  const filter = filterOf(input, storeCurrency, allowedSuppliers);
  const text = input.query ?? '';
  // Relevance needs words to rank by; without them it is "most available first".
  const sort: ListingSort = input.sort === 'RELEVANCE' || !input.sort ? (words(text).length > 0 ? 'RELEVANCE' : 'AVAILABILITY') : input.sort;
  const after = input.after ? decodeCursor(input.after, sort) : null;
  const empty = filter.suppliers !== undefined && filter.suppliers.length === 0;
  if (empty) return { items: [], hasNextPage: false, endCursor: null, totalCount: 0, facets: facetsOf([], storeCurrency) };

  let docs: { doc: ListingDoc; key: number }[];
  let keys: ListingKeys[];
  if (sort === 'RELEVANCE') {
    keys = await store.scan(filter, SCAN_CAP);
    const ranked = keys.map((k) => ({ sku: k.sku, key: relevanceKey(text, k) })).sort((a, b) => a.key - b.key || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    const rest = after === null ? ranked : ranked.filter((r) => r.key > after.key || (r.key === after.key && r.sku > after.sku));
    const chosen = rest.slice(0, first + 1);
    const read = await store.getBySkus(chosen.map((c) => c.sku));
    docs = chosen.flatMap((c, i) => (read[i] ? [{ doc: read[i]!, key: c.key }] : []));
  } else {
    const key = SORT_KEY[sort];
    const [page, scanned] = await Promise.all([store.page(filter, key, after, first + 1), store.scan(filter, SCAN_CAP)]);
    keys = scanned;
    docs = page.map((doc) => ({ doc, key: sortKeyOf(doc, key) }));
  }
  const totalCount = keys.length < SCAN_CAP ? keys.length : await store.count(filter);
  const shown = docs.slice(0, first);
  const items = shown.map(({ doc, key }) => ({ doc, cursor: encodeCursor(sort, { key, sku: doc.sku }) }));
  return { items, hasNextPage: docs.length > first, endCursor: items.length === 0 ? null : items[items.length - 1]!.cursor, totalCount, facets: facetsOf(keys, storeCurrency) };
}
