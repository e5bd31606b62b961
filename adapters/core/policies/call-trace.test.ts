/**
 * A connector call's span (docs/operations.md, "Traces"): retries, limiter waits and breaker decisions are its
 * events, a refusal by an open breaker is an event and an error status with our code; and no span at all without a
 * recording parent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createMemoryBucketStore } from '../../ratelimit/memory-bucket-store.ts';
import { silentLogger } from '../../../platform/logger.ts';
import { loadConfig } from '../../../platform/config.ts';
import { startTracing, type Tracing } from '../../../platform/tracing/start-tracing.ts';
import { inRootSpan } from '../../../platform/tracing/spans.ts';
import type { CallContext, SupplierConnector } from '../connector.ts';
import { RegistryError } from '../../../kernel/errors.ts';
import { createCircuitBreaker } from './circuit-breaker.ts';
import { createRateLimiter } from './rate-limiter.ts';
import { withTrafficControl } from './with-traffic-control.ts';

const ctx = (): CallContext => ({ signal: new AbortController().signal, log: silentLogger(), requestId: 'r1', lane: 'interactive' });

function flakySupplier(failures: number): SupplierConnector {
  let calls = 0;
  const unsupported = () => Promise.reject(new Error('not used'));
  return {
    supplier: 'acme',
    protocol: 'rest',
    maxStockBatch: 50,
    allocatesStockOnAccept: false,
    getStock: async (skus) => {
      calls += 1;
      if (calls <= failures) throw new RegistryError('SUPPLIER_UNAVAILABLE', 'acme getStock: 503');
      return skus.map((sku) => ({ supplierSku: sku, available: 1, status: 'in_stock' as const, cost: null, leadTimeDays: null, asOf: '2026-01-01T00:00:00Z' }));
    },
    listCatalog: unsupported,
    placeOrder: unsupported,
    getOrderStatus: unsupported,
    cancelOrder: unsupported,
    health: unsupported,
    close: async () => {},
  };
}

describe('connector call spans', () => {
  let tracing: Tracing | undefined;
  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
  });

  const policies = () => ({
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, budgetMs: 5_000 },
    limiter: createRateLimiter({ supplier: 'acme', store: createMemoryBucketStore(), classes: { default: { capacity: 10, refillPerSec: 10 } } }),
    breaker: createCircuitBreaker({ supplier: 'acme', criticalThreshold: 1, openMs: 60_000 }),
  });

  it('one span per call: breaker decisions, limiter waits and the retry as events', async () => {
    const exporter = new InMemorySpanExporter();
    tracing = startTracing({ config: loadConfig({}).tracing, log: silentLogger(), exporter });
    const connector = withTrafficControl(flakySupplier(1), policies());
    await inRootSpan('request', {}, () => connector.getStock(['A-1'], ctx()));
    const call = exporter.getFinishedSpans().find((s) => s.name === 'supplier getStock')!;
    expect(call.attributes).toMatchObject({ 'supplier.slug': 'acme', 'supplier.operation': 'getStock', 'supplier.lane': 'interactive' });
    const events = call.events.map((e) => e.name);
    expect(events).toEqual(['breaker', 'rate_limit.acquired', 'retry', 'breaker', 'rate_limit.acquired']);
    expect(call.events[2]!.attributes).toMatchObject({ attempt: 1, 'error.type': 'SUPPLIER_UNAVAILABLE' });
    expect(call.events[0]!.attributes).toMatchObject({ decision: 'admitted', state: 'closed' });
    expect(call.status.code).toBe(0); // unset: the call succeeded in the end
  });

  it('a refusal by the open breaker: an event, and the span fails with our code', async () => {
    const exporter = new InMemorySpanExporter();
    tracing = startTracing({ config: loadConfig({}).tracing, log: silentLogger(), exporter });
    const breaker = openBreaker();
    expect(breaker.state()).toBe('open');
    const connector = withTrafficControl(flakySupplier(0), { ...policies(), breaker });
    await expect(inRootSpan('request', {}, () => connector.getStock(['A-1'], ctx()))).rejects.toMatchObject({ code: 'SUPPLIER_CIRCUIT_OPEN' });
    const call = exporter.getFinishedSpans().find((s) => s.name === 'supplier getStock')!;
    expect(call.events.map((e) => [e.name, e.attributes?.['decision'] ?? e.attributes?.['error.type']])).toEqual([['breaker', 'refused'], ['refused', 'SUPPLIER_CIRCUIT_OPEN']]);
    expect(call.status).toMatchObject({ code: 2, message: 'SUPPLIER_CIRCUIT_OPEN' });
    expect(call.attributes['error.type']).toBe('SUPPLIER_CIRCUIT_OPEN');
  });

  it('no recording parent, no span: tracing off, or outside any traced request', async () => {
    const connector = withTrafficControl(flakySupplier(1), policies());
    await expect(connector.getStock(['A-1'], ctx())).resolves.toHaveLength(1); // off
    const exporter = new InMemorySpanExporter();
    tracing = startTracing({ config: loadConfig({}).tracing, log: silentLogger(), exporter });
    await connector.getStock(['A-2'], ctx()); // on, but no request span around it (a background loop)
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});

/** A breaker opened by one critical failure. */
function openBreaker() {
  const breaker = createCircuitBreaker({ supplier: 'acme', criticalThreshold: 1, openMs: 60_000 });
  breaker.admit('getStock').record(new RegistryError('MISCONFIGURED', 'credentials refused'));
  return breaker;
}
