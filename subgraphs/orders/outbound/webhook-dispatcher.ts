import { createHash } from 'node:crypto';
import type { Logger } from '../../../platform/logger.ts';
import type { WebhookDeliveryLog, WebhookDeliveryRecord } from '../../../platform/ports/webhook-delivery-log.ts';
import { standardWebhookHeaders } from './standard-webhooks.ts';
import { injectTraceHeaders } from '../../../platform/tracing/spans.ts';

export type { DeliveryAttempt, WebhookDeliveryRecord as DeliveryRecord } from '../../../platform/ports/webhook-delivery-log.ts';

/** A merchant endpoint that receives order events for one tenant (ORDER_WEBHOOK_ENDPOINTS, docs/configuration.md). */
export interface WebhookEndpoint {
  readonly id: string;
  readonly tenant: string;
  readonly url: string;
  /** `whsec_<base64>`; never logged. Give this or `secrets`. */
  readonly secret?: string;
  /** Several during a rotation: each signs every delivery, so the receiver may verify with either. Never logged. */
  readonly secrets?: readonly string[];
  /** Event types sent to it; every type when absent. */
  readonly events?: readonly string[];
}

const secretsOf = (e: WebhookEndpoint): readonly string[] => e.secrets ?? (e.secret === undefined ? [] : [e.secret]);

export interface WebhookDispatcherOptions {
  readonly endpoints: readonly WebhookEndpoint[];
  readonly log: Logger;
  /** Where deliveries and their attempts are kept; also the retry state that `resume` picks up (a store port: given by stack/). */
  readonly deliveries: WebhookDeliveryLog;
  /** @default 6 */
  readonly maxAttempts?: number;
  /** First retry delay; doubles each attempt, with ±50 % jitter. @default 1000 */
  readonly baseDelayMs?: number;
  /** @default 10_000 */
  readonly timeoutMs?: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default Date.now */
  readonly now?: () => number;
}

export interface WebhookDispatcher {
  /** Sends `data` as `eventType` to each of the tenant's endpoints; `eventKey` makes the webhook-id deterministic. */
  publish(tenant: string, eventType: string, eventKey: string, data: unknown): void;
  /**
   * Picks up the pending deliveries in the log (a previous process's retries) and schedules each at its due time.
   * Returns how many were resumed. The stack calls it once at start.
   */
  resume(limit?: number): Promise<number>;
  readonly deliveries: WebhookDeliveryLog;
  /** Resolves when no delivery is in flight or waiting for a retry. */
  idle(): Promise<void>;
  /** Stops retry timers; pending deliveries stay pending in the log for the next `resume`. */
  close(): void;
}

/** Deterministic per endpoint and event: the same on every retry and in every process. */
export const webhookIdOf = (endpointId: string, eventKey: string): string =>
  `msg_${createHash('sha256').update(`${endpointId}\u0000${eventKey}`).digest('hex').slice(0, 24)}`;

/** Why a request got no answer, without anything from the request (URL, headers). */
function describeFailure(e: unknown): string {
  if (!(e instanceof Error)) return 'request failed';
  const code = (e.cause as { code?: unknown } | undefined)?.code;
  return (typeof code === 'string' ? `${e.name}: ${e.message} (${code})` : `${e.name}: ${e.message}`).slice(0, 300);
}

/**
 * Outbound order events, signed per Standard Webhooks, retried with exponential backoff on anything but a 2xx.
 * Each delivery is recorded before its first attempt and updated after every attempt with the next due time, so the
 * log is the retry state: timers live in this process, and a process that starts resumes what another left
 * pending (receivers dedupe on webhook-id should a delivery be sent twice across a restart).
 */
