/**
 * Fuzz test of the maplecart mapping (issue 14): `data` answers generated from its GraphQL SDL (the sandbox's trimmed
 * Shopify Admin schema) for the very documents the connector sends, with values across what each type allows and past
 * it, go through the documents' zod shapes and the mapping as the connector does; then each hostile value (100,000-
 * digit prices, 1e300, NaN text, deep nesting, megabyte text) is put at each field of the recorded answers. Every
 * call must return figures within our ranges or throw a CONTRACT_VIOLATION (a shape mismatch is the GraphQL client's
 * CONTRACT_VIOLATION), within MAX_MAPPING_CALL_MS. Fixed seed, bounded runs.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAPLECART_SDL } from '../../../sandboxes/graphql/schema-sdl.ts';
import { graphqlDataArbitrary } from '../../../test/support/graphql-arbitrary.ts';
import {
  callMapping,
  decimalText,
  expectCatalogItemInRange,
  expectOrderStatusInRange,
  expectStockInRange,
  fuzzSettings,
  sweepMutations,
  viaSchema,
} from '../../../test/support/mapping-fuzz.ts';
import { CATALOG_QUERY, ORDER_BY_ID_QUERY, STOCK_QUERY, catalogDataSchema, orderByIdDataSchema, stockDataSchema } from './documents.ts';
import { INVENTORY_ITEM_SKUS_QUERY, inventoryItemSkusDataSchema, numericIdOf, skusOfItems } from './inventory-items.ts';
import { mapCatalogItem, mapOrderStatus, mapStock } from './mapping.ts';

const data = (name: string): unknown =>
  (JSON.parse(readFileSync(new URL(`../../../test/fixtures/maplecart/${name}`, import.meta.url), 'utf8')) as { data: unknown }).data;
const settings = fuzzSettings(1000);
const READ_AT = '2026-06-01T00:00:00.000Z';

/** Plausible values for named fields, so most answers pass the documents' shapes and reach the mapping. */
const hints = {
  sku: fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'), minLength: 1, maxLength: 30 }),
  amount: fc.oneof(fc.integer({ min: 0, max: 1_000_000 }).map((n) => (n / 100).toFixed(2)), decimalText()),
  currencyCode: fc.constantFrom('CAD', 'USD', 'cad', 'CADX'),
  inventoryQuantity: fc.oneof(fc.integer({ min: -50, max: 100_000 }), fc.constant(null)),
};
const answers = (document: string) => graphqlDataArbitrary(MAPLECART_SDL, document, { hints });

/** What the connector does with a stock answer: the shape, then each variant's figure. */
function stock(payload: unknown) {
  const parsed = viaSchema(stockDataSchema, payload);
  if (!parsed) return [];
  const archivedSkus = new Set(parsed.archived.nodes.flatMap((n) => (n.sku ? [n.sku] : [])));
  return parsed.productVariants.nodes.flatMap((variant, i) => mapStock(variant, { readAt: READ_AT, archivedSkus }, `productVariants.nodes[${i}]`) ?? []);
}
const catalog = (payload: unknown) => viaSchema(catalogDataSchema, payload)?.productVariants.nodes.flatMap((v, i) => mapCatalogItem(v, i) ?? []) ?? [];
const order = (payload: unknown) => {
  const found = viaSchema(orderByIdDataSchema, payload)?.order;
  return found ? mapOrderStatus(found) : null;
};
function inventoryItems(payload: unknown) {
  const parsed = viaSchema(inventoryItemSkusDataSchema, payload);
  if (!parsed) return new Map<string, string>();
  // Every id the answer names counts as asked for, so every node reaches the mapping.
  return skusOfItems(parsed, new Set(parsed.productVariants.nodes.flatMap((n) => numericIdOf(n.inventoryItem.id) ?? [])));
}

describe('maplecart mapping fuzz (answers from the GraphQL SDL, plus hostile values)', () => {
  it('stock reads → figures within range, or CONTRACT_VIOLATION', { timeout: 60_000 }, () => {
    let mapped = 0;
    fc.assert(
      fc.property(answers(STOCK_QUERY), (payload) => {
        const outcome = callMapping(() => stock(payload));
        if (outcome.ok) for (const figure of outcome.value) expectStockInRange(figure), mapped++;
      }),
      settings,
    );
    expect(mapped).toBeGreaterThan(0);
  });

  it('catalog pages → bounded items, or CONTRACT_VIOLATION', { timeout: 60_000 }, () => {
    let mapped = 0;
    fc.assert(
      fc.property(answers(CATALOG_QUERY), (payload) => {
        const outcome = callMapping(() => catalog(payload));
        if (outcome.ok) for (const item of outcome.value) expectCatalogItemInRange(item), mapped++;
      }),
      settings,
    );
    expect(mapped).toBeGreaterThan(0);
  });

  it('orders → line and shipment figures within range, or CONTRACT_VIOLATION', { timeout: 60_000 }, () => {
    let mapped = 0;
    fc.assert(
      fc.property(answers(ORDER_BY_ID_QUERY), (payload) => {
        const outcome = callMapping(() => order(payload));
        if (outcome.ok && outcome.value) {
          expectOrderStatusInRange(outcome.value);
          expect(outcome.value.supplierOrderId.length).toBeLessThanOrEqual(128);
          mapped++;
        }
      }),
      settings,
    );
    expect(mapped).toBeGreaterThan(0);
  });

  it('inventory item lookups → bounded SKUs, or CONTRACT_VIOLATION', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(answers(INVENTORY_ITEM_SKUS_QUERY), (payload) => {
        const outcome = callMapping(() => inventoryItems(payload));
        if (outcome.ok) for (const [id, sku] of outcome.value) expect(id.length + sku.length).toBeLessThanOrEqual(256);
      }),
      settings,
    );
  });
});

describe('maplecart mapping: one hostile value at each field of a recorded answer', () => {
  it.each([
    ['stock.response.json', stock],
    ['catalog-page.response.json', catalog],
    ['order-partially-fulfilled.response.json', order],
    ['order-delivered.response.json', order],
  ] as const)('%s: no exception but CONTRACT_VIOLATION, no call over the bound', { timeout: 60_000 }, (name, map) => {
    expect(sweepMutations([data(name)], map)).toBeGreaterThan(100);
  });
});
