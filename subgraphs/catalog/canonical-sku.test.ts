import { describe, expect, it } from 'vitest';
import { canonicalSkuFor } from './canonical-sku.ts';

describe('canonicalSkuFor', () => {
  it('derives the SKU from the GTIN when there is one', () => {
    expect(canonicalSkuFor({ gtin: '00012345678905', manufacturer: 'Gildan', mpn: 'G500' })).toBe('DS-00012345678905');
  });

  it('falls back to manufacturer and MPN, normalised', () => {
    expect(canonicalSkuFor({ gtin: null, manufacturer: 'Bella+Canvas', mpn: 'bc3001 / xl' })).toBe('DS-M-BELLA-CANVAS-BC3001-XL');
  });

  it('refuses to guess without identifiers', () => {
    expect(canonicalSkuFor({ gtin: null, manufacturer: 'Gildan', mpn: null })).toBeNull();
    expect(canonicalSkuFor({ gtin: null, manufacturer: null, mpn: 'X1' })).toBeNull();
  });
});
