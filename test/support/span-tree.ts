import type { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** Finished spans as a tree: parents by span id, within one trace. */
export interface SpanTree {
  readonly traceId: string;
  readonly spans: readonly ReadableSpan[];
  readonly root: ReadableSpan;
  named(name: string | RegExp): ReadableSpan[];
  /** The span's parent in this trace, if it was exported. */
  parentOf(span: ReadableSpan): ReadableSpan | undefined;
  /** Names from the span up to the root, nearest first. */
  ancestry(span: ReadableSpan): string[];
}

export const traceIdOf = (span: ReadableSpan): string => span.spanContext().traceId;
const idOf = (span: ReadableSpan): string => span.spanContext().spanId;

export function treeOf(all: readonly ReadableSpan[], traceId: string): SpanTree {
  const spans = all.filter((s) => traceIdOf(s) === traceId);
  const byId = new Map(spans.map((s) => [idOf(s), s]));
  const parentOf = (span: ReadableSpan) => (span.parentSpanContext ? byId.get(span.parentSpanContext.spanId) : undefined);
  const roots = spans.filter((s) => parentOf(s) === undefined);
  if (roots.length !== 1) throw new Error(`trace ${traceId} has ${roots.length} spans without an exported parent: ${roots.map((r) => r.name).join(', ')}`);
  return {
    traceId,
    spans,
    root: roots[0]!,
    named: (name) => spans.filter((s) => (typeof name === 'string' ? s.name === name : name.test(s.name))),
    parentOf,
    ancestry(span) {
      const names: string[] = [];
      for (let at: ReadableSpan | undefined = parentOf(span); at !== undefined; at = parentOf(at)) names.push(at.name);
      return names;
    },
  };
}

/** Polls the exporter until `ready` holds (spans end after responses are written). */
export async function waitForSpans(exporter: InMemorySpanExporter, ready: (spans: readonly ReadableSpan[]) => boolean, what: string, timeoutMs = 10_000): Promise<ReadableSpan[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const spans = exporter.getFinishedSpans();
    if (ready(spans)) return [...spans];
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; have: ${[...new Set(spans.map((s) => s.name))].join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Everything a span exports as text: name, attributes, events and their attributes, status, links, resource. */
export function exportedText(span: ReadableSpan): string {
  return JSON.stringify({
    name: span.name,
    attributes: span.attributes,
    events: span.events.map((e) => ({ name: e.name, attributes: e.attributes })),
    status: span.status,
    links: span.links.map((l) => l.attributes ?? {}),
    resource: span.resource.attributes,
  });
}
