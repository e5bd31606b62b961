/**
 * Fuzz test of the Brightline mapping (issue 14): payloads generated from its zod wire schema (wire.ts, written from
 * docs/suppliers/brightline-rest.md), with values across what JSON carries and past it, go through the wire schema
 * and the mapping as the connector sends them; then each hostile value (100,000-digit prices, 1e300, NaN text, deep
 * nesting, megabyte text) is put at each field of the recorded answers. Every call must return figures within our
 * ranges or throw a CONTRACT_VIOLATION (the wire schema's refusal is the JSON client's CONTRACT_VIOLATION), within
 * MAX_MAPPING_CALL_MS. Fixed seed, bounded runs.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fuzzSettings,
  anyInteger,
  callMapping,
  dateText,
  decimalText,
  expectCatalogItemInRange,
  expectOrderStatusInRange,
  expectStockInRange,
  hostileNumber,
  sweepMutations,
  viaSchema,
} from '../../../test/support/mapping-fuzz.ts';
import { zodArbitrary } from '../../../test/support/zod-arbitrary.ts';
import { toCatalogPage, toOrderAck, toOrderStatus, toSupplierStocks } from './mapping.ts';
import { AvailabilityResponse, CatalogResponse, Order } from './wire.ts';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../test/fixtures/brightline/${name}`, import.meta.url), 'utf8'));
const settings = fuzzSettings(1000);

const windowDates = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
/** Plausible values for named fields, so most payloads pass the wire schema and reach the mapping. */
const hints = {
  timestamp: fc.oneof({ weight: 6, arbitrary: windowDates }, { weight: 1, arbitrary: dateText() }),
  lastUpdated: fc.oneof({ weight: 6, arbitrary: windowDates }, { weight: 1, arbitrary: dateText() }),
  createdAt: windowDates,
  updatedAt: fc.oneof({ weight: 6, arbitrary: windowDates }, { weight: 1, arbitrary: dateText() }),
  shippedAt: fc.oneof({ weight: 6, arbitrary: windowDates }, { weight: 1, arbitrary: dateText() }),
  unitPrice: fc.oneof(
    fc.integer({ min: 0, max: 1_000_000 }).map((n) => (n / 100).toFixed(2)),
    fc.double({ min: 0, max: 1e6, noNaN: true }),
    decimalText(),
    hostileNumber(),
  ),
  currency: fc.constantFrom('USD', 'CAD', 'EUR', 'usd', ''),
  factoryLeadTimeWeeks: fc.oneof(fc.nat(60), fc.double({ min: 0, max: 100, noNaN: true }), anyInteger()),
  quantityAvailable: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: -10, max: 100_000 }) }, { weight: 1, arbitrary: anyInteger() }),
};

/** What the connector does with a 2xx body: the wire schema (the JSON client), then the mapping. */
function availability(payload: unknown) {
  const response = viaSchema(AvailabilityResponse, payload);
  // Every part number the answer names counts as asked for, so every result reaches the mapping.
  return response ? toSupplierStocks(response, new Set(response.results.map((r) => r.partNumber))) : [];
}
const catalog = (payload: unknown) => {
  const response = viaSchema(CatalogResponse, payload);
  return response ? toCatalogPage(response) : null;
};
const order = (payload: unknown) => {
  const response = viaSchema(Order, payload);
  return response ? { status: toOrderStatus(response), ack: toOrderAck(response, false) } : null;
};

describe('brightline mapping fuzz (payloads from the zod wire schema, plus hostile values)', () => {
  it('availability → stock figures within range, or CONTRACT_VIOLATION', { timeout: 60_000 }, () => {
    let mapped = 0;
    fc.assert(
      fc.property(zodArbitrary(AvailabilityResponse, { hints }), (payload) => {
        const outcome = callMapping(() => availability(payload));
        if (outcome.ok) for (const stock of outcome.value) expectStockInRange(stock), mapped++;
      }),
      settings,
    );
    expect(mapped).toBeGreaterThan(0);
  });

  it('catalog pages → bounded items and cursor, or CONTRACT_VIOLATION', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(zodArbitrary(CatalogResponse, { hints }), (payload) => {
        const outcome = callMapping(() => catalog(payload));
        if (outcome.ok && outcome.value) {
          for (const item of outcome.value.items) expectCatalogItemInRange(item);
          expect((outcome.value.nextCursor ?? '').length).toBeLessThanOrEqual(128);
        }
      }),
      settings,
    );
  });

  it('orders → line and shipment figures within range, or CONTRACT_VIOLATION', { timeout: 60_000 }, () => {
    let mapped = 0;
    fc.assert(
      fc.property(zodArbitrary(Order, { hints }), (payload) => {
        const outcome = callMapping(() => order(payload));
        if (outcome.ok && outcome.value) {
          expectOrderStatusInRange(outcome.value.status);
          expect(outcome.value.ack.supplierOrderId.length).toBeLessThanOrEqual(128);
          mapped++;
        }
      }),
      settings,
    );
    expect(mapped).toBeGreaterThan(0);
  });
});

describe('brightline mapping: one hostile value at each field of a recorded answer', () => {
  it.each([
    ['availability.json', availability],
    ['catalog-page.json', catalog],
    ['order-shipped.json', order],
    ['order-partially-shipped.json', order],
  ] as const)('%s: no exception but CONTRACT_VIOLATION, no call over the bound', { timeout: 60_000 }, (name, map) => {
    expect(sweepMutations([fixture(name)], map)).toBeGreaterThan(100);
  });
});
