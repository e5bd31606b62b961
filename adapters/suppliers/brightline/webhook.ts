/**
 * Brightline's webhook scheme (docs/suppliers/brightline-rest.md):
 *   X-Brightline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA512(secret, `${t}.${rawBody}`)>
 *   X-Brightline-Delivery:  <uuid>, equal to the event id and the same on every retry
 *   X-Brightline-Event:     the event type
 * The timestamp is inside the MAC, so a captured delivery cannot be replayed after the tolerance window; within
 * it, the ingest's dedupe on the delivery id stops replays. Pure functions, tested on recorded deliveries.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { headerValue, type OrderSignal, type StockSignal, type WebhookRequest, type WebhookScheme, type WebhookVerdict } from '../../core/webhook.ts';
import { SUPPLIER_RANGES } from '../../core/supplier-ranges.ts';
import { SUPPLIER } from './mapping.ts';

export const SIGNATURE_HEADER = 'x-brightline-signature';
export const DELIVERY_HEADER = 'x-brightline-delivery';
export const EVENT_HEADER = 'x-brightline-event';
/** Stripe's default, and what Brightline's documentation suggests. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const SHA512_BYTES = 64;

export interface ParsedSignatureHeader {
  readonly timestamp: number;
  /** Every v1 signature in the header: a sender rotating its secret may sign with both. */
  readonly signatures: readonly Buffer[];
}

/** `t=…,v1=…[,v1=…]`; unknown schemes (v0, v2…) are ignored, as Stripe-style receivers do. Null when unusable. */
export function parseSignatureHeader(header: string): ParsedSignatureHeader | null {
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]+$/i.test(value) && value.length === SHA512_BYTES * 2) signatures.push(Buffer.from(value, 'hex'));
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

export function brightlineSignature(secret: string, timestamp: number, rawBody: Buffer): Buffer {
  return createHmac('sha512', secret).update(`${timestamp}.`).update(rawBody).digest();
}

/** True when any signature in the header matches any active secret; every comparison is constant-time. */
export function signatureMatches(parsed: ParsedSignatureHeader, rawBody: Buffer, secrets: readonly string[]): boolean {
  let matched = false;
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    const expected = brightlineSignature(secret, parsed.timestamp, rawBody);
    // Lengths are fixed by the header parser (64 bytes), so timingSafeEqual never sees unequal lengths.
    for (const candidate of parsed.signatures) if (timingSafeEqual(expected, candidate)) matched = true;
  }
  return matched;
}

const Timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a timestamp');

const Envelope = z.object({
  id: z.string().min(1).max(200),
  type: z.string().min(1).max(100),
  createdAt: Timestamp,
  data: z.record(z.string(), z.unknown()),
});

const InventoryUpdated = z.object({
  partNumber: z.string().min(1).max(100),
  // The same bounds as the availability API's answers (docs/security.md, Ranges): a forged-but-signed or broken
  // sender's 1e300 must not become a stock figure. An oversold warehouse may go negative by as much.
  warehouses: z
    .array(z.object({ warehouseCode: z.string().max(100), quantityAvailable: z.number().int().min(-SUPPLIER_RANGES.maxQuantity).max(SUPPLIER_RANGES.maxQuantity) }))
    .max(1_000),
  lastUpdated: Timestamp,
});

export const ORDER_EVENT = 'order.status_changed';

/**
 * `order.status_changed`: `{orderId, customerOrderNumber, status, previousStatus, updatedAt}`. Only the ids are
 * kept: the status itself is read back through the connector (the delivery is a trigger), so a replayed or
 * out-of-order delivery cannot move an order. `customerOrderNumber` is our sub-order key.
 */
const OrderStatusChanged = z.object({
  orderId: z.string().min(1).max(100),
  customerOrderNumber: z.string().min(1).max(200).optional(),
});

const reject = (rejection: 'forged' | 'stale' | 'malformed', reason: string): WebhookVerdict => ({ ok: false, rejection, reason });

/** Parses a delivery whose signature was already verified. */
export function parseBrightlineDelivery(rawBody: Buffer, deliveryHeader: string | undefined): WebhookVerdict {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return reject('malformed', 'body is not JSON');
  }
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) return reject('malformed', `not a Brightline event: ${envelope.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')}`);
  const event = envelope.data;
  // The delivery header is what Brightline documents as the dedupe key; it must name the signed event.
  if (deliveryHeader !== undefined && deliveryHeader !== event.id) return reject('malformed', 'delivery header does not match the event id');
  if (event.type === ORDER_EVENT) {
    const order = OrderStatusChanged.safeParse(event.data);
    if (!order.success) return reject('malformed', `${ORDER_EVENT} without ${order.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    const signal: OrderSignal = { supplierOrderId: order.data.orderId, reference: order.data.customerOrderNumber ?? null };
    return { ok: true, deliveryId: event.id, topic: event.type, aboutStock: false, signals: [], orderSignals: [signal] };
  }
  if (event.type !== 'inventory.updated') {
    return { ok: true, deliveryId: event.id, topic: event.type, aboutStock: false, signals: [] };
  }
  const data = InventoryUpdated.safeParse(event.data);
  if (!data.success) return reject('malformed', `inventory.updated without ${data.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  // As in the availability API: a negative (oversold) warehouse counts as zero.
  const available = data.data.warehouses.reduce((sum, w) => sum + Math.max(0, w.quantityAvailable), 0);
  if (available > SUPPLIER_RANGES.maxQuantity) return reject('malformed', `inventory.updated total above ${SUPPLIER_RANGES.maxQuantity} units`);
  const signal: StockSignal = {
    kind: 'figure',
    supplierSku: data.data.partNumber,
    available,
    asOf: new Date(data.data.lastUpdated).toISOString(),
  };
  return { ok: true, deliveryId: event.id, topic: event.type, aboutStock: true, signals: [signal] };
}

export interface BrightlineWebhookOptions {
  /** Largest |now − t| accepted, in seconds. @default DEFAULT_TOLERANCE_SECONDS */
  readonly toleranceSeconds?: number;
}

export function createBrightlineWebhookScheme(options: BrightlineWebhookOptions = {}): WebhookScheme {
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  return {
    supplier: SUPPLIER,
    read(request: WebhookRequest, secrets, nowMs) {
      const header = headerValue(request.headers, SIGNATURE_HEADER);
      const parsed = header === undefined ? null : parseSignatureHeader(header);
      if (parsed === null) return reject('forged', 'missing or unreadable signature header');
      if (!signatureMatches(parsed, request.rawBody, secrets)) return reject('forged', 'signature does not match any active secret');
      // Checked after the MAC: only a genuine timestamp is worth calling stale (and counting as such).
      if (Math.abs(nowMs / 1000 - parsed.timestamp) > tolerance) return reject('stale', `signed timestamp outside the ${tolerance} s window`);
      return parseBrightlineDelivery(request.rawBody, headerValue(request.headers, DELIVERY_HEADER));
    },
  };
}
