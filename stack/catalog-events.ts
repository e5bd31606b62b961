import type { Logger } from '../platform/logger.ts';
import type { CatalogStore } from '../platform/ports/catalog-store.ts';
import type { EventBus } from '../platform/ports/event-bus.ts';

/**
 * Published after a write to canonical products: `{ sku }` for one product, `{ sku: null, familyId }` for a family's
 * own details (name, brand, images, categories: its variants' records are announced by their own writes), and
 * `{ sku: null }` for any of them (a reset).
 */
export const CATALOG_CHANGED_TOPIC = 'catalog.changed';

export interface CatalogChangedEvent {
  readonly type: 'catalog.changed';
  /** The product written; null for a family's details (`familyId` set) or a write that may have changed any product. */
  readonly sku: string | null;
  /**
   * The written product's family, when it has one: its siblings' answers carry the family's variants and options,
   * so a reader that keeps whole answers (the gateway's entity cache) treats the write as reaching them too.
   */
  readonly familyId?: string | null;
}

/** Writes that change one product and resolve its record (or null when there is none). */
const PRODUCT_WRITES = new Set(['upsertSupplierMapping']);
/** Writes whose reach is not one product: every product counts as changed. */
const WIDE_WRITES = new Set(['clear']);

/**
 * The catalog store, telling the event bus of every write that changes a product (`catalog.changed`): the gateway's
 * entity cache drops the product at once in every gateway process (gateway/entity-cache.ts). The write stands even
 * if the publish fails (logged): the cached entry then lives until its TTL (GATEWAY_ENTITY_CACHE_TTL_MS).
 *
 * A Proxy rather than a listed wrapper: reads and writes added to the port later pass through unchanged; a new
 * write that changes products must be named above.
 * Re-pointing a supplier mapping changes the product it leaves as well as the one it joins. A write to a product of a
 * family names the family too (`familyId`): its siblings' answers carry the family's variants and options.
 */
export function withCatalogEvents(catalog: CatalogStore, events: EventBus, log: Logger): CatalogStore {
  const changed = (record: { sku: string; familyId?: string | null } | null | undefined): Promise<void> => (record ? publish(record.sku, record.familyId ?? null) : Promise.resolve());
  const publish = async (sku: string | null, familyId: string | null = null): Promise<void> => {
    const event: CatalogChangedEvent = { type: 'catalog.changed', sku, familyId };
    await events.publish(CATALOG_CHANGED_TOPIC, event).catch((error: unknown) => log.warn({ err: error, sku }, 'could not publish catalog.changed: cached entities of this product live until their TTL'));
  };
  // One wrapper per method, made on first use: reads on the hot path (webhook ingest, entity fetches) allocate nothing.
  const wrapped = new Map<string, unknown>();
  return new Proxy(catalog, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      let made = wrapped.get(property);
      if (made === undefined) wrapped.set(property, (made = wrap(target, property, value as (...args: unknown[]) => Promise<unknown>)));
      return made;
    },
  });

  function wrap(target: CatalogStore, property: string, method: (...args: unknown[]) => Promise<unknown>): unknown {
    if (property === 'insert') {
      return async (...args: unknown[]) => {
        const result = (await method.apply(target, args)) as { inserted: boolean; product?: { sku: string; familyId?: string | null } };
        if (result.inserted) await changed(result.product);
        return result;
      };
    }
    if (property === 'upsertSupplierMapping') {
      return async (sku: string, mapping: { supplier: string; supplierSku: string }) => {
        const previous = await target.skuBySupplierSku(mapping.supplier, mapping.supplierSku);
        const result = (await method.call(target, sku, mapping)) as { sku: string; familyId?: string | null } | null;
        await changed(result);
        // Re-pointed: the product it left changed too.
        if (previous !== null && previous !== sku) await changed((await target.getBySkus([previous]))[0] ?? { sku: previous });
        return result;
      };
    }
    if (property === 'mergeVariantDetails') {
      // Resolves a boolean, not a record: announce the SKU it was given (with the family the details name). Taking
      // the boolean for a record announced `sku: undefined`, which readers take as "any product" — every variant of
      // an import page then rebuilt the whole listing and emptied the entity cache.
      return async (sku: string, details: { familyId?: string | null }) => {
        const merged = (await method.call(target, sku, details)) as boolean;
        if (merged) await publish(sku, details.familyId ?? null);
        return merged;
      };
    }
    if (property === 'mergeFamily') {
      // A family's own details: its variants are announced by their own writes (mergeVariantDetails follows on import).
      return async (...args: unknown[]) => {
        const familyId = (await method.apply(target, args)) as string;
        await publish(null, familyId);
        return familyId;
      };
    }
    if (property === 'mergeFamilies') {
      // A batch: each family whose record changed, once; a family the batch left as it was is not announced.
      return async (...args: unknown[]) => {
        const merged = (await method.apply(target, args)) as { changed: readonly string[] };
        await Promise.all(merged.changed.map((familyId) => publish(null, familyId)));
        return merged;
      };
    }
    if (property === 'mergeManyVariantDetails') {
      // A batch: each product whose record changed, once, with the family it belongs to after the merge (which may be
      // another supplier's: the first family stays). Products left as they were are not announced (a re-import).
      return async (...args: unknown[]) => {
        const merged = (await method.apply(target, args)) as { changed: readonly { sku: string; familyId: string | null }[] };
        await Promise.all(merged.changed.map((c) => publish(c.sku, c.familyId)));
        return merged;
      };
    }
    if (PRODUCT_WRITES.has(property)) {
      return async (...args: unknown[]) => {
        const result = (await method.apply(target, args)) as { sku: string; familyId?: string | null } | null;
        await changed(result);
        return result;
      };
    }
    if (WIDE_WRITES.has(property)) {
      return async (...args: unknown[]) => {
        const result = await method.apply(target, args);
        await publish(null);
        return result;
      };
    }
    return method.bind(target);
  }
}
