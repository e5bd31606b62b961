import { describe, expect, it } from 'vitest';
import { orderEventMatches, readOrderEvent, readStockEvent, stockEventMatches, type StockEvent } from './events.ts';

const event = (over: Partial<StockEvent> = {}): StockEvent => ({ sku: 'DS-1', supplier: 'brightline', oldAvailable: 5, newAvailable: 3, version: 2, source: 'WEBHOOK', at: '2025-01-01T00:00:00Z', ...over });

describe('stock filters', () => {
  it('keeps only listed skus and suppliers, and suppliers a partner token is limited to', () => {
    expect(stockEventMatches(event(), { skus: ['DS-1'] }, undefined)).toBe(true);
    expect(stockEventMatches(event(), { skus: ['DS-2'] }, undefined)).toBe(false);
    expect(stockEventMatches(event(), { suppliers: ['maplecart'] }, undefined)).toBe(false);
    expect(stockEventMatches(event(), {}, ['maplecart'])).toBe(false);
    expect(stockEventMatches(event(), {}, ['brightline'])).toBe(true);
  });

  it('minChange counts a first figure from zero', () => {
    expect(stockEventMatches(event({ oldAvailable: 5, newAvailable: 3 }), { minChange: 3 }, undefined)).toBe(false);
    expect(stockEventMatches(event({ oldAvailable: 5, newAvailable: 2 }), { minChange: 3 }, undefined)).toBe(true);
    expect(stockEventMatches(event({ oldAvailable: null, newAvailable: 4 }), { minChange: 4 }, undefined)).toBe(true);
  });

  it('crossingZero keeps changes into and out of zero only', () => {
    expect(stockEventMatches(event({ oldAvailable: 5, newAvailable: 3 }), { crossingZero: true }, undefined)).toBe(false);
    expect(stockEventMatches(event({ oldAvailable: 3, newAvailable: 0 }), { crossingZero: true }, undefined)).toBe(true);
    expect(stockEventMatches(event({ oldAvailable: 0, newAvailable: 1 }), { crossingZero: true }, undefined)).toBe(true);
    expect(stockEventMatches(event({ oldAvailable: null, newAvailable: 0 }), { crossingZero: true }, undefined)).toBe(false);
  });
});

describe('event payloads from the bus', () => {
  it('reads stock.changed and refuses other shapes', () => {
    expect(readStockEvent({ ...event(), source: 'poll' })).toMatchObject({ source: 'POLL' });
    expect(readStockEvent({ ...event(), newAvailable: '3' })).toBeNull();
    expect(readStockEvent(null)).toBeNull();
  });

  it('reads order.status_changed with upper-case statuses, and matches only the tenant (and order) asked for', () => {
    const order = readOrderEvent({ tenant: 'acme', orderId: 'o-1', status: 'shipped', version: 1735689600000, at: '2025-01-01T00:00:00Z' })!;
    expect(order).toMatchObject({ status: 'SHIPPED', previousStatus: null, version: 1735689600000 });
    expect(orderEventMatches(order, 'acme', null)).toBe(true);
    expect(orderEventMatches(order, 'acme', 'o-2')).toBe(false);
    expect(orderEventMatches(order, 'rival', null)).toBe(false);
    expect(readOrderEvent({ orderId: 'o-1', status: 'shipped', version: 1, at: 'x' })).toBeNull();
    expect(readOrderEvent({ tenant: 'acme', orderId: 'o-1', status: 'shipped', at: 'x' })).toBeNull(); // no version
  });
});
