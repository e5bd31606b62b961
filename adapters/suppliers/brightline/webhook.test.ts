import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../../core/webhook.ts';
import { createBrightlineWebhookScheme, parseSignatureHeader, SIGNATURE_HEADER } from './webhook.ts';

interface Recorded {
  secret: string;
  headers: Record<string, string>;
  rawBody: string;
}

const fixture = (name: string): Recorded => JSON.parse(readFileSync(new URL(`../../../test/fixtures/brightline/${name}`, import.meta.url), 'utf8')) as Recorded;
const inventory = fixture('webhook-inventory-updated.json');
const order = fixture('webhook-order-status-changed.json');
/** The moment the fixture was signed: its own `t`. */
const signedAt = (r: Recorded): number => Number(/t=(\d+)/.exec(r.headers[SIGNATURE_HEADER]!)![1]) * 1000;
const request = (r: Recorded, overrides: Partial<{ headers: Record<string, string>; rawBody: Buffer }> = {}): WebhookRequest => ({
  headers: overrides.headers ?? r.headers,
  rawBody: overrides.rawBody ?? Buffer.from(r.rawBody, 'utf8'),
});
const sign = (secret: string, t: number, body: string) => `t=${t},v1=${createHmac('sha512', secret).update(`${t}.${body}`).digest('hex')}`;

const scheme = createBrightlineWebhookScheme();

