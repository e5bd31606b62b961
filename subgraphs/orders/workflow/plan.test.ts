import { describe, expect, it } from 'vitest';
import { routingPolicyOf } from '../routing.ts';
import { loadCandidates } from './plan.ts';

/**
 * placeOrder gives live cost quotes a third of its remaining budget, which is rarely a whole number of
 * milliseconds. AbortSignal.timeout throws on a fractional delay; before the fix every quote failed, each
 * supplier's cost was unknown and lowest_cost silently fell back to priority order at placement (while the
 * preview, with a whole 5,000 ms, ranked by cost).
 */
describe('loadCandidates: live costs under a fractional time budget', () => {
  const warnings: unknown[] = [];
  const deps = {
    policy: routingPolicyOf({ strategy: 'lowest_cost' }),
    log: { warn: (fields: unknown) => warnings.push(fields) },
    catalog: { getBySkus: async () => [{ sku: 'DS-A', suppliers: [{ supplier: 'acme', supplierSku: 'A-1' }] }] },
    stock: { getBySkus: async () => [[{ supplier: 'acme', available: 5 }]] },
    connectors: new Map([
      [
        'acme',
        {
          maxStockBatch: 50,
          getStock: async (skus: readonly string[], options: { signal: AbortSignal }) => {
            expect(options.signal.aborted).toBe(false);
            return skus.map((supplierSku) => ({ supplierSku, cost: { amount: '4.20', currency: 'USD' } }));
          },
        },
      ],
    ]),
  };

  it('asks for costs and gets them when the budget share is 3147.67 ms', async () => {
    const candidates = await loadCandidates(deps as unknown as Parameters<typeof loadCandidates>[0], ['DS-A'], undefined, 3147.6666666666665);
    expect(warnings).toEqual([]);
    expect(candidates.get('DS-A')).toEqual([{ supplier: 'acme', supplierSku: 'A-1', available: 5, unitCost: { amount: '4.20', currency: 'USD' } }]);
  });
});
