import { describe, expect, it } from 'vitest';
import { startBudget } from '../platform/http/request-budget.ts';
import { withinBudget } from './store-deadline.ts';

// Issue 12: a hung MongoDB held a catalog read until the driver's heartbeat failed (~4 s), past the request's budget.
describe('withinBudget', () => {
  it('fails a store call that outlasts the budget less the reserve with STORE_UNAVAILABLE naming the store', async () => {
    const ctx = { budget: startBudget(300), reserveMs: 100 };
    const started = Date.now();
    const hung = new Promise<never>(() => {});
    const error = await withinBudget(ctx, 'catalog', 'catalog.getBySkus', () => hung).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', operation: 'catalog.getBySkus', details: { store: 'catalog' } });
    expect((error as Error).message).toContain('catalog store');
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    expect(Date.now() - started).toBeLessThan(400);
  });

  it('returns what the store answers in time, and its own errors unchanged', async () => {
    const ctx = { budget: startBudget(1_000), reserveMs: 100 };
    expect(await withinBudget(ctx, 'stock', 'stock.getBySkus', async () => [1, 2])).toEqual([1, 2]);
    await expect(withinBudget(ctx, 'stock', 'stock.getBySkus', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});