export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const deliveries = options.deliveries;
  const maxAttempts = options.maxAttempts ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 1_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const endpoints = new Map(options.endpoints.map((e) => [e.id, e]));
  const inFlight = new Set<Promise<void>>();
  const timers = new Map<string, NodeJS.Timeout>();
  let closed = false;

  async function attempt(endpoint: WebhookEndpoint, record: WebhookDeliveryRecord): Promise<void> {
    const at = now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const headers = standardWebhookHeaders(secretsOf(endpoint), record.id, Math.floor(at / 1000), record.body);
      const response = await doFetch(endpoint.url, {
        method: 'POST',
        // W3C trace context (tracing on): the merchant backend is ours too, and may continue the order's trace.
        headers: injectTraceHeaders({ 'content-type': 'application/json', ...headers }),
        body: record.body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual', // a redirect is not a delivery, and must not carry the signed body elsewhere
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (e) {
      error = describeFailure(e);
    }
    const ok = status !== null && status >= 200 && status < 300;
    const attempts = [...record.attempts, { at: new Date(at).toISOString(), status, error }];
    const state = ok ? 'delivered' : attempts.length >= maxAttempts ? 'failed' : 'pending';
    const delay = baseDelayMs * 2 ** (attempts.length - 1) * (0.5 + Math.random());
    const next: WebhookDeliveryRecord = { ...record, attempts, state, nextAttemptAt: state === 'pending' ? new Date(now() + delay).toISOString() : null };
    await deliveries.update(next);
    if (state === 'failed') options.log.warn({ endpoint: endpoint.id, webhookId: record.id, attempts: attempts.length }, 'order webhook gave up');
    if (state === 'pending') schedule(endpoint, next, delay);
  }

  function schedule(endpoint: WebhookEndpoint, record: WebhookDeliveryRecord, delayMs: number): void {
    if (closed || timers.has(record.id)) return;
    const timer = setTimeout(() => {
      timers.delete(record.id);
      track(attempt(endpoint, record));
    }, Math.max(0, delayMs));
    timers.set(record.id, timer);
  }

  function track(p: Promise<void>): void {
    const guarded = p.catch((error: unknown) => options.log.error({ err: error }, 'order webhook delivery failed unexpectedly'));
    inFlight.add(guarded);
    void guarded.finally(() => inFlight.delete(guarded));
  }

  return {
    deliveries,
    publish(tenant, eventType, eventKey, data) {
      const at = new Date(now()).toISOString();
      const body = JSON.stringify({ type: eventType, timestamp: at, data });
      for (const endpoint of endpoints.values()) {
        if (endpoint.tenant !== tenant || (endpoint.events !== undefined && !endpoint.events.includes(eventType))) continue;
        const record: WebhookDeliveryRecord = { id: webhookIdOf(endpoint.id, eventKey), endpointId: endpoint.id, tenant, eventType, eventKey, body, state: 'pending', attempts: [], createdAt: at, nextAttemptAt: at };
        // Recorded before the first attempt: a crash from here on leaves a pending record to resume. A record that
        // exists already means this event went to this endpoint before (same webhook-id): nothing new to send.
        track(deliveries.create(record).then((created) => (created && !closed ? attempt(endpoint, record) : undefined)));
      }
    },
    async resume(limit = 1_000) {
      let resumed = 0;
      for (const record of await deliveries.pending(limit)) {
        if (timers.has(record.id)) continue;
        const endpoint = endpoints.get(record.endpointId);
        if (endpoint === undefined || endpoint.tenant !== record.tenant) {
          // The endpoint was removed (or moved) from the configuration: nobody to send it to, say so in the log.
          const attempts = [...record.attempts, { at: new Date(now()).toISOString(), status: null, error: 'endpoint no longer configured' }];
          await deliveries.update({ ...record, attempts, state: 'failed', nextAttemptAt: null });
          continue;
        }
        schedule(endpoint, record, Date.parse(record.nextAttemptAt ?? record.createdAt) - now());
        resumed += 1;
      }
      if (resumed > 0) options.log.info({ resumed }, 'resumed pending order webhook deliveries');
      return resumed;
    },
    async idle() {
      while (inFlight.size > 0 || timers.size > 0) {
        await Promise.all([...inFlight]);
        if (timers.size > 0) await new Promise((r) => setTimeout(r, 10));
      }
    },
    close() {
      closed = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}
