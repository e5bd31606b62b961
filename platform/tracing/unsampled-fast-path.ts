/**
 * The sampled-off fast path (docs/benchmarks.md, "Tracing overhead"). Under a parent-based sampler a child of a
 * span that is not sampled is never sampled either, yet the SDK still makes the whole decision for it: a new span
 * id, the attributes sanitised, the sampler asked, a non-recording span object, a context entry and an
 * AsyncLocalStorage `run` around its callback. @apollo/gateway opens ~10 such spans per request and each subgraph
 * request one more; profiled, that was most of what tracing cost a request that was not sampled.
 *
 * This tracer provider wraps the SDK's: when the parent (the active span, or the explicit context's) is valid, not
 * recording and not sampled, the "child" is the parent's own non-recording span (same trace id, span id, flags and
 * trace state; ending it does nothing), and `startActiveSpan` calls its callback in the parent's context without
 * entering a new one. What is propagated downstream is what the SDK would propagate, except that `traceparent`'s parent id names
 * the nearest span that was actually started (nothing of an unsampled trace is recorded, so no id can dangle).
 * A sampled parent, a recording one, a root (`options.root` or no parent), or a sampler that is not parent-based:
 * the SDK's own path, unchanged.
 */
import { context, trace, TraceFlags, type Context, type Span, type SpanOptions, type Tracer, type TracerOptions, type TracerProvider } from '@opentelemetry/api';

const INVALID_TRACE_ID = '00000000000000000000000000000000';

/** The parent's span when the SDK would only make a non-recording child of it. */
function unsampledParent(ctx: Context): Span | undefined {
  const parent = trace.getSpan(ctx);
  if (parent === undefined || parent.isRecording()) return undefined;
  const parentContext = parent.spanContext();
  if ((parentContext.traceFlags & TraceFlags.SAMPLED) !== 0 || parentContext.traceId === INVALID_TRACE_ID) return undefined;
  return parent;
}

class UnsampledFastPathTracer implements Tracer {
  constructor(private readonly sdk: Tracer) {}

  startSpan(name: string, options?: SpanOptions, ctx: Context = context.active()): Span {
    const parent = options?.root ? undefined : unsampledParent(ctx);
    return parent === undefined ? this.sdk.startSpan(name, options, ctx) : parent;
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, ctx: Context, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, a: F | SpanOptions, b?: F | Context, c?: F): ReturnType<F> {
    // No destructuring into a fresh array: this runs ~15 times per request.
    const options = typeof a === 'function' ? undefined : a;
    const ctx = typeof b === 'function' ? undefined : b;
    const fn = (typeof a === 'function' ? a : typeof b === 'function' ? b : c!) as (span: Span) => ReturnType<F>;
    const parentContext = ctx ?? context.active();
    const parent = options?.root ? undefined : unsampledParent(parentContext);
    if (parent === undefined) return this.sdk.startActiveSpan(name, options ?? {}, parentContext, fn);
    // The parent (a non-recording span: the SDK makes span objects only for recorded spans) is handed over as the
    // child; it is already the active span of `parentContext`, so no new context and no AsyncLocalStorage entry.
    return ctx === undefined ? fn(parent) : context.with(parentContext, fn, undefined, parent);
  }
}

export class UnsampledFastPathTracerProvider implements TracerProvider {
  private readonly tracers = new Map<string, Tracer>();

  constructor(private readonly sdk: TracerProvider) {}

  getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
    const key = `${name}@${version ?? ''}:${options?.schemaUrl ?? ''}`;
    let tracer = this.tracers.get(key);
    if (tracer === undefined) this.tracers.set(key, (tracer = new UnsampledFastPathTracer(this.sdk.getTracer(name, version, options))));
    return tracer;
  }
}
