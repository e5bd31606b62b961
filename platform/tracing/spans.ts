/**
 * Our own spans (docs/operations.md, "Traces"). Every helper here is gated so that tracing off costs nothing: with
 * no SDK started (`tracingActive()` false) a root helper calls `fn` directly, and a child helper creates a span only
 * under a recording parent — so with the SDK on but a request not sampled, no child span object is made either.
 * Names and attributes are ours and carry no customer data (the scrubbing processor is the second layer).
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, context, propagation, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';

let active = false;

/** Set by start-tracing.ts; nothing else flips it. */
export function setTracingActive(on: boolean): void {
  active = on;
}

export const tracingActive = (): boolean => active;

const tracer = () => trace.getTracer('dropship-graph');

/** The header carrying W3C trace context between our own processes. */
export const TRACEPARENT_HEADER = 'traceparent';

function failed(span: Span, error: unknown): void {
  // The code only: a message may quote a supplier or an input (docs/operations.md, "What a span may carry").
  const code = (error as { code?: unknown } | null)?.code;
  span.setStatus({ code: SpanStatusCode.ERROR, ...(typeof code === 'string' ? { message: code } : {}) });
  if (typeof code === 'string') span.setAttribute('error.type', code);
}

const isThenable = (value: unknown): value is PromiseLike<unknown> => typeof (value as { then?: unknown } | null)?.then === 'function';

/** Runs `run` and ends `span` when it is done: at once for a plain value, on settlement for a promise. */
function finish<T>(span: Span, run: () => T): T {
  let result: T;
  try {
    result = run();
  } catch (error) {
    failed(span, error);
    span.end();
    throw error;
  }
  if (!isThenable(result)) {
    span.end();
    return result;
  }
  return Promise.resolve(result).then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      failed(span, error);
      span.end();
      throw error;
    },
  ) as T;
}

/**
 * Whether a child span would be recorded: the active span records, or it is a sampled remote parent (an event
 * handler runs in the context the bus's envelope carried, with no local span yet).
 */
function recordsUnder(parent: Span | undefined): boolean {
  if (parent === undefined) return false;
  if (parent.isRecording()) return true;
  const parentContext = parent.spanContext();
  return parentContext.isRemote === true && (parentContext.traceFlags & TraceFlags.SAMPLED) !== 0;
}

/** A child of the active span, only when that one records (or is a sampled remote parent). */
export function inSpan<T>(name: string, attributes: Attributes, fn: () => T, kind: SpanKind = SpanKind.INTERNAL): T {
  if (!active) return fn();
  if (!recordsUnder(trace.getActiveSpan())) return fn();
  return tracer().startActiveSpan(name, { attributes, kind }, (span) => (span.isRecording() ? finish(span, fn) : fn()));
}

/**
 * A span continuing the trace named by `traceparent` (an incoming header, an event envelope, an inbox entry), or a
 * new trace when there is none. Never a child of whatever happens to be active: a worker's loop runs in the context
 * of the request that first woke it.
 */
export function inRemoteSpan<T>(traceparent: string | undefined, name: string, attributes: Attributes, fn: () => T, kind: SpanKind = SpanKind.INTERNAL): T {
  if (!active) return fn();
  const parent = traceparent === undefined ? ROOT_CONTEXT : propagation.extract(ROOT_CONTEXT, { [TRACEPARENT_HEADER]: traceparent });
  // Not recorded (an unsampled parent or root): nothing to end or mark, so no promise chained on the result either.
  return tracer().startActiveSpan(name, { attributes, kind }, parent, (span) => (span.isRecording() ? finish(span, fn) : fn()));
}

/** A new trace (the gateway's requests, a supplier's webhook): nothing from outside chooses its sampling. */
export function inRootSpan<T>(name: string, attributes: Attributes, fn: () => T, kind: SpanKind = SpanKind.SERVER): T {
  return inRemoteSpan(undefined, name, attributes, fn, kind);
}

/** An event on the active span, when it records. */
export function spanEvent(name: string, attributes?: Attributes): void {
  if (!active) return;
  const span = trace.getActiveSpan();
  if (span?.isRecording()) span.addEvent(name, attributes);
}

/** Whether the active span records: to skip building attributes that would be dropped. */
export function spanRecording(): boolean {
  return active && trace.getActiveSpan()?.isRecording() === true;
}

/** Attributes on the active span, when it records (e.g. figures known only at the end). */
export function spanAttributes(attributes: Attributes): void {
  if (!active) return;
  const span = trace.getActiveSpan();
  if (span?.isRecording()) span.setAttributes(attributes);
}

/** The active trace context as a `traceparent` value, to carry where a header cannot go (event envelopes, inbox entries). */
export function currentTraceparent(): string | undefined {
  if (!active) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier[TRACEPARENT_HEADER];
}

/** Adds `traceparent` (and `tracestate`) for the active context to outgoing headers; unchanged when off or none. */
export function injectTraceHeaders(headers: Record<string, string>): Record<string, string> {
  if (!active) return headers;
  propagation.inject(context.active(), headers);
  return headers;
}

/** Runs `fn` with the context an incoming carrier names (no span of its own). */
export function withExtracted<T>(carrier: Record<string, string | string[] | undefined>, fn: () => T): T {
  if (!active) return fn();
  const extracted: Context = propagation.extract(ROOT_CONTEXT, carrier);
  return context.with(extracted, fn);
}

export { SpanKind };
