/**
 * The SOAP sandbox's catalog in PromoStandards shape. Like a real promo supplier, one **product** (a style,
 * productId "HP-S<nn>") has several **parts** (one per colour/size, partId "HP<n>-<COL>-<size>"): the part is the
 * SKU a distributor orders and the unit of stock. Universe products of one manufacturer and category form a style.
 * Stock lives in three warehouses; prices come in quantity breaks per product, as promo suppliers quote them.
 *
 * Each sandbox instance builds its own catalog: `catalogSeed` picks which universe products it carries and seeds
 * their stock, so two instances side by side carry different catalogs.
 */
import { CARRIES, UNIVERSE, initialStock, seededRandom, type UniverseProduct } from '../shared/product-universe.ts';

/** Stock seed of the default catalog (kept from the one-part-per-product days: same figures for the same parts). */
export const SUPPLIER_SEED = 2;
/** Universe products whose index is equal modulo this number share a style (same manufacturer and category). */
const STYLE_MODULUS = 64;

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
  /** The part's own list price (the product's price groups are quoted from its first part). */
  readonly prices: readonly PriceBreak[];
  readonly leadTimeDays: number;
}

export interface CatalogOptions {
  /**
   * Which universe products this instance carries, and its stock seed. Unset: the default catalog (every universe
   * product from index 30). A number: a seeded subset (about three in four), so two seeds give two catalogs.
   */
  readonly catalogSeed?: number;
  /** Today's old quirk as an option: every part is its own product (one part per productId). @default false */
  readonly onePartPerProduct?: boolean;
}

export interface HarborCatalog {
  /** Every part, grouped by product (products in productId order, parts in universe order). */
  readonly parts: readonly HarborPart[];
  partById(partId: string): HarborPart | undefined;
  partsOfProduct(productId: string): readonly HarborPart[];
  initialStockOf(part: HarborPart): number;
}

const cents = (value: number): string => `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')}`;

function toPart(p: UniverseProduct, onePartPerProduct: boolean): HarborPart {
  const n = 1000 + p.index;
  const unit = Math.round(p.baseCostCents * 1.07);
  return {
    productId: onePartPerProduct ? `HP-${n}` : `HP-S${String(p.index % STYLE_MODULUS).padStart(2, '0')}`,
    partId: `HP${n}-${p.color.replace(/[^A-Za-z]/g, '').slice(0, 3).toUpperCase()}-${p.size}`,
    product: p,
    gtin: p.index % 2 === 0 ? p.upc12 : p.gtin14,
    labelSize: p.size === 'OS' ? 'OSFA' : p.size,
    prices: [
      { quantityMin: 1, quantityMax: 71, price: cents(unit) },
      { quantityMin: 72, quantityMax: 287, price: cents(Math.round(unit * 0.92)) },
      { quantityMin: 288, quantityMax: null, price: cents(Math.round(unit * 0.85)) },
    ],
    leadTimeDays: 3 + (p.index % 5),
  };
}

export function buildCatalog(options: CatalogOptions = {}): HarborCatalog {
  const seed = options.catalogSeed;
  const carried =
    seed === undefined ? UNIVERSE.filter(CARRIES.soap) : UNIVERSE.filter((p) => seededRandom(seed * 7_919 + p.index * 104_729 + 1)() < 0.75);
  const parts = carried
    .map((p) => toPart(p, options.onePartPerProduct ?? false))
    .sort((a, b) => (a.productId === b.productId ? a.product.index - b.product.index : a.productId < b.productId ? -1 : 1));
  const byPart = new Map(parts.map((part) => [part.partId, part]));
  const byProduct = new Map<string, HarborPart[]>();
  for (const part of parts) byProduct.set(part.productId, [...(byProduct.get(part.productId) ?? []), part]);
  const stockSeed = seed ?? SUPPLIER_SEED;
  return {
    parts,
    partById: (partId) => byPart.get(partId),
    partsOfProduct: (productId) => byProduct.get(productId) ?? [],
    initialStockOf: (part) => initialStock(stockSeed, part.product),
  };
}

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
