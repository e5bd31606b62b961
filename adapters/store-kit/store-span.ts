/**
 * MongoDB and Redis calls as client spans (docs/operations.md, "Traces"), at the one place each store's calls pass
 * (storeCall, redisCall) and named by their operation ("stock.applyReport", "events.publish"). Explicit spans here
 * rather than the drivers' auto-instrumentation packages: those patch `require`, which our ESM modules loaded by tsx
 * bypass, and an operation name is what an operator reads. On the vendor-neutral OpenTelemetry API (adapters import
 * no platform code): a span is made only under a recording parent, so with tracing off, a request not sampled or a
 * background loop nobody traces, the call runs as before and no span object exists. Never arguments or results.
 */
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = () => trace.getTracer('dropship-graph/stores');

export function storeSpan<T>(system: 'mongodb' | 'redis', operation: string, run: () => Promise<T>): Promise<T> {
  const parent = trace.getActiveSpan();
  if (parent === undefined || !parent.isRecording()) return run();
  const attributes = { 'db.system': system, 'db.operation.name': operation };
  return tracer().startActiveSpan(`${system} ${operation}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      span.setStatus({ code: SpanStatusCode.ERROR, ...(typeof code === 'string' ? { message: code } : {}) });
      throw error;
    } finally {
      span.end();
    }
  });
}
