import { describe, expect, it } from 'vitest';
import { createCallWindow, p95 } from './supplier-call-window.ts';
import { createSupplierStatusTracker } from './supplier-status.ts';
import type { SupplierMetrics } from '../platform/metrics.ts';

describe('supplier call window (the suppliers query: p95 latency, error rate, calls per minute)', () => {
  it('p95 is the nearest-rank 95th percentile', () => {
    expect(p95([])).toBeNull();
    expect(p95([5])).toBe(5);
    expect(p95(Array.from({ length: 100 }, (_, i) => i + 1))).toBe(95);
  });

  it('summarises the last minutes and forgets what is older than the window', () => {
    let t = Date.UTC(2026, 0, 1, 12, 0, 30);
    const w = createCallWindow(() => t);
    for (let i = 1; i <= 20; i += 1) w.record(i % 4 === 0, i / 100); // 10..200 ms, 5 failures
    expect(w.summary()).toEqual({ calls: 20, p95Ms: 190, errorRate: 0.25 });
    t += 3 * 60_000;
    w.record(false, 1);
    const minutes = w.minutes(4);
    expect(minutes.map((m) => m.calls)).toEqual([20, 0, 0, 1]);
    expect(minutes[3]).toMatchObject({ errors: 0, p95Ms: 1000 });
    expect(w.summary(1)).toEqual({ calls: 1, p95Ms: 1000, errorRate: 0 });
    t += 20 * 60_000;
    expect(w.summary()).toEqual({ calls: 0, p95Ms: null, errorRate: null });
    expect(w.minutes().every((m) => m.calls === 0)).toBe(true);
  });

  it('keeps a bounded sample of a busy minute', () => {
    const w = createCallWindow(() => 0);
    for (let i = 0; i < 10_000; i += 1) w.record(false, 0.05);
    expect(w.summary()).toMatchObject({ calls: 10_000, p95Ms: 50 });
  });

  it('the status tracker counts sent calls only and keeps the supplier code of the last error', () => {
    const seen: string[] = [];
    const sink = new Proxy({}, { get: (_t, name) => () => seen.push(String(name)) }) as unknown as SupplierMetrics;
    const tracker = createSupplierStatusTracker('acme', sink, () => 0);
    tracker.metrics.call({ supplier: 'acme', operation: 'getStock', lane: 'interactive', outcome: 'rejected' });
    tracker.metrics.call({ supplier: 'acme', operation: 'getStock', lane: 'interactive', outcome: 'error', seconds: 0.2 });
    tracker.metrics.call({ supplier: 'other', operation: 'getStock', lane: 'interactive', outcome: 'success', seconds: 0.2 });
    tracker.metrics.error({ supplier: 'acme', operation: 'placeOrder', errorClass: 'logical', code: 'SUPPLIER_REJECTED', supplierCode: 'HTTP 409 DUPLICATE' });
    expect(tracker.calls.summary()).toEqual({ calls: 1, p95Ms: 200, errorRate: 1 });
    expect(tracker.lastError()).toMatchObject({ code: 'SUPPLIER_REJECTED', supplierCode: 'HTTP 409 DUPLICATE' });
    expect(tracker.lastErrorOf('orders')).toMatchObject({ supplierCode: 'HTTP 409 DUPLICATE' });
    expect(seen).toEqual(['call', 'call', 'call', 'error']); // everything still reaches the process metrics
  });
});
