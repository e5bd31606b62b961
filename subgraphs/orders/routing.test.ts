import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING_POLICY, routeLine, type RoutingCandidate } from './routing.ts';

const c = (supplier: string, available: number, cost: string | null = null): RoutingCandidate => ({
  supplier,
  supplierSku: `${supplier}-sku`,
  available,
  unitCost: cost === null ? null : { amount: cost, currency: 'USD' },
});

describe('routeLine', () => {
  it('splits 10 units over 6 at A and 4 at B when neither covers the line', () => {
    const d = routeLine('S', 10, [c('a', 6), c('b', 4)], { ...DEFAULT_ROUTING_POLICY, supplierPriority: ['a', 'b'] });
    expect(d.allocations.map((x) => [x.supplier, x.quantity])).toEqual([['a', 6], ['b', 4]]);
    expect(d.unallocated).toBe(0);
    expect(d.reason).toContain('split');
  });

  it('prefers a supplier that covers the whole line over a preferred one that cannot (substitute)', () => {
    const d = routeLine('S', 5, [c('a', 2), c('b', 9)], { ...DEFAULT_ROUTING_POLICY, supplierPriority: ['a', 'b'] });
    expect(d.allocations.map((x) => [x.supplier, x.quantity])).toEqual([['b', 5]]);
    expect(d.reason).toMatch(/^substitute: preferred a/);
  });

  it('follows supplier priority when several cover the line', () => {
    const d = routeLine('S', 1, [c('a', 5), c('b', 5)], { ...DEFAULT_ROUTING_POLICY, supplierPriority: ['b', 'a'] });
    expect(d.allocations[0]?.supplier).toBe('b');
  });

  it('lowest landed cost counts per-order shipping spread over the units', () => {
    const policy = { ...DEFAULT_ROUTING_POLICY, strategy: 'lowest_cost' as const, shippingCost: { a: '10.00' } };
    // a: 5.00 + 10.00/2 = 10.00 per unit; b: 8.00 per unit.
    expect(routeLine('S', 2, [c('a', 5, '5.00'), c('b', 5, '8.00')], policy).allocations[0]?.supplier).toBe('b');
    // a: 5.00 + 10.00/20 = 5.50 per unit beats b.
    expect(routeLine('S', 20, [c('a', 50, '5.00'), c('b', 50, '8.00')], policy).allocations[0]?.supplier).toBe('a');
  });

  it('skips suppliers that refused the line, and reports what cannot be covered', () => {
    expect(routeLine('S', 3, [c('a', 5), c('b', 5)], DEFAULT_ROUTING_POLICY, ['a']).allocations[0]?.supplier).toBe('b');
    const none = routeLine('S', 3, [c('a', 5)], DEFAULT_ROUTING_POLICY, ['a']);
    expect(none).toMatchObject({ allocations: [], unallocated: 3 });
    const short = routeLine('S', 12, [c('a', 6), c('b', 4)], DEFAULT_ROUTING_POLICY);
    expect(short).toMatchObject({ allocations: [], unallocated: 12, reason: 'only 10 of 12 available across suppliers' });
    expect(routeLine('S', 8, [c('a', 6), c('b', 4)], { ...DEFAULT_ROUTING_POLICY, allowSplit: false }).unallocated).toBe(8);
  });
});
