import { afterEach, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from './http/listen.ts';
import { createMetrics, createMetricsHandler } from './metrics.ts';

describe('createMetrics', () => {
  it('records the supplier traffic metric set under the documented names', async () => {
    const { registry, supplier } = createMetrics({ defaultMetrics: false });
    supplier.call({ supplier: 'brightline', operation: 'getStock', lane: 'interactive', outcome: 'success', seconds: 0.12 });
    supplier.call({ supplier: 'brightline', operation: 'placeOrder', lane: 'order', outcome: 'rejected' });
    supplier.error({ supplier: 'brightline', operation: 'placeOrder', errorClass: 'transient', code: 'SUPPLIER_CIRCUIT_OPEN' });
    supplier.throttled('brightline', 'getStock', 'supplier');
    supplier.retried('brightline', 'getStock');
    supplier.breakerState('brightline', 'half-open');
    supplier.bucketTokens('brightline', 'default', 7.5, 50);
    supplier.waited('brightline', 'sync', 'rate_limit', 0.3);
    supplier.inFlight('brightline', 2);
    supplier.cacheLookups('brightline', 'hit', 3);
    supplier.cacheLookups('brightline', 'miss');
    const text = await registry.metrics();
    for (const line of [
      'supplier_calls_total{supplier="brightline",operation="getStock",lane="interactive",outcome="success"} 1',
      'supplier_calls_total{supplier="brightline",operation="placeOrder",lane="order",outcome="rejected"} 1',
      'supplier_call_duration_seconds_bucket{le="0.25",supplier="brightline",operation="getStock",lane="interactive"} 1',
      'supplier_call_duration_seconds_count{supplier="brightline",operation="getStock",lane="interactive"} 1',
      'supplier_errors_total{supplier="brightline",operation="placeOrder",class="transient",code="SUPPLIER_CIRCUIT_OPEN"} 1',
      'supplier_throttles_total{supplier="brightline",operation="getStock",source="supplier"} 1',
      'supplier_retries_total{supplier="brightline",operation="getStock"} 1',
      'supplier_breaker_state{supplier="brightline"} 1',
      'supplier_bucket_tokens{supplier="brightline",bucket="default"} 7.5',
      'supplier_bucket_capacity{supplier="brightline",bucket="default"} 50',
      'supplier_wait_seconds_count{supplier="brightline",lane="sync",stage="rate_limit"} 1',
      'supplier_in_flight{supplier="brightline"} 2',
      'offer_cache_requests_total{supplier="brightline",result="hit"} 3',
      'offer_cache_requests_total{supplier="brightline",result="miss"} 1',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).not.toContain('process_cpu');
  });

  it('keeps registries apart, so two in one process do not collide', async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.supplier.retried('x', 'getStock');
    expect(await b.registry.metrics()).not.toContain('supplier_retries_total{');
  });
});

describe('createMetricsHandler', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves the text format with process metrics on, and refuses other methods', async () => {
    const { registry, supplier } = createMetrics({ defaultLabels: { service: 'test' } });
    supplier.breakerState('maplecart', 'open');
    server = await listen({ '/metrics': createMetricsHandler(registry) }, 0);
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const body = await response.text();
    expect(body).toContain('supplier_breaker_state{supplier="maplecart",service="test"} 2');
    expect(body).toMatch(/^process_cpu_user_seconds_total\{service="test"\} /m);
    expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});
