/**
 * The listing read model wired for one process (docs/storefront.md "Listing"): the catalog role runs the indexer,
 * which rebuilds a product's listing document on every event of a write path that changes one of its inputs —
 * catalog.changed (import, sync, families), stock.changed (webhooks, polls, reconciliation, holds), pricing.changed
 * (a rule set or deleted) and offers.cached (a supplier's answer was cached: a live offer load, a poll, a stock
 * snapshot; one batched catalog read per burst, stack/listing-offers.ts) — and everything at start
 * and after a gap in the bus. Several catalog processes each refresh: the writes are whole-document replaces of
 * the same figures, so they agree.
 */
import type { Logger } from '../platform/logger.ts';
import type { EventBus } from '../platform/ports/event-bus.ts';
import type { Stores } from '../adapters/storage/open-stores.ts';
import type { Config } from '../platform/config.ts';
import { createListingIndexer, type ListingIndexer } from '../subgraphs/catalog/listing-indexer.ts';
import { STOCK_CHANGED_TOPIC, type StockChangedEvent } from '../subgraphs/inventory/stock-events.ts';
import { PRICING_CHANGED_TOPIC } from '../subgraphs/pricing/rule-source.ts';
import { CATALOG_CHANGED_TOPIC, type CatalogChangedEvent } from './catalog-events.ts';
import { OFFERS_CACHED_TOPIC, type OffersCachedEvent } from './listing-events.ts';
import { createCachedOfferRefreshes } from './listing-offers.ts';
import { openPricing } from './pricing.ts';

export interface StackListing {
  readonly indexer: ListingIndexer;
  close(): Promise<void>;
}

export async function startListing(config: Config, stores: Pick<Stores, 'catalog' | 'stock' | 'cache' | 'events' | 'pricingRules' | 'listing'>, log: Logger): Promise<StackListing> {
  const listingLog = log.child({ component: 'listing' });
  const pricing = await openPricing(config, stores, listingLog);
  const indexer = createListingIndexer({
    catalog: stores.catalog,
    stock: stores.stock,
    listing: stores.listing,
    prices: async (skus, read) => (await pricing.prices.pricesOf(skus, undefined, read)).map((p) => (p === null ? null : { amount: p.price.amount, supplier: p.supplier })),
    log: listingLog,
  });
  const stops = await subscribeListing(stores.events, indexer, stores.catalog, listingLog);
  // Catch up with whatever changed while no indexer listened (a first start, a restart, a new deployment).
  indexer.refreshAll();
  return {
    indexer,
    async close() {
      for (const stop of stops) await stop();
      await indexer.close();
      await pricing.close();
    },
  };
}

/** The indexer's subscriptions to every write path's events; each returned function stops one. */
export async function subscribeListing(events: EventBus, indexer: Pick<ListingIndexer, 'refresh' | 'refreshAll'>, catalog: Pick<Stores['catalog'], 'skusBySupplierSkus' | 'variantsOfFamilies'>, log: Logger): Promise<(() => Promise<void> | void)[]> {
  const stops: (() => Promise<void> | void)[] = [];
  // A burst of cached offers (a poll pass, a product page) is one batched catalog read, not one read per offer.
  const cachedOffers = createCachedOfferRefreshes({ catalog, indexer, log });
  stops.push(() => cachedOffers.close());
  stops.push(await events.subscribe(CATALOG_CHANGED_TOPIC, (payload) => {
    const { sku, familyId } = payload as CatalogChangedEvent;
    if (typeof sku === 'string') indexer.refresh([sku]);
    else if (typeof familyId === 'string') {
      // A family's own details: only its variants' documents can change (not the whole listing, which an import
      // would otherwise rebuild once per family).
      void catalog
        .variantsOfFamilies([familyId], 500)
        .then(([variants]) => indexer.refresh((variants ?? []).map((p) => p.sku)))
        .catch((error: unknown) => log.warn({ err: error, familyId }, 'could not list a family\'s variants: their listing documents catch up at their next change'));
    } else indexer.refreshAll();
  }));
  stops.push(await events.subscribe(STOCK_CHANGED_TOPIC, (payload) => {
    const sku = (payload as StockChangedEvent).sku;
    if (typeof sku === 'string') indexer.refresh([sku]);
  }));
  stops.push(await events.subscribe(PRICING_CHANGED_TOPIC, () => indexer.refreshAll()));
  stops.push(await events.subscribe(OFFERS_CACHED_TOPIC, (payload) => {
    const offers = (payload as OffersCachedEvent).offers;
    if (Array.isArray(offers)) cachedOffers.add(offers);
  }));
  stops.push(events.onGap(() => indexer.refreshAll()));
  return stops;
}
