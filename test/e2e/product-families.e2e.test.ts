/**
 * Families and the product page (issue 18), end to end: the stack imports the three sandboxes at start (the
 * production path, stack/initial-sync.ts → importCatalogs), each supplier's own grouping (Brightline styles,
 * PromoStandards products → parts, maplecart products → variants) is merged into canonical families on GTIN /
 * manufacturer + MPN, and one GraphQL request answers a product page — family, variants with options, images, stock
 * and every supplier's offer — with one batched call per supplier however many variants, counted at the sandboxes.
 * Runs on MongoDB (FerretDB in CI) and Redis when MONGO_URL / REDIS_URL are set, else on the embedded stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARRIES, UNIVERSE, type UniverseProduct } from '../../sandboxes/shared/product-universe.ts';
import { SUPPLIERS } from '../../platform/supplier-registry.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { postGraphql, testConfig } from '../support/stack-env.ts';

const PAGE = `
  id name brand categories images { url alt } options { name values }
  variants {
    sku title gtin mpn options { name value } images { url alt } categories
    stock { available }
    offers { __typename id available }
  }`;

/** The sandboxes group universe products of one manufacturer and category into a style: index mod 64. */
const styleOf = (index: number): UniverseProduct[] => UNIVERSE.filter((p) => p.index % 64 === index % 64);
const carriers = (p: UniverseProduct): string[] =>
  [CARRIES.rest(p) && 'BrightlineOffer', CARRIES.soap(p) && 'HarborpromoOffer', CARRIES.graphql(p) && 'MaplecartOffer'].filter((t): t is string => !!t).sort();

