import type { EntityCacheOptions } from '../gateway/entity-cache.ts';
import type { Config } from '../platform/config.ts';
import type { Cache } from '../platform/ports/cache.ts';
import type { EventBus } from '../platform/ports/event-bus.ts';
import { CATALOG_CHANGED_TOPIC } from './catalog-events.ts';

/**
 * The gateway's `entityCache` option (spread into its options): what the entity cache keeps and what drops it (GATEWAY_ENTITY_CACHE=on; docs/configuration.md).
 *
 * Cached: the catalog subgraph's `Product` (title, identifiers, descriptions, supplier SKU mappings), written only
 * through the catalog store, whose every product write publishes `catalog.changed` (stack/catalog-events.ts).
 * Not cached: the inventory subgraph's `Product` (`stock`, `offers`). `stock.changed` is published only when
 * available or on-hand units move, while `asOf`, `receivedAt` and `version` of a figure change on every accepted
 * report: invalidating by that event would not be exact. Supplier offers are live figures with their own cache
 * (OFFER_CACHE_TTL_MS), dropped by the stock update path. A wider reach (`sku: null`) clears every Product.
 */
export function gatewayEntityCache(config: Config, stores: { readonly cache: Cache; readonly events: EventBus }): { entityCache?: Omit<EntityCacheOptions, 'log' | 'metricsRegistry'> } {
  if (!config.gatewayEntityCache.enabled) return {};
  return {
    entityCache: {
      cacheable: [{ subgraph: 'catalog', typename: 'Product', keyFields: ['sku'] }],
      invalidations: [
        {
          topic: CATALOG_CHANGED_TOPIC,
          // A product of a family reaches its siblings' cached answers (family { variants options }): all go.
          entities: (payload) => {
            const { sku, familyId } = payload as { sku?: unknown; familyId?: unknown };
            return [{ typename: 'Product', key: typeof sku === 'string' && typeof familyId !== 'string' ? { sku } : null }];
          },
        },
      ],
      events: stores.events,
      shared: stores.cache,
      ttlMs: config.gatewayEntityCache.ttlMs,
    },
  };
}
