/**
 * maplecart's own copy of the shared product universe: Shopify-shaped products, variants, inventory items and
 * per-location inventory levels. Numeric ids like Shopify's REST ids; the GraphQL layer wraps them in gids.
 */
import { CARRIES, UNIVERSE, initialStock, seededRandom, type UniverseProduct } from '../shared/product-universe.ts';

export interface SandboxLocation {
  readonly id: number;
  readonly name: string;
}

export interface SandboxLevel {
  readonly locationId: number;
  /** Sellable units; may go negative for variants that keep selling when out of stock, as in Shopify. */
  available: number;
  /** Units promised to open orders, not yet shipped. */
  committed: number;
  updatedAt: string;
}

export interface SandboxProduct {
  readonly id: number;
  readonly handle: string;
  readonly title: string;
  readonly vendor: string;
  readonly productType: string;
  readonly status: 'ACTIVE' | 'ARCHIVED' | 'DRAFT';
  readonly description: string;
  readonly manufacturer: string;
  /** The product photo, or null for products listed without one. */
  readonly featuredImageUrl: string | null;
}

export interface SandboxVariant {
  readonly id: number;
  readonly inventoryItemId: number;
  readonly product: SandboxProduct;
  readonly sku: string;
  /** EAN-13, as Canadian shops print it: the UPC-A with a leading zero. */
  readonly barcode: string;
  readonly title: string;
  readonly priceCents: number;
  /** What the shop pays (InventoryItem.unitCost); changed by the sandbox's `setUnitCost`, silently. */
  unitCostCents: number;
  readonly inventoryPolicy: 'DENY' | 'CONTINUE';
  readonly mpn: string;
  /** Shopify's selected options: Color, and Size for apparel. */
  readonly selectedOptions: readonly { readonly name: string; readonly value: string }[];
  /** The variant's own photo, or null. */
  readonly imageUrl: string | null;
  readonly levels: SandboxLevel[];
  updatedAt: string;
}

/** The universe's colours, in a fixed order, to number a style's colours. */
const COLOURS = ['Black', 'White', 'Navy', 'Heather Grey', 'Red', 'Forest Green', 'Royal Blue', 'Sand'];

/** maplecart prices in Canadian dollars, so the gateway meets a second currency. */
export const SHOP_CURRENCY = 'CAD';
export const SHOP_DOMAIN = 'maplecart.myshopify.com';

export const LOCATIONS: readonly SandboxLocation[] = [
  { id: 71_001, name: 'Mississauga DC' },
  { id: 71_002, name: 'Vancouver DC' },
];

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** Lower-case maplecart SKU: "mc-<handle>-<n>", n being the universe index so equal titles stay distinct. */
export const maplecartSku = (p: UniverseProduct): string => `mc-${slug(p.title)}-${p.index}`;

function buildVariant(p: UniverseProduct, seed: number, now: string): SandboxVariant {
  const random = seededRandom(seed * 7_919 + p.index);
  const total = initialStock(seed, p);
  // Split each item over two warehouses so "available" has to be summed by the reader.
  const primary = Math.ceil(total * 0.6);
  const unitCostCents = Math.round(p.baseCostCents * 1.37 * (0.95 + random() * 0.1));
  // One Shopify product per style (manufacturer and category, as at the other suppliers) and colour: its variants
  // are the sizes, as many shops list apparel. Status stays per variant's copy (pinned by tests from the days of one
  // product per variant: which SKUs are archived).
  const colourIndex = COLOURS.indexOf(p.color);
  const productId = 7_100_000_000 + (p.index % 64) * 100 + colourIndex;
  const product: SandboxProduct = {
    id: productId,
    handle: `${slug(p.title.replace(/, [^,]+$/, ''))}-${productId - 7_100_000_000}`,
    // The universe title carries the size; in Shopify the size is the variant's option, not the product's.
    title: p.size === 'OS' ? p.title : p.title.replace(/, [^,]+$/, ''),
    vendor: p.brand,
    productType: p.category,
    status: p.index % 41 === 40 ? 'ARCHIVED' : 'ACTIVE',
    description: `${p.brand} ${p.category.toLowerCase()} in ${p.color.toLowerCase()}${p.size === 'OS' ? '' : `, size ${p.size}`}.`,
    manufacturer: p.manufacturer,
    featuredImageUrl: p.index % 64 % 7 === 6 ? null : `https://cdn.maplecart.example/products/${productId}.jpg`,
  };
  return {
    id: 44_100_000_000 + p.index,
    inventoryItemId: 46_100_000_000 + p.index,
    product,
    sku: maplecartSku(p),
    barcode: `0${p.upc12}`,
    title: p.size === 'OS' ? 'Default Title' : p.size,
    priceCents: Math.round(unitCostCents * 1.8),
    unitCostCents,
    inventoryPolicy: p.index % 10 === 5 ? 'CONTINUE' : 'DENY',
    mpn: p.mpn,
    selectedOptions: [{ name: 'Color', value: p.color }, ...(p.size === 'OS' ? [] : [{ name: 'Size', value: p.size }])],
    imageUrl: p.size === 'OS' || p.index % 2 === 1 ? null : `https://cdn.maplecart.example/variants/${44_100_000_000 + p.index}.jpg`,
    levels: [
      { locationId: LOCATIONS[0]!.id, available: primary, committed: 0, updatedAt: now },
      { locationId: LOCATIONS[1]!.id, available: total - primary, committed: 0, updatedAt: now },
    ],
    updatedAt: now,
  };
}

export interface World {
  readonly variants: readonly SandboxVariant[];
  bySku(sku: string): SandboxVariant | undefined;
  byId(id: number): SandboxVariant | undefined;
  byInventoryItemId(id: number): SandboxVariant | undefined;
}

export function createWorld(seed: number): World {
  const now = new Date().toISOString();
  const variants = UNIVERSE.filter(CARRIES.graphql).map((p) => buildVariant(p, seed, now));
  const skuIndex = new Map(variants.map((v) => [v.sku, v]));
  const idIndex = new Map(variants.map((v) => [v.id, v]));
  const itemIndex = new Map(variants.map((v) => [v.inventoryItemId, v]));
  return {
    variants,
    bySku: (sku) => skuIndex.get(sku),
    byId: (id) => idIndex.get(id),
    byInventoryItemId: (id) => itemIndex.get(id),
  };
}

export const totalAvailable = (v: SandboxVariant): number => v.levels.reduce((sum, l) => sum + l.available, 0);

/** Shopify serialises Decimal without trailing zeros beyond one place: 1250 cents → "12.5", 1200 → "12.0". */
export function decimalFromCents(cents: number): string {
  const whole = Math.trunc(cents / 100);
  const fraction = String(Math.abs(cents % 100)).padStart(2, '0').replace(/0$/, '');
  return `${whole}.${fraction === '' ? '0' : fraction}`;
}
