/**
 * Port: the delivery log of outbound order webhooks (docs/orders.md) — one record per event per merchant endpoint,
 * with every attempt. MongoDB `order_webhook_deliveries` in production, in-memory embedded. The record is also the
 * retry state: a pending record is what a restarted process resumes, so retries survive a restart.
 *
 * Hot path (every publish and every attempt) is by id only: `create` is one insert under the id (a duplicate insert
 * is refused atomically on every server), `get` / `update` are point operations on it. `list` and `pending` are
 * operator reads and the start-up resume: they may scan.
 */

export type DeliveryState = 'pending' | 'delivered' | 'failed';

export interface DeliveryAttempt {
  /** ISO 8601. */
  readonly at: string;
  /** HTTP status, or null when no answer came (timeout, refused connection). */
  readonly status: number | null;
  /** Why no answer came; never holds the secret or the signature. */
  readonly error: string | null;
}

export interface WebhookDeliveryRecord {
  /** The `webhook-id`: deterministic per endpoint and event, the same on every retry (receivers dedupe on it). */
  readonly id: string;
  readonly endpointId: string;
  readonly tenant: string;
  readonly eventType: string;
  /** What the id was derived from, e.g. `<orderId>:<status>`. */
  readonly eventKey: string;
  /** The exact JSON sent (signed as is); order events carry no customer personal data. */
  readonly body: string;
  readonly state: DeliveryState;
  readonly attempts: readonly DeliveryAttempt[];
  /** ISO 8601. */
  readonly createdAt: string;
  /** When the next attempt is due (ISO 8601); null once delivered or failed. */
  readonly nextAttemptAt: string | null;
}

export interface DeliveryListOptions {
  readonly state?: DeliveryState;
  /** 1..200. @default 50 */
  readonly limit?: number;
}

export interface WebhookDeliveryLog {
  /** Records a new delivery; false when one with this id exists (the event was already published to this endpoint). */
  create(record: WebhookDeliveryRecord): Promise<boolean>;
  get(id: string): Promise<WebhookDeliveryRecord | null>;
  /** Replaces the stored record with this id (after an attempt). Last writer wins. */
  update(record: WebhookDeliveryRecord): Promise<void>;
  /** A tenant's deliveries (every tenant's when null), newest first. */
  list(tenant: string | null, options?: DeliveryListOptions): Promise<WebhookDeliveryRecord[]>;
  /** Pending deliveries of every tenant, the earliest due first: what a starting process resumes. */
  pending(limit: number): Promise<WebhookDeliveryRecord[]>;
  clear(): Promise<void>;
}

export const MAX_DELIVERY_PAGE = 200;

/** Newest first, ties by id: one order for every implementation. */
export const newestFirst = (a: WebhookDeliveryRecord, b: WebhookDeliveryRecord): number =>
  a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

/** Earliest due first, ties by id. */
export const earliestDue = (a: WebhookDeliveryRecord, b: WebhookDeliveryRecord): number => {
  const da = a.nextAttemptAt ?? '';
  const db = b.nextAttemptAt ?? '';
  return da !== db ? (da < db ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

/** Checks `limit` (INVALID_INPUT beyond 1..200 is the callers' job at the API edge; stores clamp). */
export const pageSize = (limit: number | undefined): number => Math.min(MAX_DELIVERY_PAGE, Math.max(1, Math.floor(limit ?? 50)));
