/**
 * Spans and span events of supplier calls (docs/operations.md, "Traces"), on the vendor-neutral OpenTelemetry API
 * rather than platform/tracing (adapters import no platform code but logger types: docs/architecture.md). The API
 * is built for exactly this — instrumenting a library that does not know whether an SDK runs — and these helpers
 * act only under a recording parent span: with tracing off (no SDK: no active span) or a request not sampled, they
 * call straight through and create no span object. The SDK side (sampling, export, scrubbing) is platform/tracing.
 *
 * Attributes here are ours: supplier slug, operation, lane, counts, error codes, HTTP method/host/path/status. Never
 * a query string, header, body or supplier message (the span scrubber is a second layer, not the first).
 */
import { SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

const tracer = () => trace.getTracer('dropship-graph/adapters');

const recordingParent = (): Span | undefined => {
  const span = trace.getActiveSpan();
  return span !== undefined && span.isRecording() ? span : undefined;
};

/** Runs `fn` in a child span of the active one when that one records; otherwise just runs it. */
export function callSpan<T>(name: string, attributes: Attributes, fn: () => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  if (recordingParent() === undefined) return fn();
  return tracer().startActiveSpan(name, { attributes, kind }, async (span) => {
    try {
      const result = await fn();
      return result;
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      span.setStatus({ code: SpanStatusCode.ERROR, ...(typeof code === 'string' ? { message: code } : {}) });
      if (typeof code === 'string') span.setAttribute('error.type', code);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A retry, a limiter wait, a breaker decision: an event on the active span when it records. */
export function callEvent(name: string, attributes?: Attributes): void {
  recordingParent()?.addEvent(name, attributes);
}

/** Figures known after the call (an HTTP status): set on the active span when it records. */
export function callAttributes(attributes: Attributes): void {
  recordingParent()?.setAttributes(attributes);
}

export { SpanKind };
