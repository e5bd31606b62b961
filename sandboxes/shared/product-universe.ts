/**
 * The simulated world the three supplier sandboxes share: ~200 real-looking products, each with a GTIN and a
 * manufacturer part number. Every sandbox carries an overlapping subset under its own SKU format, so catalog
 * import has to match on GTIN/MPN, never on supplier SKU strings. Deterministic: the same seed gives the same world.
 */

export interface UniverseProduct {
  readonly index: number;
  /** GTIN-14, digits only, valid check digit. */
  readonly gtin14: string;
  /** UPC-A (12 digits) when the GTIN has two leading zeros, as most North American goods do. */
  readonly upc12: string;
  readonly manufacturer: string;
  readonly brand: string;
  readonly mpn: string;
  readonly title: string;
  readonly category: string;
  readonly color: string;
  readonly size: string;
  /** Reference wholesale cost in cents; each supplier prices around it. */
  readonly baseCostCents: number;
}

export const UNIVERSE_SIZE = 200;

const MANUFACTURERS = [
  { name: 'Gildan Activewear', brand: 'Gildan', prefix: 'G' },
  { name: 'Hanesbrands', brand: 'Hanes', prefix: 'H' },
  { name: 'Bella+Canvas', brand: 'Bella+Canvas', prefix: 'BC' },
  { name: 'Stanley/Stella', brand: 'Stanley/Stella', prefix: 'STTU' },
  { name: 'Port Authority', brand: 'Port Authority', prefix: 'K' },
  { name: 'Hydro Flask', brand: 'Hydro Flask', prefix: 'W' },
  { name: 'Moleskine', brand: 'Moleskine', prefix: 'QP' },
  { name: 'Bic Graphic', brand: 'BIC', prefix: 'BGP' },
] as const;
const CATEGORIES = ['T-Shirt', 'Hoodie', 'Polo', 'Tote Bag', 'Water Bottle', 'Notebook', 'Pen', 'Cap'] as const;
const COLORS = ['Black', 'White', 'Navy', 'Heather Grey', 'Red', 'Forest Green', 'Royal Blue', 'Sand'] as const;
const SIZES = ['S', 'M', 'L', 'XL', 'OS'] as const;

/** Small deterministic PRNG (mulberry32) so every run builds the same world. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[body.length - 1 - i]);
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

function buildUniverse(): UniverseProduct[] {
  const random = seededRandom(20261126);
  const products: UniverseProduct[] = [];
  for (let index = 0; index < UNIVERSE_SIZE; index++) {
    const maker = MANUFACTURERS[index % MANUFACTURERS.length]!;
    const category = CATEGORIES[Math.floor(index / MANUFACTURERS.length) % CATEGORIES.length]!;
    const color = COLORS[Math.floor(random() * COLORS.length)]!;
    const size = category === 'T-Shirt' || category === 'Hoodie' || category === 'Polo' ? SIZES[index % 4]! : 'OS';
    const upcBody = `0${String(70_000 + index * 37).padStart(5, '0')}${String(10_000 + index * 13).padStart(5, '0')}`;
    const upc12 = `${upcBody}${gtinCheckDigit(upcBody)}`;
    products.push({
      index,
      gtin14: `00${upc12}`,
      upc12,
      manufacturer: maker.name,
      brand: maker.brand,
      mpn: `${maker.prefix}${1000 + index}-${color.slice(0, 3).toUpperCase()}-${size}`,
      title: `${maker.brand} ${category} — ${color}${size === 'OS' ? '' : `, ${size}`}`,
      category,
      color,
      size,
      baseCostCents: 199 + Math.floor(random() * 4_800),
    });
  }
  return products;
}

export const UNIVERSE: readonly UniverseProduct[] = buildUniverse();

/** Which universe products each sandbox carries: overlapping, never identical. */
export const CARRIES = {
  rest: (p: UniverseProduct) => p.index < 170,
  soap: (p: UniverseProduct) => p.index >= 30,
  graphql: (p: UniverseProduct) => p.index % 4 !== 3,
} as const;

/** Initial on-hand stock for one supplier's copy of a product: deterministic, some zeros. */
export function initialStock(supplierSeed: number, product: UniverseProduct): number {
  const random = seededRandom(supplierSeed * 1_000 + product.index);
  const roll = random();
  if (roll < 0.08) return 0;
  return Math.floor(random() * 500);
}
