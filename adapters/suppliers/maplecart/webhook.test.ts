import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../../core/webhook.ts';
import { createMaplecartWebhookScheme, HMAC_HEADER, TOPIC_HEADER, WEBHOOK_ID_HEADER } from './webhook.ts';

interface Recorded {
  secret: string;
  headers: Record<string, string>;
  rawBody: string;
}

const recorded = JSON.parse(readFileSync(new URL('../../../test/fixtures/maplecart/webhook-inventory-levels-update.json', import.meta.url), 'utf8')) as Recorded;
const scheme = createMaplecartWebhookScheme();
const NOW = Date.parse('2026-01-01T00:00:00Z'); // the scheme signs no timestamp: the clock must not matter
const hmac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64');
const request = (body: string, headers: Record<string, string> = {}): WebhookRequest => ({
  headers: { ...recorded.headers, [HMAC_HEADER]: hmac(recorded.secret, body), ...headers },
  rawBody: Buffer.from(body, 'utf8'),
});

describe('maplecart webhook scheme on a recorded delivery', () => {
  it('verifies the recorded inventory_levels/update and maps it to a "changed" signal for its inventory item', () => {
    const verdict = scheme.read({ headers: recorded.headers, rawBody: Buffer.from(recorded.rawBody) }, [recorded.secret], NOW);
    expect(verdict).toEqual({
      ok: true,
      deliveryId: recorded.headers[WEBHOOK_ID_HEADER],
      topic: 'inventory_levels/update',
      aboutStock: true,
      signals: [{ kind: 'changed', itemRef: '46100000004', asOf: JSON.parse(recorded.rawBody).updated_at }],
    });
  });

  it('accepts any active secret during a rotation', () => {
    expect(scheme.read({ headers: recorded.headers, rawBody: Buffer.from(recorded.rawBody) }, ['shpss_new', recorded.secret], NOW).ok).toBe(true);
  });

  it('refuses as forged: another secret, one changed byte, a missing or non-base64 or truncated HMAC', () => {
    const raw = Buffer.from(recorded.rawBody);
    expect(scheme.read({ headers: recorded.headers, rawBody: raw }, ['other'], NOW)).toMatchObject({ ok: false, rejection: 'forged' });
    expect(scheme.read({ headers: recorded.headers, rawBody: Buffer.from(recorded.rawBody.replace('"available":42', '"available":43')) }, [recorded.secret], NOW)).toMatchObject({ rejection: 'forged' });
    for (const bad of ['', 'not base64!', recorded.headers[HMAC_HEADER]!.slice(0, 20)]) {
      expect(scheme.read({ headers: { ...recorded.headers, [HMAC_HEADER]: bad }, rawBody: raw }, [recorded.secret], NOW)).toMatchObject({ rejection: 'forged' });
    }
  });

  it('maps the recorded orders/updated and fulfillments/create to order signals naming the order by its GraphQL id', () => {
    for (const name of ['webhook-orders-updated.json', 'webhook-fulfillments-create.json']) {
      const delivery = JSON.parse(readFileSync(new URL(`../../../test/fixtures/maplecart/${name}`, import.meta.url), 'utf8')) as Recorded & { supplierOrderId: string };
      const verdict = scheme.read({ headers: delivery.headers, rawBody: Buffer.from(delivery.rawBody) }, [delivery.secret], NOW);
      const isOrder = delivery.headers[TOPIC_HEADER] === 'orders/updated';
      expect(verdict, name).toEqual({
        ok: true,
        deliveryId: delivery.headers[WEBHOOK_ID_HEADER],
        topic: delivery.headers[TOPIC_HEADER],
        aboutStock: false,
        signals: [],
        // The order payload carries our sub-order key as source identifier; a fulfilment only the order id.
        orderSignals: [{ supplierOrderId: delivery.supplierOrderId, reference: isOrder ? 'o0123456789ab-maplecart' : null }],
      });
    }
  });

  it('order topics without an order id are malformed; other topics are acknowledged without signals', () => {
    expect(scheme.read(request('{"id": 5900000001, "name": "#1001"}', { [TOPIC_HEADER]: 'orders/updated' }), [recorded.secret], NOW)).toMatchObject({
      ok: true,
      orderSignals: [{ supplierOrderId: 'gid://shopify/Order/5900000001', reference: null }],
    });
    expect(scheme.read(request('{"name": "#1001"}', { [TOPIC_HEADER]: 'orders/updated' }), [recorded.secret], NOW)).toMatchObject({ ok: false, rejection: 'malformed' });
    expect(scheme.read(request('{"id": 1, "order_id": "x"}', { [TOPIC_HEADER]: 'fulfillments/create' }), [recorded.secret], NOW)).toMatchObject({ ok: false, rejection: 'malformed' });
    expect(scheme.read(request('{"id": 7}', { [TOPIC_HEADER]: 'products/update' }), [recorded.secret], NOW)).toEqual({
      ok: true,
      deliveryId: recorded.headers[WEBHOOK_ID_HEADER],
      topic: 'products/update',
      aboutStock: false,
      signals: [],
    });
  });

  it('refuses as malformed a signed body that is not JSON or not an inventory level, or a delivery without an id', () => {
    expect(scheme.read(request('{"inventory_item_id": 4'), [recorded.secret], NOW)).toMatchObject({ rejection: 'malformed' });
    expect(scheme.read(request('{"location_id": 1, "available": 3, "updated_at": "2026-01-01T00:00:00Z"}'), [recorded.secret], NOW)).toMatchObject({ rejection: 'malformed' });
    expect(scheme.read(request(recorded.rawBody, { [WEBHOOK_ID_HEADER]: '' }), [recorded.secret], NOW)).toMatchObject({ rejection: 'malformed' });
  });
});
