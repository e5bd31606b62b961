/**
 * The event bus carries W3C trace context (docs/operations.md, "Traces"): a handler runs in the trace of the
 * publisher, with the bare payload; with tracing off nothing is added, and a bus reads both forms.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { silentLogger } from '../../platform/logger.ts';
import { loadConfig } from '../../platform/config.ts';
import { startTracing, type Tracing } from '../../platform/tracing/start-tracing.ts';
import { inRootSpan, inSpan } from '../../platform/tracing/spans.ts';
import { createMemoryEventBus } from './memory-event-bus.ts';
import { deliverTraced, withTraceEnvelope } from './trace-envelope.ts';

const received = (bus: ReturnType<typeof createMemoryEventBus>, topic: string) =>
  new Promise<{ payload: unknown; traceId: string | undefined }>((resolve) => {
    void bus.subscribe(topic, (payload) => resolve({ payload, traceId: trace.getActiveSpan()?.spanContext().traceId }));
  });

describe('trace context on the event bus', () => {
  let tracing: Tracing | undefined;
  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
  });

  it('off: events travel bare, handlers run with no trace', async () => {
    expect(withTraceEnvelope({ sku: 'A' })).toEqual({ sku: 'A' });
    const bus = createMemoryEventBus({ log: silentLogger() });
    const got = received(bus, 'stock.changed');
    await bus.publish('stock.changed', { sku: 'A', version: 2 });
    expect(await got).toEqual({ payload: { sku: 'A', version: 2 }, traceId: undefined });
  });

  it('on: the handler continues the publisher\'s trace and gets the bare payload', async () => {
    const exporter = new InMemorySpanExporter();
    tracing = startTracing({ config: loadConfig({}).tracing, log: silentLogger(), exporter });
    const bus = createMemoryEventBus({ log: silentLogger() });
    const got = received(bus, 'stock.changed');
    let publisherTrace = '';
    await inRootSpan('stock write', {}, async () => {
      publisherTrace = trace.getActiveSpan()!.spanContext().traceId;
      await bus.publish('stock.changed', { sku: 'A', version: 3 });
    });
    const { payload, traceId } = await got;
    expect(payload).toEqual({ sku: 'A', version: 3 });
    expect(traceId).toBe(publisherTrace);
    // A span the handler starts is recorded in that trace (its parent is remote: the envelope's).
    await new Promise<void>((resolve) => deliverTraced(withTraceEnvelopeIn(publisherTrace), () => void inSpan('handler', {}, () => resolve())));
    expect(exporter.getFinishedSpans().find((s) => s.name === 'handler')?.spanContext().traceId).toBe(publisherTrace);
  });

  it('reads both forms whatever this process does: a bare payload is delivered as it is', () => {
    const seen: unknown[] = [];
    deliverTraced({ sku: 'B' }, (p) => seen.push(p));
    deliverTraced({ $traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', $payload: { sku: 'C' } }, (p) => seen.push(p));
    expect(seen).toEqual([{ sku: 'B' }, { sku: 'C' }]);
  });
});

/** An envelope naming a sampled parent in the given trace. */
const withTraceEnvelopeIn = (traceId: string) => ({ $traceparent: `00-${traceId}-b7ad6b7169203331-01`, $payload: {} });
