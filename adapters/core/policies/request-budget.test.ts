/**
 * One deadline, propagated (issue 12): a caller's budget travels in CallContext.signal (timeout.ts `deadlineSignal`)
 * and bounds every policy inside — the attempt, the retries, the waits for budget — so a slow supplier costs a
 * request its budget, never more, and the last known figures can still be served.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../platform/logger.ts';
import type { CallContext, SupplierConnector } from '../connector.ts';
import { RegistryError } from '../../../kernel/errors.ts';
import type { SupplierStock } from '../../../kernel/model.ts';
import { createCircuitBreaker } from './circuit-breaker.ts';
import { retryTransient } from './retry.ts';
import { budgetSpent, deadlineSignal, timeLeftMs, withDeadline } from './timeout.ts';
import { withTrafficControl } from './with-traffic-control.ts';

const ctx = (signal: AbortSignal): CallContext => ({ signal, log: silentLogger(), requestId: 'r1', lane: 'interactive' });
const stock = (sku: string): SupplierStock => ({ supplierSku: sku, available: 1, status: 'in_stock', cost: null, leadTimeDays: null, asOf: '2026-01-01T00:00:00Z' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A supplier that answers every stock read after `latencyMs`, ignoring its signal (the worst case). */
function slowSupplier(latencyMs: number) {
  let calls = 0;
  const connector = {
    supplier: 'acme',
    protocol: 'rest',
    maxStockBatch: 50,
    allocatesStockOnAccept: false,
    getStock: async (skus: readonly string[]) => {
      calls += 1;
      await sleep(latencyMs);
      return skus.map(stock);
    },
    close: async () => {},
  } as unknown as SupplierConnector;
  return { connector, calls: () => calls };
}

describe('deadlineSignal', () => {
  it('knows its time left and aborts with a budget reason at the deadline', async () => {
    const signal = deadlineSignal(Date.now() + 60);
    expect(timeLeftMs(signal)).toBeGreaterThan(30);
    expect(timeLeftMs(new AbortController().signal)).toBeUndefined();
    await sleep(90);
    expect(signal.aborted).toBe(true);
    expect(budgetSpent(signal)).toBe(true);
    expect(timeLeftMs(signal)).toBe(0);
  });

  it('is not "budget spent" when its parent (the caller) gave up', () => {
    const parent = new AbortController();
    const signal = deadlineSignal(Date.now() + 10_000, parent.signal);
    parent.abort();
    expect(signal.aborted).toBe(true);
    expect(budgetSpent(signal)).toBe(false);
  });
});

describe('a request budget through the call policies', () => {
  it('turns a spent budget into SUPPLIER_TIMEOUT (a last known value may be served), not CALL_ABORTED', async () => {
    const error = await withDeadline(() => new Promise<never>(() => {}), { signal: deadlineSignal(Date.now() + 40), timeoutMs: 5_000, supplier: 'acme', operation: 'getStock' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SUPPLIER_TIMEOUT', supplier: 'acme', details: { budgetSpent: true } });
  });

  it('starts no retry that cannot finish before the deadline', async () => {
    let attempts = 0;
    const started = Date.now();
    const signal = deadlineSignal(Date.now() + 150);
    const error = await retryTransient(
      async () => {
        attempts += 1;
        await sleep(60);
        throw new RegistryError('SUPPLIER_UNAVAILABLE', '503');
      },
      { policy: { maxAttempts: 10, baseDelayMs: 1, maxDelayMs: 1, budgetMs: 60_000, minAttemptMs: 50 }, signal },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SUPPLIER_UNAVAILABLE' });
    // 60 ms each: a third attempt would start at ~120 ms with under 50 ms left.
    expect(attempts).toBe(2);
    expect(Date.now() - started).toBeLessThan(150);
  });

  it('ends a supplier slower than its attempt deadline within the budget, and the cut attempt does not count against the breaker', async () => {
    // The case scaled down 50×: attempt deadline 100 ms, supplier answers in 120 ms (6 s vs 5 s), three attempts.
    const slow = slowSupplier(120);
    const breaker = createCircuitBreaker({ supplier: 'acme', minimumVolume: 2, failureRate: 0.5, windowMs: 60_000, openMs: 60_000 });
    const wrapped = withTrafficControl(slow.connector, { timeoutMs: 100, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, budgetMs: 60_000, minAttemptMs: 20 }, breaker });
    const started = Date.now();
    const error = await wrapped.getStock(['A-1'], ctx(deadlineSignal(Date.now() + 170))).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toMatchObject({ code: 'SUPPLIER_TIMEOUT', supplier: 'acme' });
    // Without the budget: 3 × 100 ms. With it: the deadline, plus timer slack.
    expect(elapsed).toBeGreaterThanOrEqual(160);
    expect(elapsed).toBeLessThan(230);
    expect(slow.calls()).toBe(2);
    // One attempt timed out on its own deadline (a supplier failure); the second was cut by our budget (not one).
    expect(breaker.state()).toBe('closed');
  });

  it('answers in time when the supplier does', async () => {
    const fast = slowSupplier(5);
    const wrapped = withTrafficControl(fast.connector, { timeoutMs: 100 });
    await expect(wrapped.getStock(['A-1', 'A-2'], ctx(deadlineSignal(Date.now() + 500)))).resolves.toHaveLength(2);
  });
});
