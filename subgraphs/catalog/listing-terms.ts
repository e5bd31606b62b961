/**
 * The text terms of the listing read model (docs/storefront.md "Listing"). FerretDB 1.24 has no `$text` index, so
 * text search is exact matching on a multikey array: a document holds its words, every prefix of each word from 2
 * characters (up to PREFIX_CAP), and its identifiers whole; a query's words must all be among them. The same
 * normalisation runs on both sides (this module), so the stores only compare strings.
 */

/** Prefixes are kept up to this length; longer query words are cut to it (they still match the same words). */
export const PREFIX_CAP = 15;
/** A text query of more words is refused: each word is one more `$all` member. */
export const MAX_QUERY_WORDS = 8;

/** Lower case, accents off (é → e), anything but letters and digits a separator. */
export function words(text: string | null | undefined): string[] {
  if (!text) return [];
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** An identifier as shoppers type it any way: letters and digits only ("BL-1001/N" → "bl1001n"). */
export function identifier(text: string | null | undefined): string | null {
  const joined = words(text).join('');
  return joined.length === 0 ? null : joined;
}

/** A GTIN-14 as shoppers know it too: without the padding zeros (UPC-A 12 digits, EAN-13). */
function gtinForms(gtin: string | null): string[] {
  const id = identifier(gtin);
  if (id === null) return [];
  const forms = new Set([id, id.replace(/^0+/, '')]);
  if (id.length === 14) {
    forms.add(id.slice(1));
    forms.add(id.slice(2));
  }
  return [...forms].filter((f) => f.length > 0);
}

export interface TermSource {
  readonly title: string;
  readonly brand: string | null;
  readonly mpn: string | null;
  readonly gtin: string | null;
  readonly supplierSkus: readonly string[];
}

export interface DocTerms {
  readonly terms: string[];
  readonly words: string[];
  readonly ids: string[];
}

/** What a product is found by: title and brand words with prefixes, identifiers whole and by their parts. */
export function docTerms(p: TermSource): DocTerms {
  const textWords = [...new Set([...words(p.title), ...words(p.brand)])];
  const ids = [...new Set([identifier(p.mpn), ...gtinForms(p.gtin), ...p.supplierSkus.map(identifier)].filter((i): i is string => i !== null))];
  const terms = new Set<string>();
  for (const w of textWords) {
    terms.add(w);
    for (let n = 2; n < Math.min(w.length, PREFIX_CAP + 1); n += 1) terms.add(w.slice(0, n));
  }
  // Identifiers whole ("bl1001") and by their parts ("bl", "1001"), so "BL-1001" and "bl1001" both find it.
  for (const id of ids) terms.add(id);
  for (const raw of [p.mpn, p.gtin, ...p.supplierSkus]) for (const w of words(raw)) terms.add(w);
  return { terms: [...terms], words: textWords, ids };
}

/** A query's words as terms (each cut to PREFIX_CAP); empty for a blank query. */
export function queryTerms(text: string): string[] {
  return [...new Set(words(text).map((w) => w.slice(0, PREFIX_CAP)))];
}

/**
 * Relevance of a match (higher first): the whole query as one identifier (an MPN, GTIN or supplier SKU typed
 * exactly) 8, then per query word: an identifier 4, a whole title/brand word 2, a prefix 1.
 */
export function relevance(query: string, doc: { readonly words: readonly string[]; readonly ids: readonly string[] }): number {
  const whole = identifier(query);
  let score = whole !== null && doc.ids.includes(whole) ? 8 : 0;
  for (const q of queryTerms(query)) score += doc.ids.includes(q) ? 4 : doc.words.includes(q) ? 2 : 1;
  return score;
}