describe('product families and the product page (e2e)', () => {
  let stack: Stack;
  let url: string;
  const calls: { supplier: string; skus: readonly string[] }[] = [];

  beforeAll(async () => {
    stack = await startStack({
      config: testConfig({ OFFER_CACHE_TTL_MS: '60000' }),
      log: (await import('../../platform/logger.ts')).silentLogger(),
      subgraphPorts: 'random',
      onSupplierCall: (supplier, skus) => calls.push({ supplier, skus }),
    });
    url = stack.gateway.graphqlUrl;
  }, 300_000);

  afterAll(async () => {
    if (!stack) return;
    await Promise.all([stack.stores.catalog.clear(), stack.stores.stock.clear()]);
    await stack.close();
  });

  async function familyIdOf(p: UniverseProduct): Promise<string> {
    const { json } = await postGraphql(url, { query: `query($sku: ID!) { product(sku: $sku) { family { id } } }`, variables: { sku: `DS-${p.gtin14}` } });
    expect(json.errors).toBeUndefined();
    return json.data.product.family.id;
  }

  /** Runs `query` on a cold offer cache for its variants and returns what each supplier was asked, by slug. */
  async function counted(query: string, variables: Record<string, unknown>) {
    for (const sandbox of stack.sandboxes.values()) sandbox.resetStats();
    calls.length = 0;
    const answer = await postGraphql(url, { query, variables });
    expect(answer.status).toBe(200);
    expect(answer.json.errors).toBeUndefined();
    return answer.json.data;
  }

  it('answers a product page in one request with one batched call per supplier, counted at the sandboxes', { timeout: 60_000 }, async () => {
    // Style 5 (a T-shirt): universe 5, 69, 133 and 197, in several colours and sizes; 197 is not Brightline's.
    const style = styleOf(5);
    expect(style).toHaveLength(4);
    const id = await familyIdOf(style[0]!);
    const data = await counted(`query Page($id: ID!) { family(id: $id) { ${PAGE} } }`, { id });
    const family = data.family;
    expect(family.id).toBe(id);
    expect(family.brand).toBe(style[0]!.brand);
    expect(family.name).toBe(`${style[0]!.brand} ${style[0]!.category}`);
    // Categories from every supplier: harborpromo files apparel under Apparel > T-Shirt.
    expect(family.categories).toEqual(expect.arrayContaining(['T-Shirt', 'Apparel']));
    expect(family.images.length).toBeGreaterThan(0);
    for (const image of family.images) expect(image.url).toMatch(/^https:\/\//);
    expect(family.variants.map((v: { gtin: string }) => v.gtin).sort()).toEqual(style.map((p) => p.gtin14).sort());
    const names = family.options.map((o: { name: string }) => o.name);
    expect(names).toEqual(expect.arrayContaining(['Color', 'Size']));
    expect(family.options.find((o: { name: string }) => o.name === 'Size').values.sort()).toEqual([...new Set(style.map((p) => p.size))].sort());

    for (const variant of family.variants) {
      const p = style.find((u) => u.gtin14 === variant.gtin)!;
      expect(variant.options).toEqual(expect.arrayContaining([{ name: 'Color', value: p.color }, { name: 'Size', value: p.size }]));
      expect(variant.categories).toContain('T-Shirt');
      expect(variant.stock.available).toBeGreaterThanOrEqual(0);
      expect(variant.offers.map((o: { __typename: string }) => o.__typename).sort()).toEqual(carriers(p));
      for (const offer of variant.offers) {
        const [slug, supplierSku] = [offer.id.slice(0, offer.id.indexOf(':')), offer.id.slice(offer.id.indexOf(':') + 1)];
        expect(offer.available).toBe(stack.sandboxes.get(slug)!.stockOf(supplierSku));
      }
    }
    // One batched stock call per supplier for all the page's variants, and exactly one request on each supplier's wire.
    for (const supplier of SUPPLIERS) {
      const made = calls.filter((c) => c.supplier === supplier.slug);
      const offers = family.variants.flatMap((v: { offers: { __typename: string }[] }) => v.offers).filter((o: { __typename: string }) => o.__typename === supplier.offerType);
      expect(made, `${supplier.slug}: one batched call`).toHaveLength(1);
      expect(made[0]!.skus).toHaveLength(offers.length);
      expect(stack.sandboxes.get(supplier.slug)!.stats().total, `${supplier.slug}: requests on the wire`).toBe(1);
    }
  });

  it('keeps one call per supplier however many variants: six families and all their variants in one request', { timeout: 60_000 }, async () => {
    const styles = [0, 1, 2, 3, 4, 6].map((s) => styleOf(s));
    const ids = await Promise.all(styles.map((style) => familyIdOf(style[0]!)));
    const data = await counted(`query($ids: [ID!]!) { families(ids: $ids) { ${PAGE} } }`, { ids });
    const variants = data.families.flatMap((f: { variants: unknown[] }) => f.variants);
    expect(variants.length).toBe(styles.flat().length);
    expect(variants.length).toBeGreaterThan(20);
    // maplecart's variants bring their own image (ProductVariant.image), beside the families' featured images.
    const variantImages = variants.flatMap((v: { images: { url: string }[] }) => v.images).filter((i: { url: string }) => i.url.startsWith('https://cdn.maplecart.example/variants/'));
    expect(variantImages.length).toBeGreaterThan(0);
    for (const supplier of SUPPLIERS) {
      expect(calls.filter((c) => c.supplier === supplier.slug), `${supplier.slug}: one batched call`).toHaveLength(1);
      // On the wire: one request for Brightline and maplecart; PromoStandards Inventory 2.0.0 reads one product
      // (style) per request, so harborpromo's one call is one request per style on the page, never one per part.
      const stats = stack.sandboxes.get(supplier.slug)!.stats();
      const expected = supplier.slug === 'harborpromo' ? styles.length : 1;
      expect(stats.total, `${supplier.slug}: ${JSON.stringify(stats.byOperation)}`).toBe(expected);
    }
  });

  it('merges two suppliers\' families on GTIN into one family, and a variant carried by two suppliers shows both offers', { timeout: 60_000 }, async () => {
    // Universe 197: harborpromo (part of style HP-S05) and maplecart (its own product) carry it, Brightline does not.
    const shared = UNIVERSE[197]!;
    expect(carriers(shared)).toEqual(['HarborpromoOffer', 'MaplecartOffer']);
    const id = await familyIdOf(shared);
    expect(await familyIdOf(UNIVERSE[5]!)).toBe(id);
    const { json } = await postGraphql(url, {
      query: `query($sku: ID!) { product(sku: $sku) { sku gtin family { id variants { sku } } offers { __typename id available } } }`,
      variables: { sku: `DS-${shared.gtin14}` },
    });
    expect(json.errors).toBeUndefined();
    const variant = json.data.product;
    expect(variant.offers.map((o: { __typename: string }) => o.__typename).sort()).toEqual(['HarborpromoOffer', 'MaplecartOffer']);
    expect(variant.family.variants.map((v: { sku: string }) => v.sku)).toContain(variant.sku);
    // Every supplier's own family of this style is linked to the one canonical family.
    const [family] = await stack.stores.catalog.getFamilies([id]);
    const sources = new Set(family!.sources.map((s) => s.supplier));
    expect([...sources].sort()).toEqual(['brightline', 'harborpromo', 'maplecart']);
    expect(family!.sources.filter((s) => s.supplier === 'harborpromo').map((s) => s.supplierFamilyId)).toEqual(['HP-S05']);
  });

  it('merges on manufacturer + MPN where a supplier gives no GTIN: one variant, three offers, one family', { timeout: 60_000 }, async () => {
    // Brightline lists universe 57 without a UPC: the canonical product is keyed by manufacturer + MPN and the
    // other suppliers' GTIN-bearing copies join it on the MPN.
    const p = UNIVERSE[57]!;
    const { json } = await postGraphql(url, {
      query: `query($s: String!, $k: String!) { productBySupplierSku(supplier: $s, supplierSku: $k) { sku mpn family { id name } offers { __typename } } }`,
      variables: { s: 'harborpromo', k: (await stack.stores.catalog.findByIdentifiers({ gtin: null, manufacturer: p.manufacturer, mpn: p.mpn }))!.suppliers.find((m) => m.supplier === 'harborpromo')!.supplierSku },
    });
    expect(json.errors).toBeUndefined();
    const variant = json.data.productBySupplierSku;
    expect(variant.sku).toMatch(/^DS-M-/);
    expect(variant.mpn).toBe(p.mpn);
    expect(variant.offers.map((o: { __typename: string }) => o.__typename).sort()).toEqual(carriers(p));
    expect(variant.family.id).toBe(await familyIdOf(UNIVERSE[57 + 64]!));
  });
});
