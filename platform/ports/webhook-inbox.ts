import type { OrderSignal, StockSignal } from '../../kernel/signals.ts';

/**
 * Port: verified supplier webhook deliveries waiting to be applied (MongoDB `webhook_inbox` in production,
 * in-memory embedded). Recording a delivery is ONE insert under a unique id (supplier + delivery id): the insert is
 * the dedupe, atomic on every server, including MongoDB-protocol servers whose conditional updates are not.
 * Entries are kept after processing, until the sweeper deletes them, so a retry within the retention still finds
 * its delivery id.
 */

export type InboxStatus = 'pending' | 'done' | 'failed';

export interface NewInboxEntry {
  readonly supplier: string;
  readonly deliveryId: string;
  readonly topic: string;
  readonly signals: readonly StockSignal[];
  /**
   * Supplier orders the delivery is about (order and fulfilment topics): triggers for order tracking. Absent on
   * stock deliveries and on entries stored before order webhooks were kept.
   */
  readonly orderSignals?: readonly OrderSignal[];
  /** When we acknowledged it (ISO 8601). */
  readonly receivedAt: string;
  /**
   * W3C trace context of the request that delivered it (tracing on only): the worker that applies it, in this
   * process or another after a crash, continues that trace (docs/operations.md, "Traces").
   */
  readonly traceparent?: string;
  /**
   * Earliest time a recovery scan may take it (ISO 8601): the receiving process owns it until then (a lease), so
   * another process does not race it; after a crash it becomes due by itself.
   */
  readonly dueAt: string;
}

export interface InboxEntry extends NewInboxEntry {
  /** `${supplier}:${deliveryId}` */
  readonly id: string;
  readonly status: InboxStatus;
  readonly attempts: number;
  /** What processing concluded, e.g. "applied 1, stale 0"; the last error for failed attempts. */
  readonly note: string | null;
  readonly processedAt: string | null;
}

export const inboxId = (supplier: string, deliveryId: string): string => `${supplier}:${deliveryId}`;

export interface WebhookInbox {
  /** Inserts the delivery; `{ recorded: false }` when this supplier already sent this delivery id (a duplicate). */
  record(entry: NewInboxEntry): Promise<{ readonly recorded: boolean; readonly entry: InboxEntry }>;
  get(id: string): Promise<InboxEntry | null>;
  /** Pending entries due at or before `now`, oldest first. */
  due(now: string, limit: number): Promise<InboxEntry[]>;
  /**
   * Marks entries processed, in one write (a batch's entries usually share their note). Processing is idempotent,
   * so a second process doing the same is harmless.
   */
  complete(ids: readonly string[], note: string, at: string): Promise<void>;
  /** Records a failed attempt: pending again from `retryAt`, or `failed` for good when `giveUp`. */
  fail(id: string, error: string, retryAt: string, giveUp: boolean): Promise<void>;
  /** Deletes processed and failed entries received before `before`; pending ones are kept. Returns how many. */
  sweep(before: string): Promise<number>;
  countByStatus(): Promise<Readonly<Record<InboxStatus, number>>>;
  clear(): Promise<void>;
}
