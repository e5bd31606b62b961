import type { Money, SupplierStock } from '../../kernel/model.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Cache } from '../../platform/ports/cache.ts';
import type { CatalogStore, ProductRecord } from '../../platform/ports/catalog-store.ts';
import type { StockRecord, StockStore } from '../../platform/ports/stock-store.ts';
import { lastKnownOfferKey, offerCacheKey } from '../offer-cache-key.ts';
import { routeLine, type RoutingCandidate, type RoutingPolicy } from '../routing-policy.ts';
import { storeCurrencyAmount, type FxTable } from './fx.ts';
import type { RuleSource } from './rule-source.ts';
import { landedCostOf, sellPrice, type LandedCost, type SellPrice } from './sell-price.ts';

/**
 * The sell price of products in the store currency, from the canonical records only — the catalog's supplier
 * mappings, canonical stock, and the offer cache the supplier subgraphs fill — never a live supplier call, so a
 * listing of any size costs a few store round trips (docs/storefront.md "Prices"). The callable domain function
 * for the graph (`Product.price`, `Product.bestOffer`) and for listings that sort or filter by price.
 */
export interface ProductPrice {
  readonly sku: string;
  /** The offer routing would pick now for one unit, among the offers whose cost is known. */
  readonly supplier: string;
  readonly supplierSku: string;
  readonly price: SellPrice;
  /** False when no supplier has a unit to sell now: the price is that of the offer routing prefers once one has. */
  readonly available: boolean;
  /** The supplier's timestamp of the cost. */
  readonly costAsOf: string;
  /** True when the cost is the supplier's last known answer (its fresh cache entry has expired). */
  readonly fromLastKnown: boolean;
}

export interface PriceService {
  /**
   * Prices in the order of `skus`; null for an unknown product or one with no offer whose cost is known (and
   * converts). `allowedSuppliers`: only these suppliers' offers count (a partner limited to some suppliers).
   */
  /**
   * `read`: these SKUs' products and stock rows when the caller has just read them (the listing indexer), so they
   * are not read twice.
   */
  pricesOf(skus: readonly string[], allowedSuppliers?: readonly string[], read?: PricedRecords): Promise<(ProductPrice | null)[]>;
  /** An offer's landed cost in the store currency (cost + the routing policy's shipping for its supplier). */
  landedCost(supplier: string, cost: Money): LandedCost | null;
}

/** A caller's fresh read of the SKUs it prices, in the order of its `skus`. */
export interface PricedRecords {
  readonly products: readonly (ProductRecord | null)[];
  readonly rows: readonly (readonly StockRecord[])[];
}

export interface PriceServiceOptions {
  readonly catalog: Pick<CatalogStore, 'getBySkus'>;
  readonly stock: Pick<StockStore, 'getBySkus'>;
  /** The offer cache (subgraphs/offer-cache-key.ts): fresh entries, then the last known answers. */
  readonly cache: Pick<Cache, 'getMany'>;
  readonly rules: Pick<RuleSource, 'current'>;
  readonly fx: FxTable;
  /** The deployment's routing policy (ORDER_ROUTING_POLICY over the defaults): the same choice orders make. */
  readonly policy: RoutingPolicy;
  readonly log: Logger;
}

/**
 * A cached offer. `map`: the supplier's minimum advertised price, where its API states one — none of the three
 * demo suppliers' APIs does (PromoStandards Inventory/Product Data, Brightline's and Maplecart's offers carry no MAP),
 * so a mapping that learns one adds it to its SupplierStock under this name and the floor applies.
 */
type CachedStock = SupplierStock & { readonly map?: Money | null };
type CachedOffer = { readonly found: true; readonly stock: CachedStock } | { readonly found: false };

interface KnownOffer {
  readonly supplier: string;
  readonly supplierSku: string;
  readonly stock: CachedStock;
  readonly fromLastKnown: boolean;
}

/** Categories, when the catalog record carries them (product families, issue 18); none otherwise. */
const categoriesOf = (p: ProductRecord): readonly string[] => (p as { readonly categories?: readonly string[] }).categories ?? [];

function parse(raw: string | null): CachedOffer | null {
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as CachedOffer;
  } catch {
    return null;
  }
}

