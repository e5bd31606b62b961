import type { Logger } from '../platform/logger.ts';
import type { Cache } from '../platform/ports/cache.ts';
import type { EventBus } from '../platform/ports/event-bus.ts';
import { lastKnownOfferKey } from '../subgraphs/offer-cache-key.ts';

/** Published when a supplier subgraph caches supplier answers (a live offer call): the listing re-prices those products. */
export const OFFERS_CACHED_TOPIC = 'offers.cached';

export interface OffersCachedEvent {
  readonly type: 'offers.cached';
  readonly offers: readonly { readonly supplier: string; readonly supplierSku: string }[];
}

/** `offer-last:<slug>:<supplierSku>` → its parts (the slug has no colon; a supplier SKU may). */
function parseLastKnown(key: string): { supplier: string; supplierSku: string } | null {
  const prefix = lastKnownOfferKey('', '').slice(0, -2); // "offer-last"
  if (!key.startsWith(`${prefix}:`)) return null;
  const rest = key.slice(prefix.length + 1);
  const at = rest.indexOf(':');
  return at <= 0 ? null : { supplier: rest.slice(0, at), supplierSku: rest.slice(at + 1) };
}

/**
 * The offer cache a supplier subgraph writes, telling the event bus which offers it cached: a live supplier answer
 * (a product page's offers) is the only way a cost reaches the offer cache, and listings are priced from that cache
 * (docs/storefront.md "Listing"). Every answer is written under its last-known key, so those writes are the signal;
 * reads and deletes pass through. The write stands even if the publish fails (logged): the listing then re-prices
 * those products at their next stock, catalog or rule change.
 */
export function withOffersCachedEvents(cache: Cache, events: EventBus, log: Logger): Cache {
  return {
    getMany: (keys) => cache.getMany(keys),
    delete: (keys) => cache.delete(keys),
    close: () => cache.close(),
    async setMany(entries, ttlMs) {
      await cache.setMany(entries, ttlMs);
      await announce(entries.map(([key]) => key));
    },
    async setManyIfNewer(entries, orderField, ttlMs) {
      const written = await cache.setManyIfNewer(entries, orderField, ttlMs);
      // Only what was written: an entry refused because a later answer is cached changes no price.
      await announce(entries.flatMap(([key], i) => (written[i] ? [key] : [])));
      return written;
    },
  };

  async function announce(keys: readonly string[]): Promise<void> {
    const offers = keys.flatMap((key) => {
      const parsed = parseLastKnown(key);
      return parsed === null ? [] : [parsed];
    });
    if (offers.length === 0) return;
    const event: OffersCachedEvent = { type: 'offers.cached', offers };
    await events.publish(OFFERS_CACHED_TOPIC, event).catch((error: unknown) => log.warn({ err: error }, `could not publish ${OFFERS_CACHED_TOPIC}: listing prices catch up at the next change`));
  }
}
