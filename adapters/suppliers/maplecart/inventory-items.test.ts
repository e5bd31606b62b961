import { describe, expect, it } from 'vitest';
import { isRegistryError } from '../../../kernel/errors.ts';
import { isItemId, numericIdOf, skusOfItems } from './inventory-items.ts';

describe('maplecart inventory items: reading the supplier’s ids', () => {
  it('takes the numeric id at the end of a gid', () => {
    expect(numericIdOf('gid://shopify/InventoryItem/46100000007')).toBe('46100000007');
    expect(numericIdOf('46100000007')).toBe('46100000007');
    expect(numericIdOf('gid://shopify/InventoryItem/')).toBeUndefined();
    expect(numericIdOf('gid://shopify/InventoryItem/12x')).toBeUndefined();
  });

  // Issue 14: `/(\d+)$/` retried from every digit of a long digit run, quadratic in the supplier's text.
  it('answers for a 100,000-digit gid without scanning it (longer than any id: not one)', () => {
    expect(numericIdOf(`${'1'.repeat(100_000)}x`)).toBeUndefined();
    expect(numericIdOf('1'.repeat(100_000))).toBeUndefined();
    expect(isItemId('1'.repeat(100_000))).toBe(false);
  });

  it('keeps exact hits only and refuses an over-long SKU for an asked id', () => {
    const node = (id: string, sku: string | null) => ({ sku, inventoryItem: { id: `gid://shopify/InventoryItem/${id}` } });
    expect(skusOfItems({ productVariants: { nodes: [node('1', 'A'), node('2', 'B'), node('3', null)] } }, new Set(['1', '3']))).toEqual(new Map([['1', 'A']]));
    let thrown: unknown;
    try {
      skusOfItems({ productVariants: { nodes: [node('1', 'S'.repeat(129))] } }, new Set(['1']));
    } catch (error) {
      thrown = error;
    }
    expect(isRegistryError(thrown) && thrown.details).toEqual({ reason: 'identifier-too-long', field: 'productVariants.nodes[0].sku' });
  });
});
