import { describe, expect, it } from 'vitest';
import { eventMatches, readEvent } from './events.ts';
import { loadSubscriptionManifests } from './subscription-manifest.ts';

// The committed manifests of the owning subgraphs: these are their events' shapes and filters.
const entries = new Map(loadSubscriptionManifests().flatMap((m) => m.subscriptions.map((e) => [e.field, e] as const)));
const STOCK = entries.get('stockChanged')!;
const ORDER = entries.get('orderStatusChanged')!;

const event = (over: Record<string, unknown> = {}) => ({ sku: 'DS-1', supplier: 'brightline', oldAvailable: 5, newAvailable: 3, version: 2, source: 'WEBHOOK', at: '2025-01-01T00:00:00Z', ...over });
const anyone = { tenant: 'acme', suppliers: undefined };
const stockMatches = (over: Record<string, unknown>, args: Record<string, unknown>, suppliers?: string[]) =>
  eventMatches(STOCK, readEvent(STOCK, event(over))!.fields, args, { tenant: 'acme', suppliers });

describe('stock filters (inventory manifest)', () => {
  it('keeps only listed skus and suppliers, and suppliers a partner token is limited to', () => {
    expect(stockMatches({}, { skus: ['DS-1'] })).toBe(true);
    expect(stockMatches({}, { skus: ['DS-2'] })).toBe(false);
    expect(stockMatches({}, { suppliers: ['maplecart'] })).toBe(false);
    expect(stockMatches({}, {}, ['maplecart'])).toBe(false);
    expect(stockMatches({}, {}, ['brightline'])).toBe(true);
  });

  it('minChange counts a first figure from zero', () => {
    expect(stockMatches({ oldAvailable: 5, newAvailable: 3 }, { minChange: 3 })).toBe(false);
    expect(stockMatches({ oldAvailable: 5, newAvailable: 2 }, { minChange: 3 })).toBe(true);
    expect(stockMatches({ oldAvailable: null, newAvailable: 4 }, { minChange: 4 })).toBe(true);
  });

  it('crossingZero keeps changes into and out of zero only', () => {
    expect(stockMatches({ oldAvailable: 5, newAvailable: 3 }, { crossingZero: true })).toBe(false);
    expect(stockMatches({ oldAvailable: 3, newAvailable: 0 }, { crossingZero: true })).toBe(true);
    expect(stockMatches({ oldAvailable: 0, newAvailable: 1 }, { crossingZero: true })).toBe(true);
    expect(stockMatches({ oldAvailable: null, newAvailable: 0 }, { crossingZero: true })).toBe(false);
  });

  it('a snapshot row passes only the filters of what is watched, not those of what changed', () => {
    const row = readEvent(STOCK, event({ oldAvailable: null, newAvailable: 7 }))!.fields;
    expect(eventMatches(STOCK, row, { minChange: 100, crossingZero: true }, anyone, true)).toBe(true);
    expect(eventMatches(STOCK, row, { suppliers: ['maplecart'] }, anyone, true)).toBe(false);
  });
});

describe('event payloads from the bus', () => {
  it('reads stock.changed and refuses other shapes', () => {
    const read = readEvent(STOCK, { ...event(), source: 'poll' })!;
    expect(read.fields).toMatchObject({ source: 'POLL' });
    expect(read).toMatchObject({ entityKey: 'DS-1', coalesceKey: 'DS-1|brightline', version: 2 });
    expect(readEvent(STOCK, { ...event(), newAvailable: '3' })).toBeNull();
    expect(readEvent(STOCK, null)).toBeNull();
  });

  it('reads order.status_changed with upper-case statuses, and matches only the tenant (and order) asked for', () => {
    const order = readEvent(ORDER, { tenant: 'acme', orderId: 'o-1', status: 'shipped', version: 1735689600000, at: '2025-01-01T00:00:00Z' })!;
    expect(order.fields).toMatchObject({ status: 'SHIPPED', previousStatus: null, version: 1735689600000, snapshot: false });
    expect(order.version).toBe(1735689600000);
    const matches = (tenant: string, orderId: string | null) => eventMatches(ORDER, order.fields, { orderId }, { tenant, suppliers: undefined });
    expect(matches('acme', null)).toBe(true);
    expect(matches('acme', 'o-2')).toBe(false);
    expect(matches('rival', null)).toBe(false);
    expect(readEvent(ORDER, { orderId: 'o-1', status: 'shipped', version: 1, at: 'x' })).toBeNull();
    expect(readEvent(ORDER, { tenant: 'acme', orderId: 'o-1', status: 'shipped', at: 'x' })).toBeNull(); // no version
  });
});
