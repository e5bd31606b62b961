/**
 * W3C trace context across the event bus (docs/operations.md, "Traces"): an event published inside a traced
 * operation travels as `{ "$traceparent": "00-…", "$payload": <payload> }`, and each subscriber's handler runs in
 * that context, so the subscription resolutions an event causes join the trace that changed the stock. On the
 * vendor-neutral OpenTelemetry API (adapters import no platform code): with tracing off no propagator is registered,
 * nothing is injected and events travel as bare payloads, as before. Every bus reads both forms, so processes with
 * and without tracing share one bus.
 */
import { ROOT_CONTEXT, context, propagation } from '@opentelemetry/api';

const TRACEPARENT = '$traceparent';
const PAYLOAD = '$payload';

/** The payload to serialise: wrapped with the active trace context when there is one to carry. */
export function withTraceEnvelope(payload: unknown): unknown {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const traceparent = carrier['traceparent'];
  return traceparent === undefined ? payload : { [TRACEPARENT]: traceparent, [PAYLOAD]: payload };
}

const isEnvelope = (message: unknown): message is { [TRACEPARENT]: string; [PAYLOAD]: unknown } =>
  typeof message === 'object' && message !== null && typeof (message as Record<string, unknown>)[TRACEPARENT] === 'string' && PAYLOAD in message;

/** Calls `handler` with the bare payload, in the trace context the envelope carried (if any). */
export function deliverTraced(message: unknown, handler: (payload: unknown) => void): void {
  if (!isEnvelope(message)) return handler(message);
  const traceparent = message[TRACEPARENT];
  const payload = message[PAYLOAD];
  const parent = propagation.extract(ROOT_CONTEXT, { traceparent });
  context.with(parent, () => handler(payload));
}
