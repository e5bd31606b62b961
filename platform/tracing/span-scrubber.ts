/**
 * The log-redaction rules (platform/log-redaction.ts) applied to spans, as the last step before export: whatever a
 * span name, attribute or event carries — ours, or @apollo/gateway's (an operation name is client text), or an
 * exception recorded by a library — leaves the process without credentials, tokens or personal data.
 * 1. by key: an attribute whose key (or any dotted segment of it: `http.request.header.authorization`) is a
 *    credential or personal-data key is replaced by the censor mark;
 * 2. by shape: every string value, span name and event name is scrubbed like a log message (bearer/basic
 *    credentials, URL user-info, `token=` pairs, `<password>` elements, e-mail addresses).
 * A span processor that edits the finished span in place, then hands it on: the exporter and any other processor
 * after it see only the scrubbed span.
 */
import type { Attributes, AttributeValue, Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { CENSOR, isSensitiveKey, scrubText } from '../log-redaction.ts';

/** Standard attribute keys whose last segment only looks personal: `server.address` is the supplier's host name. */
const STANDARD_KEYS = new Set(['server.address', 'server.port', 'network.peer.address']);
const sensitive = (key: string): boolean =>
  !STANDARD_KEYS.has(key) && (isSensitiveKey(key) || key.split(/[.\s]/).some((segment) => segment.length > 0 && isSensitiveKey(segment)));

function scrubValue(value: AttributeValue | undefined): AttributeValue | undefined {
  if (typeof value === 'string') return scrubText(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? scrubText(v) : v)) as AttributeValue;
  return value;
}

/** A scrubbed copy of attributes (censored by key, scrubbed by shape). */
export function scrubAttributes(attributes: Attributes): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    out[key] = sensitive(key) && typeof value !== 'number' && typeof value !== 'boolean' ? CENSOR : scrubValue(value);
  }
  return out;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class ScrubbingSpanProcessor implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}

  onStart(span: Span, parentContext: Context): void {
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    const writable = span as Mutable<ReadableSpan>;
    writable.name = scrubText(span.name);
    const attributes = scrubAttributes(span.attributes);
    // The SDK's attributes object is its own: replace its entries (the property itself is read-only on some versions).
    for (const key of Object.keys(span.attributes)) delete (span.attributes as Record<string, unknown>)[key];
    Object.assign(span.attributes, attributes);
    for (const event of span.events) {
      const e = event as Mutable<typeof event>;
      e.name = scrubText(event.name);
      if (event.attributes) e.attributes = scrubAttributes(event.attributes);
    }
    if (span.status.message !== undefined) (writable as { status: typeof span.status }).status = { ...span.status, message: scrubText(span.status.message) };
    this.next.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}
