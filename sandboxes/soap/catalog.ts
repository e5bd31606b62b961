/**
 * harborpromo's catalog in PromoStandards shape. Each carried universe product is one style (productId
 * "HP-<style>") with one part (partId "HP<style>-<COL>-<size>"): the part is the SKU a distributor orders and the
 * unit of stock. Stock lives in three warehouses; prices come in quantity breaks, as promo suppliers quote them.
 */
import { CARRIES, UNIVERSE, initialStock, type UniverseProduct } from '../shared/product-universe.ts';

export const SUPPLIER_SEED = 2;

export interface Warehouse {
  readonly id: string;
  readonly name: string;
  readonly postalCode: string;
  /** Share of a part's stock held here, in percent; the last warehouse takes the remainder. */
  readonly sharePct: number;
}

export const WAREHOUSES: readonly Warehouse[] = [
  { id: 'RNO', name: 'Reno, NV', postalCode: '89502', sharePct: 50 },
  { id: 'ATL', name: 'Atlanta, GA', postalCode: '30336', sharePct: 30 },
  { id: 'ALN', name: 'Allentown, PA', postalCode: '18106', sharePct: 20 },
];

export interface PriceBreak {
  readonly quantityMin: number;
  readonly quantityMax: number | null;
  /** Decimal string, e.g. "12.34". */
  readonly price: string;
}

export interface HarborPart {
  readonly productId: string;
  readonly partId: string;
  readonly product: UniverseProduct;
  /** As the supplier publishes it: UPC-A for some parts, GTIN-14 for others (both occur in real feeds). */
  readonly gtin: string;
  /** PromoStandards label size: OS becomes OSFA. */
  readonly labelSize: string;
  readonly prices: readonly PriceBreak[];
  readonly leadTimeDays: number;
}

const cents = (value: number): string => `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')}`;

function toPart(p: UniverseProduct): HarborPart {
  const style = 1000 + p.index;
  const size = p.size === 'OS' ? 'OSFA' : p.size;
  const unit = Math.round(p.baseCostCents * 1.07);
  return {
    productId: `HP-${style}`,
    partId: `HP${style}-${p.color.replace(/[^A-Za-z]/g, '').slice(0, 3).toUpperCase()}-${p.size}`,
    product: p,
    gtin: p.index % 2 === 0 ? p.upc12 : p.gtin14,
    labelSize: size,
    prices: [
      { quantityMin: 1, quantityMax: 71, price: cents(unit) },
      { quantityMin: 72, quantityMax: 287, price: cents(Math.round(unit * 0.92)) },
      { quantityMin: 288, quantityMax: null, price: cents(Math.round(unit * 0.85)) },
    ],
    leadTimeDays: 3 + (p.index % 5),
  };
}

export const HARBOR_PARTS: readonly HarborPart[] = UNIVERSE.filter(CARRIES.soap).map(toPart);

const byPart = new Map(HARBOR_PARTS.map((part) => [part.partId, part]));
const byProduct = new Map(HARBOR_PARTS.map((part) => [part.productId, part]));

export const partById = (partId: string): HarborPart | undefined => byPart.get(partId);
export const partsOfProduct = (productId: string): HarborPart[] => {
  const part = byProduct.get(productId);
  return part ? [part] : [];
};

/** Splits a total over the warehouses by their shares; the parts always add up to the total. */
export function splitStock(total: number): number[] {
  const out: number[] = [];
  let left = total;
  WAREHOUSES.forEach((w, i) => {
    const q = i === WAREHOUSES.length - 1 ? left : Math.floor((total * w.sharePct) / 100);
    out.push(q);
    left -= q;
  });
  return out;
}

export const initialStockOf = (part: HarborPart): number => initialStock(SUPPLIER_SEED, part.product);
