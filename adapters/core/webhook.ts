/**
 * The seam between a supplier's webhook scheme (signature, replay window, payload shape: adapters/suppliers/<slug>/
 * webhook.ts) and our ingest (subgraphs/inventory/ingest/). A scheme is pure: bytes, headers, secrets and a clock
 * in, a verdict out. No I/O, so it is unit-tested on recorded deliveries.
 */

import type { OrderSignal, StockSignal } from '../../kernel/signals.ts';

export type { OrderSignal, StockSignal };

/** Why a delivery was refused before anything was stored. */
export type WebhookRejection = 'forged' | 'stale' | 'malformed';

export interface WebhookRequest {
  /** Lower-case header names, as node:http gives them. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The exact bytes received: signatures are computed over these, never over re-serialised JSON. */
  readonly rawBody: Buffer;
}

export type WebhookVerdict =
  | {
      readonly ok: true;
      /** The supplier's delivery id, the same on every retry of one event: the dedupe key. */
      readonly deliveryId: string;
      readonly topic: string;
      /** False for topics that say nothing about stock (orders, fulfilments). */
      readonly aboutStock: boolean;
      readonly signals: readonly StockSignal[];
      /** Supplier orders the delivery is about (orders, fulfilments): stored like stock deliveries, then tracked. */
      readonly orderSignals?: readonly OrderSignal[];
    }
  | { readonly ok: false; readonly rejection: WebhookRejection; readonly reason: string };

export interface WebhookScheme {
  readonly supplier: string;
  /**
   * Verifies the signature over the raw bytes against every active secret (rotation keeps several), checks the
   * signed timestamp where the scheme has one, then parses. `nowMs` is injected so tests can pin the clock.
   */
  read(request: WebhookRequest, secrets: readonly string[], nowMs: number): WebhookVerdict;
}

/** First value of a header that may repeat; undefined when absent or empty. */
export function headerValue(headers: WebhookRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.length > 0 ? first : undefined;
}
