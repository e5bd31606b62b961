/**
 * `POST /webhooks/<supplier>`: verify, dedupe, store, acknowledge. Nothing is applied here: the endpoint only
 * stores the verified delivery in the inbox (one insert, which is also the dedupe) and answers, so the supplier
 * gets its answer in milliseconds whatever the stock path or an order read-back costs; the ingest worker applies
 * it afterwards (stock signals to stock, order signals to order tracking).
 *
 * | outcome   | status | body `status` | written |
 * |-----------|--------|---------------|---------|
 * | new stock or order delivery   | 202 | accepted  | inbox entry |
 * | delivery id seen before       | 200 | duplicate | nothing (2xx so the supplier stops retrying) |
 * | verified, about neither       | 202 | ignored   | nothing |
 * | bad or missing signature      | 401 | forged    | nothing |
 * | signed timestamp too old/new  | 401 | stale     | nothing |
 * | not JSON / not the schema     | 400 | malformed | nothing |
 * | body over the limit           | 413 | oversized | nothing |
 * | supplier without webhooks     | 404 | —         | nothing |
 * | inbox unavailable             | 503 | —         | nothing (the supplier retries) |
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhookRejection, WebhookScheme } from '../../../adapters/core/webhook.ts';
import { BodyTooLargeError, readBody, sendJson } from '../../../platform/http/body.ts';
import type { Route } from '../../../platform/http/listen.ts';
import type { Logger } from '../../../platform/logger.ts';
import { createRateLimitedLog } from '../../../platform/rate-limited-log.ts';
import { cleanSupplierText } from '../../../adapters/core/supplier-text.ts';
import type { InboxEntry, WebhookInbox } from '../../../platform/ports/webhook-inbox.ts';
import type { InventorySyncMetrics, WebhookOutcome } from '../sync-metrics.ts';
import { currentTraceparent } from '../../../platform/tracing/spans.ts';
import { CODE, ERRORS, type ErrorCode } from '../../../kernel/errors.ts';

export const WEBHOOK_PATH_PREFIX = '/webhooks/';

export interface WebhookEndpointOptions {
  /** One scheme per supplier that pushes, by slug. */
  readonly schemes: ReadonlyMap<string, WebhookScheme>;
  /** Active secrets of a supplier, asked per request so a rotation needs no restart. */
  readonly secretsFor: (supplier: string) => readonly string[];
  readonly inbox: WebhookInbox;
  /** Called after a delivery was stored (the worker's fast path). */
  readonly onRecorded: (entry: InboxEntry) => void;
  readonly metrics: Pick<InventorySyncMetrics, 'webhook'>;
  readonly log: Logger;
  /** Largest body accepted. @default 262144 */
  readonly maxBodyBytes?: number;
  /** How long the receiving process owns a stored entry before a recovery scan may take it. @default 30000 */
  readonly leaseMs?: number;
  /**
   * Refusals (bad signature, stale, malformed) come from anyone who can reach the endpoint: the first of each
   * (supplier, rejection) is logged, then at most one line per this interval with a count (platform/rate-limited-log.ts).
   * Every refusal is counted in `webhook_deliveries_total{supplier, outcome}` whatever is logged. @default 60000
   */
  readonly refusalLogIntervalMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** A route that also writes its pending refusal counts when the stack stops. */
export interface WebhookRoute extends Route {
  /** Writes the pending refusal summary lines and stops their timer. */
  closeLog(): void;
}

/** The code each refusal answers with; its status is the registry's (kernel/errors.ts): 401, 401, 400. */
const REJECTION_CODE: Readonly<Record<WebhookRejection, ErrorCode>> = { forged: CODE.INVALID_SIGNATURE, stale: CODE.STALE_TIMESTAMP, malformed: CODE.MALFORMED_PAYLOAD };

