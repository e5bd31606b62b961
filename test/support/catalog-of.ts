/**
 * A connector proxy whose whole catalog is a given list: suites that need a handful of products import them through
 * the real importer without walking every page. Everything but listCatalog passes through to the real connector.
 */
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import type { CatalogItem } from '../../kernel/model.ts';

/** A connector whose whole catalog is `items` (the rest of it passes through). */
export const catalogOf = (connector: SupplierConnector, items: readonly CatalogItem[]): SupplierConnector =>
  new Proxy(connector, {
    get(target, prop) {
      if (prop === 'listCatalog') return async () => ({ items, nextCursor: null });
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
