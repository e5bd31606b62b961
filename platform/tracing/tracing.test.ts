/**
 * Tracing in one process (docs/operations.md, "Traces"): the OTEL_* settings, the off path (nothing registered, no
 * span object made), the sampler, and the scrubbing of spans at trace level — a span carrying a bearer token, a
 * client secret, an e-mail address and a ship-to address leaves the pipeline without them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { context, propagation, trace, TraceFlags, type SpanContext } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { loadConfig } from '../config.ts';
import { silentLogger } from '../logger.ts';
import { CENSOR } from '../log-redaction.ts';
import { startTracing, unsampledParentDropsChildren, type Tracing } from './start-tracing.ts';
import { currentTraceparent, inRemoteSpan, inRootSpan, inSpan, injectTraceHeaders, spanEvent, TRACEPARENT_HEADER, tracingActive } from './spans.ts';
import { tracingConfigOf, type SamplerKind } from './tracing-settings.ts';

const settings = (env: Record<string, string>) => tracingConfigOf({ OTEL_SERVICE_NAME: 'dropship-graph', OTEL_TRACES_SAMPLER: 'parentbased_always_on', ...env } as Parameters<typeof tracingConfigOf>[0]);

describe('OTEL_* settings', () => {
  it('are off by default, on with an endpoint, off again with OTEL_SDK_DISABLED', () => {
    const config = loadConfig({}).tracing;
    expect(config).toMatchObject({ enabled: false, endpoint: undefined, serviceName: 'dropship-graph', sampler: 'parentbased_always_on', ratio: 1 });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toMatchObject({ enabled: true, endpoint: 'http://collector:4318/v1/traces' });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/custom' }).tracing.endpoint).toBe('http://c:4318/custom');
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }).tracing).toMatchObject({ enabled: false, sdkDisabled: true });
    expect(loadConfig({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1', OTEL_SERVICE_NAME: 'edge-1' }).tracing).toMatchObject({ sampler: 'parentbased_traceidratio', ratio: 0.1, serviceName: 'edge-1' });
  });

  it('refuse what they cannot mean', () => {
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(/OTEL_TRACES_SAMPLER/);
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER_ARG: '1.5' })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});

describe('tracing off', () => {
  it('registers nothing and makes no span: helpers call straight through', async () => {
    const tracing = startTracing({ config: settings({}), log: silentLogger() });
    expect(tracing.enabled).toBe(false);
    expect(tracingActive()).toBe(false);
    // The API is still on its no-op globals.
    expect(trace.getTracerProvider().constructor.name).toBe('ProxyTracerProvider');
    let seen: unknown = 'unset';
    const result = await inRootSpan('root', {}, () => inSpan('child', {}, async () => {
      seen = trace.getActiveSpan();
      spanEvent('nothing');
      return 42;
    }));
    expect(result).toBe(42);
    expect(seen).toBeUndefined(); // no span object, not even a non-recording one
    expect(currentTraceparent()).toBeUndefined();
    const headers = { a: 'b' };
    expect(injectTraceHeaders(headers)).toEqual({ a: 'b' });
    // A sync function stays sync.
    expect(inSpan('sync', {}, () => 7)).toBe(7);
  });
});

describe('tracing on', () => {
  let tracing: Tracing | undefined;
  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
  });

  it('nests our spans, carries traceparent, and follows the parent-based ratio sampler', async () => {
    const exporter = new InMemorySpanExporter();
    tracing = startTracing({ config: settings({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }), log: silentLogger(), exporter });
    // Ratio 0: roots are not sampled, so nothing is recorded and children are not even made.
    let child: unknown = 'unset';
    await inRootSpan('root', {}, () => inSpan('child', {}, async () => void (child = trace.getActiveSpan()?.isRecording())));
    expect(child).toBe(false); // the (non-recording) root is active; no child span was started under it
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    // A sampled remote parent (our own process upstream) is followed whatever the ratio.
    const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    let header: string | undefined;
    await inRemoteSpan(parent, 'continued', {}, () => inSpan('inner', { n: 1 }, () => void (header = currentTraceparent())));
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['inner', 'continued']);
    expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(new Set(['0af7651916cd43dd8448eb211c80319c']));
    expect(spans[1]!.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(header).toMatch(new RegExp(`^00-0af7651916cd43dd8448eb211c80319c-${spans[0]!.spanContext().spanId}-01$`));
  });

  it('sampled-off: a child of an unsampled span is not started, yet the trace context still propagates (flags 00)', async () => {
    const exporter = new InMemorySpanExporter();
    tracing = startTracing({ config: settings({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }), log: silentLogger(), exporter });
    const library = trace.getTracer('apollo/gateway-js'); // how @apollo/gateway opens its spans, past our helpers
    let root: SpanContext | undefined;
    let child: { recording: boolean; context: SpanContext; active: SpanContext | undefined } | undefined;
    let header: string | undefined;
    await inRootSpan('gateway /graphql', {}, async () => {
      root = trace.getActiveSpan()!.spanContext();
      await library.startActiveSpan('gateway.fetch', { attributes: { service: 'catalog' } }, async (span) => {
        await Promise.resolve();
        child = { recording: span.isRecording(), context: span.spanContext(), active: trace.getActiveSpan()?.spanContext() };
        header = injectTraceHeaders({})[TRACEPARENT_HEADER];
        span.end();
      });
      // An explicit parent context and startSpan take the same path.
      expect(library.startSpan('gateway.plan', {}, context.active()).spanContext()).toEqual(root);
    });
    expect(root!.traceFlags).toBe(TraceFlags.NONE);
    expect(child).toEqual({ recording: false, context: root, active: root }); // the root's context, no new entry
    expect(header).toBe(`00-${root!.traceId}-${root!.spanId}-00`);
    // The subgraph side continues it: same trace, still unsampled, propagated onwards (an event, a webhook) as it came.
    let onwards: string | undefined;
    await inRemoteSpan(header, 'catalog /graphql', {}, () => library.startActiveSpan('inner', (span) => {
        onwards = currentTraceparent();
        span.end();
      }),
    );
    expect(onwards).toBe(header);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    // A sampled parent from outside is still traced, the library's children included.
    await inRemoteSpan('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'continued', {}, () =>
      library.startActiveSpan('gateway.fetch', (span) => {
        inSpan('ours', {}, () => {});
        span.end();
      }),
    );
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['ours', 'gateway.fetch', 'continued']);
  });

  it('takes the unsampled fast path only for samplers under which an unsampled parent drops its children', () => {
    expect(['parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio', 'always_off'].every((s) => unsampledParentDropsChildren(s as SamplerKind))).toBe(true);
    // traceidratio and always_on decide each span afresh: a child of an unsampled remote parent may be sampled.
    expect(unsampledParentDropsChildren('traceidratio')).toBe(false);
    expect(unsampledParentDropsChildren('always_on')).toBe(false);
  });

  it('scrubs every exported span: credentials and personal data by key, secrets by shape, in names, attributes, events and status', async () => {
    const exporter = new InMemorySpanExporter();
    tracing = startTracing({ config: settings({}), log: silentLogger(), exporter });
    const secret = 's3cr3t-client-secret-value';
    const bearer = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    await inRootSpan(`lookup ada@example.com`, {
      'http.request.header.authorization': `Bearer ${bearer}`,
      'supplier.client_secret': secret,
      'order.shipTo': '12 Analytical Way, London',
      'customer.email': 'ada@example.com',
      'url.full': `https://user:${secret}@supplier.example/oauth?token=${secret}`,
      'server.address': 'supplier.example',
      'rate_limit.tokens': 3,
      'supplier.slug': 'brightline',
    }, async () => {
      spanEvent('retry', { note: `password: ${secret}`, attempt: 2 });
      const span = trace.getActiveSpan()!;
      span.recordException(new Error(`refused Basic ${Buffer.from(`id:${secret}`).toString('base64')}`));
      span.setStatus({ code: 2, message: `client_secret=${secret}` });
    });
    const [span] = exporter.getFinishedSpans();
    const text = JSON.stringify({ name: span!.name, attributes: span!.attributes, events: span!.events, status: span!.status });
    for (const leaked of [secret, bearer, 'ada@example.com', 'Analytical', Buffer.from(`id:${secret}`).toString('base64')]) expect(text).not.toContain(leaked);
    expect(span!.name).toBe('lookup [email]');
    expect(span!.attributes).toMatchObject({
      'http.request.header.authorization': CENSOR,
      'supplier.client_secret': CENSOR,
      'order.shipTo': CENSOR,
      'customer.email': CENSOR,
      'server.address': 'supplier.example', // a host is not personal data
      'rate_limit.tokens': 3, // a count under a credential-like key stays readable
      'supplier.slug': 'brightline',
    });
    expect(span!.events.find((e) => e.name === 'retry')!.attributes).toMatchObject({ attempt: 2 });
  });

  it('shuts down to the no-op path', async () => {
    tracing = startTracing({ config: settings({}), log: silentLogger(), exporter: new InMemorySpanExporter() });
    expect(tracingActive()).toBe(true);
    expect(() => startTracing({ config: settings({}), log: silentLogger(), exporter: new InMemorySpanExporter() })).toThrow(/already started/);
    await tracing.shutdown();
    tracing = undefined;
    expect(tracingActive()).toBe(false);
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    expect(carrier).toEqual({});
  });
});