export function createWebhookRoute(options: WebhookEndpointOptions): WebhookRoute {
  const log = options.log.child({ component: 'webhook-endpoint' });
  const refusals = createRateLimitedLog({ log, ...(options.refusalLogIntervalMs === undefined ? {} : { intervalMs: options.refusalLogIntervalMs }), ...(options.now ? { now: options.now } : {}) });
  const now = options.now ?? Date.now;
  const maxBodyBytes = options.maxBodyBytes ?? 262_144;
  const leaseMs = options.leaseMs ?? 30_000;
  const warnedNoSecret = new Set<string>();

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const answer = (supplier: string, outcome: WebhookOutcome, status: number, body: Record<string, unknown>) => {
      // A rejected request may still be streaming a body we will not read: close rather than drain it.
      if (status >= 400) res.setHeader('connection', 'close');
      sendJson(res, status, body);
      options.metrics.webhook(supplier, outcome, outcome === 'accepted' ? (performance.now() - started) / 1000 : undefined);
    };
    const slug = new URL(req.url ?? '/', 'http://localhost').pathname.slice(WEBHOOK_PATH_PREFIX.length);
    const scheme = options.schemes.get(slug);
    if (scheme === undefined) {
      req.resume();
      return answer('unknown', 'unknown_supplier', 404, { error: { code: CODE.UNKNOWN_SUPPLIER, message: 'No webhooks are received for this supplier' } });
    }
    if (req.method !== 'POST') {
      req.resume();
      res.setHeader('allow', 'POST');
      return sendJson(res, 405, { error: { code: CODE.METHOD_NOT_ALLOWED, message: 'POST only' } });
    }
    let rawBody: Buffer;
    try {
      rawBody = await readBody(req, maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return answer(slug, 'oversized', 413, { error: { code: CODE.PAYLOAD_TOO_LARGE, message: `Body over ${maxBodyBytes} bytes` } });
      throw error;
    }

    const secrets = options.secretsFor(slug);
    if (secrets.length === 0 && !warnedNoSecret.has(slug)) {
      warnedNoSecret.add(slug);
      log.warn({ supplier: slug }, 'no webhook secret configured for this supplier: every delivery will be refused');
    }
    const verdict = scheme.read({ headers: req.headers, rawBody }, secrets, now());
    if (!verdict.ok) {
      // The reason may quote what the sender wrote (schema paths of a malformed body): clipped and cleaned.
      const reason = cleanSupplierText(verdict.reason) ?? verdict.rejection;
      refusals.log('info', `${slug}\u0000${verdict.rejection}`, { supplier: slug, rejection: verdict.rejection, reason }, 'webhook delivery refused');
      return answer(slug, verdict.rejection, ERRORS[REJECTION_CODE[verdict.rejection]].httpStatus, { error: { code: REJECTION_CODE[verdict.rejection], message: reason } });
    }
    const orderSignals = verdict.orderSignals ?? [];
    if (!verdict.aboutStock && orderSignals.length === 0) return answer(slug, 'ignored', 202, { status: 'ignored', deliveryId: verdict.deliveryId, topic: verdict.topic });

    const receivedAt = now();
    const traceparent = currentTraceparent();
    let stored: { recorded: boolean; entry: InboxEntry };
    try {
      stored = await options.inbox.record({
        supplier: slug,
        deliveryId: verdict.deliveryId,
        topic: verdict.topic,
        signals: verdict.signals,
        ...(orderSignals.length > 0 ? { orderSignals } : {}),
        receivedAt: new Date(receivedAt).toISOString(),
        dueAt: new Date(receivedAt + leaseMs).toISOString(),
        ...(traceparent === undefined ? {} : { traceparent }),
      });
    } catch (error) {
      log.error({ err: error, supplier: slug, deliveryId: verdict.deliveryId }, 'webhook inbox unavailable');
      return answer(slug, 'error', ERRORS.STORE_UNAVAILABLE.httpStatus, { error: { code: CODE.STORE_UNAVAILABLE, message: 'Try again later' } });
    }
    if (!stored.recorded) return answer(slug, 'duplicate', 200, { status: 'duplicate', deliveryId: verdict.deliveryId });
    answer(slug, 'accepted', 202, { status: 'accepted', deliveryId: verdict.deliveryId });
    options.onRecorded(stored.entry);
  };
  return Object.assign(route, { closeLog: () => refusals.close() });
}