export function createPriceService(options: PriceServiceOptions): PriceService {
  const { fx, policy } = options;
  const shippingOf = (supplier: string): string | null => policy.shippingCost[supplier] ?? null;

  const landedCost = (supplier: string, cost: Money): LandedCost | null => landedCostOf(cost, shippingOf(supplier), fx);

  /** The cached offers of the mappings: fresh entries, else last known; unlisted and unknown ones are left out. */
  async function knownOffers(mappings: readonly { supplier: string; supplierSku: string }[]): Promise<(KnownOffer | null)[]> {
    if (mappings.length === 0) return [];
    const fresh = await options.cache.getMany(mappings.map((m) => offerCacheKey(m.supplier, m.supplierSku)));
    const missing = mappings.flatMap((m, i) => (fresh[i] === null ? [i] : []));
    const last = missing.length === 0 ? [] : await options.cache.getMany(missing.map((i) => lastKnownOfferKey(mappings[i]!.supplier, mappings[i]!.supplierSku)));
    const lastByIndex = new Map(missing.map((i, n) => [i, last[n] ?? null]));
    return mappings.map((m, i) => {
      const fromLastKnown = fresh[i] === null;
      const entry = parse(fromLastKnown ? (lastByIndex.get(i) ?? null) : fresh[i]!);
      return entry?.found === true ? { supplier: m.supplier, supplierSku: m.supplierSku, stock: entry.stock, fromLastKnown } : null;
    });
  }

  return {
    landedCost,

    async pricesOf(skus, allowedSuppliers, read) {
      if (skus.length === 0) return [];
      const [products, rows, rules] = await Promise.all([
        read?.products ?? options.catalog.getBySkus(skus),
        read?.rows ?? options.stock.getBySkus(skus),
        options.rules.current(),
      ]);
      const mappingsOf = products.map((p) => (p === null ? [] : p.suppliers.filter((m) => allowedSuppliers === undefined || allowedSuppliers.includes(m.supplier))));
      // One cache read (two with last-known misses) for every offer of every product asked for.
      const flat = mappingsOf.flat();
      const offers = await knownOffers(flat);
      let next = 0;
      return skus.map((sku, i) => {
        const product = products[i];
        const mine = offers.slice(next, (next += mappingsOf[i]!.length));
        if (!product) return null;
        // Candidates: offers with a known cost that converts (no price otherwise). The routing policy ranks them in
        // the store currency (compareIn), shipping too — the same comparison orders make (docs/orders.md).
        const priced = mine.flatMap((o) => {
          if (o === null || o.stock.cost === null) return [];
          const landed = landedCost(o.supplier, o.stock.cost);
          return landed === null ? [] : [{ offer: o, landed, cost: o.stock.cost }];
        });
        if (priced.length === 0) return null;
        const available = (supplier: string) => rows[i]?.find((r) => r.supplier === supplier)?.available ?? 0;
        const candidates: RoutingCandidate[] = priced.map((p) => ({ supplier: p.offer.supplier, supplierSku: p.offer.supplierSku, available: available(p.offer.supplier), unitCost: p.cost }));
        const storePolicy: RoutingPolicy = { ...policy, compareIn: storeCurrencyAmount(fx) };
        let decision = routeLine(sku, 1, candidates, storePolicy);
        const inStock = decision.allocations.length > 0;
        // No supplier has a unit: the offer routing prefers once it has one (same policy, stock left out).
        if (!inStock) decision = routeLine(sku, 1, candidates.map((c) => ({ ...c, available: 1 })), storePolicy);
        const chosen = decision.allocations[0]!;
        const pick = priced.find((p) => p.offer.supplier === chosen.supplier && p.offer.supplierSku === chosen.supplierSku)!;
        const price = sellPrice({
          landedCost: pick.landed,
          subject: { sku, categories: categoriesOf(product), brand: product.brand, supplier: pick.offer.supplier },
          rules,
          fx,
          map: pick.offer.stock.map ?? null,
        });
        return { sku, supplier: pick.offer.supplier, supplierSku: pick.offer.supplierSku, price, available: inStock, costAsOf: pick.offer.stock.asOf, fromLastKnown: pick.offer.fromLastKnown };
      });
    },
  };
}

