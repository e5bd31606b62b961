/**
 * Server spans for our HTTP routes (docs/operations.md, "Traces"). A route either continues the caller's trace —
 * only where the caller is one of our own processes (the gateway's signed subgraph fetches) — or starts a new one:
 * a client's or a supplier's `traceparent` is not trusted to choose our sampling or to join our traces.
 * Tracing off: the route is returned as it is.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { inRemoteSpan, inRootSpan, spanAttributes, SpanKind, spanRecording, tracingActive, TRACEPARENT_HEADER } from './spans.ts';

const NO_ATTRIBUTES = Object.freeze({});

type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface TracedRouteOptions {
  /** The span's name, e.g. `gateway /graphql`. */
  readonly name: string;
  /** `ours`: continue an incoming `traceparent` (a caller we own); `new`: always a new trace. */
  readonly parent: 'ours' | 'new';
}

export function tracedRoute(route: Route, options: TracedRouteOptions): Route {
  if (!tracingActive()) return route;
  // Attributes only once the span is known to record: most requests are not sampled, and parsing the URL (and an
  // extra async step) for a span that drops it showed in what sampled-off cost (docs/benchmarks.md, "Tracing overhead").
  const recorded = async (req: IncomingMessage, res: ServerResponse) => {
    spanAttributes({ 'http.request.method': req.method ?? 'GET', 'url.path': new URL(req.url ?? '/', 'http://x').pathname });
    await route(req, res);
    spanAttributes({ 'http.response.status_code': res.statusCode });
  };
  return (req, res) => {
    const run = () => (spanRecording() ? recorded(req, res) : route(req, res));
    const header = req.headers[TRACEPARENT_HEADER];
    if (options.parent === 'ours' && typeof header === 'string') return inRemoteSpan(header, options.name, NO_ATTRIBUTES, run, SpanKind.SERVER);
    return inRootSpan(options.name, NO_ATTRIBUTES, run, SpanKind.SERVER);
  };
}
