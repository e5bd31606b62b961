/**
 * Starts OpenTelemetry tracing for this process from the OTEL_* settings (platform/tracing/tracing-settings.ts), or
 * does nothing at all. Off (the default, no endpoint): no provider, no context manager, no propagator is registered,
 * so @apollo/gateway's spans stay on the API's no-op path and our helpers (spans.ts) call straight through.
 *
 * On: a tracer provider with the configured sampler (parent-based ratio by default), spans scrubbed by the
 * log-redaction rules (span-scrubber.ts), batched and sent as OTLP/HTTP to the endpoint; AsyncLocalStorage carries
 * the active span across awaits; W3C `traceparent` is the propagation format between our processes.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import type { Logger } from '../logger.ts';
import { ScrubbingSpanProcessor } from './span-scrubber.ts';
import { setTracingActive } from './spans.ts';
import type { SamplerKind, TracingConfig } from './tracing-settings.ts';
import { UnsampledFastPathTracerProvider } from './unsampled-fast-path.ts';

export interface TracingOptions {
  readonly config: TracingConfig;
  readonly log: Logger;
  /**
   * Export here instead of OTLP, synchronously at each span's end (tests: an InMemorySpanExporter). Turns tracing on
   * whatever the endpoint says, unless OTEL_SDK_DISABLED.
   */
  readonly exporter?: SpanExporter;
}

export interface Tracing {
  readonly enabled: boolean;
  /** Sends what is buffered. */
  forceFlush(): Promise<void>;
  /** Flushes, then unregisters everything (the process is on the no-op path again). */
  shutdown(): Promise<void>;
}

const OFF: Tracing = { enabled: false, forceFlush: async () => {}, shutdown: async () => {} };
let running: Tracing | null = null;

export function samplerOf(config: Pick<TracingConfig, 'sampler' | 'ratio'>): Sampler {
  switch (config.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(config.ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.ratio) });
  }
}

/**
 * Whether a child of a span that is not sampled is never sampled: true of the parent-based samplers (their default
 * delegates for a parent that is not sampled drop) and of always_off. Not of `traceidratio` or `always_on`, which
 * decide for each span afresh: the unsampled fast path (unsampled-fast-path.ts) would change their answer.
 */
export const unsampledParentDropsChildren = (sampler: SamplerKind): boolean => sampler.startsWith('parentbased_') || sampler === 'always_off';

/** One per process: a second call while one runs is refused (the API's globals are process-wide). */
export function startTracing(options: TracingOptions): Tracing {
  const { config, log } = options;
  if (config.sdkDisabled || (!config.enabled && options.exporter === undefined)) return OFF;
  if (running !== null) throw new Error('tracing is already started in this process');
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: config.endpoint! }), { maxQueueSize: 4_096, scheduledDelayMillis: 2_000 });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    sampler: samplerOf(config),
    spanProcessors: [new ScrubbingSpanProcessor(processor)],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const globalProvider = unsampledParentDropsChildren(config.sampler) ? new UnsampledFastPathTracerProvider(provider) : provider;
  const registered = [trace.setGlobalTracerProvider(globalProvider), context.setGlobalContextManager(contextManager), propagation.setGlobalPropagator(new W3CTraceContextPropagator())];
  if (registered.some((ok) => !ok)) log.warn('OpenTelemetry globals were already registered by someone else: our spans may not export');
  setTracingActive(true);
  log.info({ endpoint: options.exporter ? 'in-process exporter' : config.endpoint, sampler: config.sampler, ratio: config.ratio, service: config.serviceName }, 'tracing on');
  const handle: Tracing = {
    enabled: true,
    forceFlush: () => provider.forceFlush(),
    async shutdown() {
      if (running !== handle) return;
      running = null;
      setTracingActive(false);
      await provider.shutdown().catch((error: unknown) => log.warn({ err: error }, 'tracing shutdown failed'));
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  running = handle;
  return handle;
}
