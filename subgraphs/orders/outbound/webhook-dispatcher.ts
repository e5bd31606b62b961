import { createHash } from 'node:crypto';
import type { Logger } from '../../../platform/logger.ts';
import { standardWebhookHeaders } from './standard-webhooks.ts';

/** A merchant endpoint that receives order events for one tenant. */
export interface WebhookEndpoint {
  readonly id: string;
  readonly tenant: string;
  readonly url: string;
  /** `whsec_<base64>`; never logged. */
  readonly secret: string;
}

export interface DeliveryAttempt {
  readonly at: string;
  /** HTTP status, or null when no answer came (timeout, refused connection). */
  readonly status: number | null;
  readonly error: string | null;
}

export interface DeliveryRecord {
  /** `webhook-id`: the same on every retry of this event to this endpoint. */
  readonly id: string;
  readonly endpointId: string;
  readonly tenant: string;
  readonly eventType: string;
  readonly body: string;
  readonly state: 'pending' | 'delivered' | 'failed';
  readonly attempts: readonly DeliveryAttempt[];
}

/** The delivery log. Only an in-memory implementation exists so far (docs/orders.md, known gaps). */
export interface DeliveryLog {
  put(record: DeliveryRecord): Promise<void>;
  list(tenant: string): Promise<DeliveryRecord[]>;
}

export function createMemoryDeliveryLog(): DeliveryLog {
  const records = new Map<string, DeliveryRecord>();
  return {
    async put(record) {
      records.set(`${record.endpointId}\u0000${record.id}`, structuredClone(record));
    },
    async list(tenant) {
      return [...records.values()].filter((r) => r.tenant === tenant).map((r) => structuredClone(r));
    },
  };
}

export interface WebhookDispatcherOptions {
  readonly endpoints: readonly WebhookEndpoint[];
  readonly log: Logger;
  /** @default createMemoryDeliveryLog() */
  readonly deliveries?: DeliveryLog;
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
  readonly deliveries: DeliveryLog;
  /** Resolves when no delivery is in flight or waiting for a retry. */
  idle(): Promise<void>;
  close(): void;
}

/**
 * Outbound order events, signed per Standard Webhooks, retried with exponential backoff on anything but a 2xx,
 * every attempt written to the delivery log. Retries are in-process timers: a restart drops pending retries.
 */
export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const deliveries = options.deliveries ?? createMemoryDeliveryLog();
  const maxAttempts = options.maxAttempts ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 1_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const inFlight = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  async function attempt(endpoint: WebhookEndpoint, record: DeliveryRecord): Promise<void> {
    const at = now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const headers = standardWebhookHeaders(endpoint.secret, record.id, Math.floor(at / 1000), record.body);
      const response = await doFetch(endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: record.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const ok = status !== null && status >= 200 && status < 300;
    const attempts = [...record.attempts, { at: new Date(at).toISOString(), status, error }];
    const state = ok ? 'delivered' : attempts.length >= maxAttempts ? 'failed' : 'pending';
    const next: DeliveryRecord = { ...record, attempts, state };
    await deliveries.put(next);
    if (state === 'failed') options.log.warn({ endpoint: endpoint.id, webhookId: record.id, attempts: attempts.length }, 'order webhook gave up');
    if (state !== 'pending' || closed) return;
    const delay = baseDelayMs * 2 ** (attempts.length - 1) * (0.5 + Math.random());
    const timer = setTimeout(() => {
      timers.delete(timer);
      track(attempt(endpoint, next));
    }, delay);
    timers.add(timer);
  }

  function track(p: Promise<void>): void {
    const guarded = p.catch((error: unknown) => options.log.error({ err: error }, 'order webhook delivery failed unexpectedly'));
    inFlight.add(guarded);
    void guarded.finally(() => inFlight.delete(guarded));
  }

  return {
    deliveries,
    publish(tenant, eventType, eventKey, data) {
      const body = JSON.stringify({ type: eventType, timestamp: new Date(now()).toISOString(), data });
      for (const endpoint of options.endpoints.filter((e) => e.tenant === tenant)) {
        const id = `msg_${createHash('sha256').update(`${endpoint.id}\u0000${eventKey}`).digest('hex').slice(0, 24)}`;
        const record: DeliveryRecord = { id, endpointId: endpoint.id, tenant, eventType, body, state: 'pending', attempts: [] };
        track(deliveries.put(record).then(() => attempt(endpoint, record)));
      }
    },
    async idle() {
      while (inFlight.size > 0 || timers.size > 0) {
        await Promise.all([...inFlight]);
        if (timers.size > 0) await new Promise((r) => setTimeout(r, 10));
      }
    },
    close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
