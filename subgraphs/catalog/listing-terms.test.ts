import { describe, expect, it } from 'vitest';
import { docTerms, identifier, PREFIX_CAP, queryTerms, relevance, words } from './listing-terms.ts';

describe('listing terms', () => {
  it('normalises case, accents and separators the same on both sides', () => {
    expect(words('Crème Brûlée — T-Shirt, 100% Cotton')).toEqual(['creme', 'brulee', 't', 'shirt', '100', 'cotton']);
    expect(identifier(' BL-1001/N ')).toBe('bl1001n');
    expect(identifier('--')).toBeNull();
    expect(queryTerms('  Navy  TEE navy ')).toEqual(['navy', 'tee']);
  });

  it('a document holds words, their prefixes from 2 characters, and identifiers whole and by parts', () => {
    const t = docTerms({ title: 'Navy Tee', brand: 'Acme', mpn: 'AC-77', gtin: '00012345678905', supplierSkus: ['BL-1001'] });
    expect(t.words).toEqual(['navy', 'tee', 'acme']);
    for (const term of ['na', 'nav', 'navy', 'te', 'tee', 'ac', 'acm', 'acme', 'ac77', '77', 'bl1001', 'bl', '1001', '00012345678905', '12345678905', '0012345678905', '012345678905']) {
      expect(t.terms).toContain(term);
    }
    expect(t.terms).not.toContain('n');
    expect(t.ids).toEqual(['ac77', '00012345678905', '12345678905', '0012345678905', '012345678905', 'bl1001']);
  });

  it('long words keep prefixes up to the cap, and a long query word is cut to it, so it still matches', () => {
    const long = 'supercalifragilisticexpialidocious';
    const t = docTerms({ title: long, brand: null, mpn: null, gtin: null, supplierSkus: [] });
    expect(t.terms).toContain(long);
    expect(t.terms).toContain(long.slice(0, PREFIX_CAP));
    expect(t.terms).not.toContain(long.slice(0, PREFIX_CAP + 1));
    expect(queryTerms(long.slice(0, 20))).toEqual([long.slice(0, PREFIX_CAP)]);
  });

  it('ranks an exact identifier above whole words above prefixes', () => {
    const byMpn = { words: ['widget'], ids: ['ac77'] };
    const byWord = { words: ['ac77', 'widget'], ids: [] };
    const byPrefix = { words: ['ac77x'], ids: [] };
    expect(relevance('AC-77', byMpn)).toBeGreaterThan(relevance('AC-77', byWord));
    expect(relevance('ac77', byWord)).toBeGreaterThan(relevance('ac77', byPrefix));
    expect(relevance('navy tee', { words: ['navy', 'tee'], ids: [] })).toBe(4);
  });
});
