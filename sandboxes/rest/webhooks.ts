/**
 * Brightline's outbound webhooks. Each event is POSTed as JSON with
 *   X-Brightline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA512(secret, `${t}.${rawBody}`)>
 *   X-Brightline-Delivery:  <uuid>, the same on every retry of one event (receivers dedupe on it)
 *   X-Brightline-Event:     the event type
 * Signing the timestamp with the body lets receivers reject replays of old deliveries. A failed delivery
 * (network error or non-2xx) is retried twice with backoff, re-signed with a fresh timestamp.
 */
import { createHmac, randomUUID } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-brightline-signature';
export const DELIVERY_HEADER = 'x-brightline-delivery';
export const EVENT_HEADER = 'x-brightline-event';

export interface WebhookEvent {
  readonly id: string;
  readonly type: 'inventory.updated' | 'order.status_changed';
  readonly createdAt: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  const v1 = createHmac('sha512', secret).update(`${timestamp}.${rawBody}`).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

export interface WebhookSender {
  send(type: WebhookEvent['type'], data: Readonly<Record<string, unknown>>): void;
  /** Resolves once every delivery in flight has finished or given up. */
  idle(): Promise<void>;
  /** Aborts deliveries in flight and drops pending retries. */
  close(): void;
}

const RETRY_DELAYS_MS = [200, 1_000];

const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

export function createWebhookSender(options: { url: string | undefined; secret: string; timeoutMs?: number }): WebhookSender {
  const inFlight = new Set<Promise<void>>();
  const closing = new AbortController();

  async function deliver(event: WebhookEvent): Promise<void> {
    const rawBody = JSON.stringify(event);
    for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length && !closing.signal.aborted; attempt++) {
      if (attempt > 0) await pause(RETRY_DELAYS_MS[attempt - 1]!, closing.signal);
      if (closing.signal.aborted) return;
      try {
        const response = await fetch(options.url!, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Brightline-Webhooks/1.0',
            [SIGNATURE_HEADER]: signWebhook(options.secret, Math.floor(Date.now() / 1000), rawBody),
            [DELIVERY_HEADER]: event.id,
            [EVENT_HEADER]: event.type,
          },
          body: rawBody,
          signal: AbortSignal.any([closing.signal, AbortSignal.timeout(options.timeoutMs ?? 5_000)]),
        });
        await response.arrayBuffer();
        if (response.ok) return;
      } catch {
        // A receiver that is down gets the retry below, as with any real webhook producer.
      }
    }
  }

  return {
    send(type, data) {
      if (!options.url) return;
      const event: WebhookEvent = { id: randomUUID(), type, createdAt: new Date().toISOString(), data };
      const p = deliver(event).finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    close() {
      closing.abort();
    },
  };
}