describe('brightline webhook scheme on recorded deliveries', () => {
  it('verifies a recorded inventory.updated delivery and maps it to one stock figure', () => {
    const verdict = scheme.read(request(inventory), [inventory.secret], signedAt(inventory));
    expect(verdict).toEqual({
      ok: true,
      deliveryId: '848e2374-bea6-4058-9f5a-fdd11b1c7277',
      topic: 'inventory.updated',
      aboutStock: true,
      // 72 + 48 units over the two warehouses, stamped with Brightline's own lastUpdated.
      signals: [{ kind: 'figure', supplierSku: 'BL-310035', available: 120, asOf: '2026-11-26T20:33:09.040Z' }],
    });
  });

  it('verifies an order event: not about stock, an order signal naming the supplier order and our key', () => {
    const verdict = scheme.read(request(order), [order.secret], signedAt(order));
    expect(verdict).toEqual({
      ok: true,
      deliveryId: '44613d58-2534-4558-9a9c-2d310f622900',
      topic: 'order.status_changed',
      aboutStock: false,
      signals: [],
      // The status words (PARTIALLY_SHIPPED after BACKORDERED) are not kept: tracking reads the order back.
      orderSignals: [{ supplierOrderId: 'SO4100002', reference: 'PO-FIXTURE-BO' }],
    });
  });

  it('refuses as malformed a signed order event without an order id; other event types carry no signals', () => {
    const t = signedAt(order);
    const body = (data: unknown, type = 'order.status_changed') => JSON.stringify({ id: 'd-1', type, createdAt: '2026-11-26T20:33:09.026Z', data });
    const signed = (raw: string): WebhookRequest => ({ headers: { ...order.headers, [SIGNATURE_HEADER]: sign(order.secret, t / 1000, raw), 'x-brightline-delivery': 'd-1' }, rawBody: Buffer.from(raw) });
    expect(scheme.read(signed(body({ customerOrderNumber: 'PO-1', status: 'SHIPPED' })), [order.secret], t)).toMatchObject({ ok: false, rejection: 'malformed' });
    expect(scheme.read(signed(body({ orderId: 'SO1' })), [order.secret], t)).toMatchObject({ ok: true, orderSignals: [{ supplierOrderId: 'SO1', reference: null }] });
    expect(scheme.read(signed(body({ anything: 1 }, 'account.updated')), [order.secret], t)).toEqual({ ok: true, deliveryId: 'd-1', topic: 'account.updated', aboutStock: false, signals: [] });
  });

  it('accepts any of several active secrets (rotation), in either order', () => {
    const now = signedAt(inventory);
    expect(scheme.read(request(inventory), ['whsec_new_one', inventory.secret], now).ok).toBe(true);
    expect(scheme.read(request(inventory), [inventory.secret, 'whsec_new_one'], now).ok).toBe(true);
  });

  it('accepts a header carrying a signature per secret, as senders do while rotating', () => {
    const t = Math.floor(signedAt(inventory) / 1000);
    const header = `${sign('old-secret', t, inventory.rawBody)},${sign('new-secret', t, inventory.rawBody).split(',')[1]}`;
    const verdict = scheme.read(request(inventory, { headers: { ...inventory.headers, [SIGNATURE_HEADER]: header } }), ['new-secret'], signedAt(inventory));
    expect(verdict.ok).toBe(true);
  });

  it('refuses as forged: a wrong secret, a changed body byte, a missing or garbled header', () => {
    const now = signedAt(inventory);
    const cases: WebhookRequest[] = [
      request(inventory, { rawBody: Buffer.from(inventory.rawBody.replace('"quantityAvailable":72', '"quantityAvailable":73')) }),
      request(inventory, { headers: { ...inventory.headers, [SIGNATURE_HEADER]: '' } }),
      request(inventory, { headers: { ...inventory.headers, [SIGNATURE_HEADER]: 't=1795725189,v1=abc' } }),
      request(inventory, { headers: { ...inventory.headers, [SIGNATURE_HEADER]: inventory.headers[SIGNATURE_HEADER]!.replace(/t=\d+/, 't=1795725190') } }),
    ];
    expect(scheme.read(request(inventory), ['not-the-secret'], now)).toMatchObject({ ok: false, rejection: 'forged' });
    for (const c of cases) expect(scheme.read(c, [inventory.secret], now)).toMatchObject({ ok: false, rejection: 'forged' });
    expect(scheme.read(request(inventory), [], now)).toMatchObject({ ok: false, rejection: 'forged' });
  });

  it('refuses a genuine signature whose timestamp is outside the tolerance, both ways', () => {
    const t = signedAt(inventory);
    expect(scheme.read(request(inventory), [inventory.secret], t + 300_000).ok).toBe(true);
    expect(scheme.read(request(inventory), [inventory.secret], t + 301_000)).toMatchObject({ ok: false, rejection: 'stale' });
    expect(scheme.read(request(inventory), [inventory.secret], t - 301_000)).toMatchObject({ ok: false, rejection: 'stale' });
    expect(createBrightlineWebhookScheme({ toleranceSeconds: 10 }).read(request(inventory), [inventory.secret], t + 11_000)).toMatchObject({ rejection: 'stale' });
  });

  it('refuses as malformed a correctly signed body that is not JSON, not an event, or names another delivery', () => {
    const t = Math.floor(signedAt(inventory) / 1000);
    const signed = (body: string, delivery = inventory.headers['x-brightline-delivery']!) =>
      request(inventory, { rawBody: Buffer.from(body), headers: { ...inventory.headers, [SIGNATURE_HEADER]: sign(inventory.secret, t, body), 'x-brightline-delivery': delivery } });
    const now = signedAt(inventory);
    expect(scheme.read(signed('{"id": "x", '), [inventory.secret], now)).toMatchObject({ ok: false, rejection: 'malformed' });
    expect(scheme.read(signed('[1,2,3]'), [inventory.secret], now)).toMatchObject({ ok: false, rejection: 'malformed' });
    const withoutWarehouses = inventory.rawBody.replace(/"warehouses":\[[^\]]*\],/, '');
    expect(scheme.read(signed(withoutWarehouses), [inventory.secret], now)).toMatchObject({ ok: false, rejection: 'malformed' });
    expect(scheme.read(signed(inventory.rawBody, 'another-delivery'), [inventory.secret], now)).toMatchObject({ ok: false, rejection: 'malformed' });
  });

  it('counts an oversold (negative) warehouse as zero, as the availability API mapping does', () => {
    const t = Math.floor(signedAt(inventory) / 1000);
    const body = inventory.rawBody.replace('"quantityAvailable":48', '"quantityAvailable":-5');
    const verdict = scheme.read(request(inventory, { rawBody: Buffer.from(body), headers: { ...inventory.headers, [SIGNATURE_HEADER]: sign(inventory.secret, t, body) } }), [inventory.secret], signedAt(inventory));
    expect(verdict.ok && verdict.signals[0]).toMatchObject({ available: 72 });
  });

  it('refuses as malformed a signed delivery whose quantities are out of range (1e300, a total past the bound)', () => {
    const t = Math.floor(signedAt(inventory) / 1000);
    for (const figure of ['1e300', '999999999']) {
      const body = inventory.rawBody.replace(/"quantityAvailable":\d+/g, `"quantityAvailable":${figure}`);
      const verdict = scheme.read(request(inventory, { rawBody: Buffer.from(body), headers: { ...inventory.headers, [SIGNATURE_HEADER]: sign(inventory.secret, t, body) } }), [inventory.secret], signedAt(inventory));
      expect(verdict, figure).toMatchObject({ ok: false, rejection: 'malformed' });
    }
  });
});

describe('parseSignatureHeader', () => {
  it('reads t and every v1, ignoring other schemes and junk', () => {
    const v1 = 'ab'.repeat(64);
    expect(parseSignatureHeader(`t=12, v0=zz, v1=${v1},junk`)).toEqual({ timestamp: 12, signatures: [Buffer.from(v1, 'hex')] });
    expect(parseSignatureHeader(`v1=${v1}`)).toBeNull();
    expect(parseSignatureHeader('t=12')).toBeNull();
    expect(parseSignatureHeader(`t=abc,v1=${v1}`)).toBeNull();
  });
});
