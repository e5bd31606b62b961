/**
 * Brightline styles → families and variants, on catalog items built from the wire schema (wire.ts, written from
 * docs/suppliers/brightline-rest.md): an item of a style with attributes and images, one sold alone, one with odd
 * attribute names and unusable image URLs; then any schema-valid item.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRegistryError } from '../../../kernel/errors.ts';
import { zodArbitrary } from '../../../test/support/zod-arbitrary.ts';
import { toCatalogPage } from './mapping.ts';
import { CatalogEntry, CatalogResponse } from './wire.ts';

const base = {
  itemNumber: 'BL-000123',
  title: 'Gildan T-Shirt — Navy, L',
  manufacturer: 'Gildan Activewear',
  brand: 'Gildan',
  manufacturerPartNumber: 'G1003-NAV-L',
  upc: '070000100000',
  category: 'T-Shirt',
  lifecycle: 'ACTIVE',
};

const page = (items: unknown[]) => toCatalogPage(CatalogResponse.parse({ items, nextPageToken: null }));

describe('brightline catalog: styles as families', () => {
  it('maps the style to the family and the attributes to canonical Color / Size options', () => {
    const [item] = page([
      {
        ...base,
        style: { styleNumber: 'BLS-003', name: 'Gildan T-Shirt', images: [{ url: 'https://img.brightline.example/styles/BLS-003.jpg', altText: 'Gildan T-Shirt' }] },
        attributes: [{ name: 'color', value: 'Navy' }, { name: 'size', value: 'L' }],
        images: [{ url: 'https://img.brightline.example/items/BL-000123.jpg', altText: null }],
      },
    ]).items;
    expect(item).toMatchObject({
      supplierSku: 'BL-000123',
      family: {
        id: 'BLS-003',
        name: 'Gildan T-Shirt',
        brand: 'Gildan',
        categories: ['T-Shirt'],
        images: [{ url: 'https://img.brightline.example/styles/BLS-003.jpg', alt: 'Gildan T-Shirt' }],
      },
      options: [{ name: 'Color', value: 'Navy' }, { name: 'Size', value: 'L' }],
      images: [{ url: 'https://img.brightline.example/items/BL-000123.jpg', alt: null }],
      categories: ['T-Shirt'],
    });
  });

  it('an item without a style has no family; one without attributes, images or category has none of them', () => {
    const [alone, bare] = page([
      { ...base, style: null, attributes: [{ name: 'color', value: 'Blue' }] },
      { ...base, itemNumber: 'BL-000124', category: null },
    ]).items;
    expect(alone!.family).toBeNull();
    expect(alone!.options).toEqual([{ name: 'Color', value: 'Blue' }]);
    expect(bare).toMatchObject({ family: null, options: [], images: [], categories: [] });
  });

  it('keeps other attribute names (capitalised), drops blank ones and image URLs that are not absolute http(s)', () => {
    const [item] = page([
      {
        ...base,
        style: { styleNumber: 'BLS-9', name: 'Pens', images: [{ url: '/relative.jpg' }] },
        attributes: [{ name: 'material', value: 'Steel' }, { name: ' ', value: 'x' }, { name: 'size', value: ' ' }],
        images: [{ url: 'javascript:alert(1)' }, { url: 'https://img.brightline.example/a b.jpg' }, { url: 'http://img.brightline.example/ok.png', altText: '' }],
      },
    ]).items;
    expect(item!.options).toEqual([{ name: 'Material', value: 'Steel' }]);
    expect(item!.family!.images).toEqual([]);
    expect(item!.images).toEqual([{ url: 'http://img.brightline.example/ok.png', alt: null }]);
  });

  it('any schema-valid item maps to a family exactly when it has a style, with clean options and http(s) images', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(zodArbitrary(CatalogEntry).filter((e) => CatalogEntry.safeParse(e).success), (entry) => {
        let mapped;
        try {
          [mapped] = page([entry]).items;
        } catch (error) {
          // An out-of-range identifier is refused as a whole, by design (supplier-ranges.ts).
          expect(isRegistryError(error) && error.code === 'CONTRACT_VIOLATION').toBe(true);
          return;
        }
        const parsed = CatalogEntry.parse(entry);
        expect(mapped!.family === null).toBe(!parsed.style);
        for (const o of mapped!.options ?? []) expect(o.name.trim() !== '' && o.value.trim() !== '').toBe(true);
        for (const i of [...(mapped!.images ?? []), ...(mapped!.family?.images ?? [])]) expect(i.url).toMatch(/^https?:\/\/\S+$/i);
      }),
      { numRuns: 300 },
    );
  });
});
