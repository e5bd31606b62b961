import type { CatalogItem } from '../../kernel/model.ts';

const slug = (value: string): string =>
  value
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toUpperCase();

/**
 * The canonical SKU is derived from the identifiers a product was matched on, so re-importing is idempotent
 * without any counter: `DS-<GTIN-14>`, or `DS-M-<MANUFACTURER>-<MPN>` for items without a GTIN.
 * Null when the item has neither: it cannot be matched across suppliers and is reported, not guessed.
 */
export function canonicalSkuFor(item: Pick<CatalogItem, 'gtin' | 'manufacturer' | 'mpn'>): string | null {
  if (item.gtin) return `DS-${item.gtin}`;
  if (item.manufacturer && item.mpn) return `DS-M-${slug(item.manufacturer)}-${slug(item.mpn)}`;
  return null;
}
