/**
 * Brightline's item master and stock book: the universe products it carries, under its own item numbers,
 * with stock split across warehouses and USD price tiers with four decimals, as distributors quote them.
 * Pure state, no HTTP: the server and the order book both work on it.
 */
import { CARRIES, UNIVERSE, initialStock, type UniverseProduct } from '../shared/product-universe.ts';

/** Warehouses in allocation order: an order draws from the first before the next. */
export const WAREHOUSES = ['DAL', 'RNO', 'ALB'] as const;
export type WarehouseCode = (typeof WAREHOUSES)[number];

export type AvailabilityStatus = 'IN_STOCK' | 'LIMITED_STOCK' | 'BACKORDER' | 'OUT_OF_STOCK' | 'END_OF_LIFE';

export interface BrightlineItem {
  readonly itemNumber: string;
  readonly product: UniverseProduct;
  /** As Brightline's item master holds it: some UPCs lost their leading zero in a spreadsheet, some are missing. */
  readonly upc: string | null;
  readonly lifecycle: 'ACTIVE' | 'END_OF_LIFE';
  /** Weeks the factory needs to restock; null for end-of-life items, which are never restocked. */
  readonly factoryLeadTimeWeeks: number | null;
  /** Unit price tiers in ten-thousandths of a dollar (integers: no float ever holds a price here). */
  tiers: readonly { readonly minQuantity: number; readonly unitPrice4: number }[];
  /** Units on hand per warehouse that stocks the item. */
  readonly stock: Map<WarehouseCode, number>;
  updatedAt: string;
}

/** Item numbers are "BL-" plus six digits, unrelated to any other supplier's SKU or to the GTIN. */
export const itemNumberFor = (product: UniverseProduct): string => `BL-${String(310_000 + product.index * 7).padStart(6, '0')}`;

/** Splits a total over warehouses with weights 3:2:1, remainder to the first, so totals stay exact. */
export function splitAcrossWarehouses(total: number, codes: readonly WarehouseCode[]): Map<WarehouseCode, number> {
  const weights = [3, 2, 1].slice(0, codes.length);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const shares = codes.map((_, i) => Math.floor((total * weights[i]!) / weightSum));
  shares[0]! += total - shares.reduce((a, b) => a + b, 0);
  return new Map(codes.map((code, i) => [code, shares[i]!]));
}

export const formatPrice4 = (unitPrice4: number): string => `${Math.floor(unitPrice4 / 10_000)}.${String(unitPrice4 % 10_000).padStart(4, '0')}`;

function buildItem(product: UniverseProduct, now: string): BrightlineItem {
  const i = product.index;
  const endOfLife = i % 37 === 36;
  const upc = i % 29 === 28 ? null : i % 5 === 0 ? product.upc12.replace(/^0/, '') : product.upc12;
  // Brightline marks up 12% on the reference cost; 5% off from 10 units, 10% off from 100.
  const list = product.baseCostCents * 112;
  const codes = i % 3 === 0 ? WAREHOUSES : WAREHOUSES.slice(0, 2);
  return {
    itemNumber: itemNumberFor(product),
    product,
    upc,
    lifecycle: endOfLife ? 'END_OF_LIFE' : 'ACTIVE',
    factoryLeadTimeWeeks: endOfLife ? null : 1 + (i % 8),
    tiers: [
      { minQuantity: 1, unitPrice4: list },
      { minQuantity: 10, unitPrice4: Math.round((list * 95) / 100) },
      { minQuantity: 100, unitPrice4: Math.round((list * 90) / 100) },
    ],
    stock: splitAcrossWarehouses(initialStock(1, product), codes),
    updatedAt: now,
  };
}

export interface Inventory {
  /** Items in catalog order. */
  readonly items: readonly BrightlineItem[];
  get(itemNumber: string): BrightlineItem | undefined;
  available(item: BrightlineItem): number;
  status(item: BrightlineItem): AvailabilityStatus;
  /** Sets the total on hand, re-split across the item's warehouses. */
  setAvailable(item: BrightlineItem, total: number): void;
  /** A price change: the list price (1 unit, 4 decimals) with the same volume breaks below it. */
  setListPrice(item: BrightlineItem, unitPrice4: number): void;
  /** Takes up to `quantity` units, warehouse by warehouse; returns how many it took. */
  allocate(item: BrightlineItem, quantity: number): number;
  /** Puts units back into the first warehouse (returns to stock go to the main DC). */
  release(item: BrightlineItem, quantity: number): void;
}

const LOW_STOCK_BELOW = 25;

export function createInventory(clock: () => Date = () => new Date()): Inventory {
  const started = clock().toISOString();
  const items = UNIVERSE.filter(CARRIES.rest).map((p) => buildItem(p, started));
  const byNumber = new Map(items.map((item) => [item.itemNumber, item]));
  const touch = (item: BrightlineItem) => {
    item.updatedAt = clock().toISOString();
  };
  const available = (item: BrightlineItem) => [...item.stock.values()].reduce((a, b) => a + b, 0);
  return {
    items,
    get: (itemNumber) => byNumber.get(itemNumber),
    available,
    setListPrice(item, unitPrice4) {
      item.tiers = [
        { minQuantity: 1, unitPrice4 },
        { minQuantity: 10, unitPrice4: Math.round((unitPrice4 * 95) / 100) },
        { minQuantity: 100, unitPrice4: Math.round((unitPrice4 * 90) / 100) },
      ];
      touch(item);
    },
    status(item) {
      if (item.lifecycle === 'END_OF_LIFE') return 'END_OF_LIFE';
      const units = available(item);
      if (units >= LOW_STOCK_BELOW) return 'IN_STOCK';
      if (units > 0) return 'LIMITED_STOCK';
      return item.factoryLeadTimeWeeks === null ? 'OUT_OF_STOCK' : 'BACKORDER';
    },
    setAvailable(item, total) {
      const split = splitAcrossWarehouses(Math.max(0, Math.floor(total)), [...item.stock.keys()]);
      for (const [code, units] of split) item.stock.set(code, units);
      touch(item);
    },
    allocate(item, quantity) {
      let taken = 0;
      for (const [code, units] of item.stock) {
        const take = Math.min(units, quantity - taken);
        item.stock.set(code, units - take);
        taken += take;
      }
      if (taken > 0) touch(item);
      return taken;
    },
    release(item, quantity) {
      if (quantity <= 0) return;
      const first = [...item.stock.keys()][0]!;
      item.stock.set(first, item.stock.get(first)! + quantity);
      touch(item);
    },
  };
}
