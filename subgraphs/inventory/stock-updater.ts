import type { Cache } from '../../platform/ports/cache.ts';
import type { EventBus } from '../../platform/ports/event-bus.ts';
import type { ApplyResult, StockReport, StockStore } from '../../platform/ports/stock-store.ts';
import type { Logger } from '../../platform/logger.ts';
import { offerCacheKey } from '../offer-cache-key.ts';
import { STOCK_CHANGED_TOPIC, type StockChangeSource, type StockChangedEvent } from './stock-events.ts';

export interface StockUpdaterOptions {
  readonly stock: StockStore;
  readonly cache: Cache;
  readonly events: EventBus;
  readonly log: Logger;
  /** Safety buffer for a (supplier, canonical SKU) row. @default () => 0 */
  readonly bufferFor?: (supplier: string, sku: string) => number;
}

export interface StockUpdater {
  /**
   * The one path every supplier figure takes into canonical stock (webhook, poll, reconciliation, import):
   * a conditional write that ignores older reports, then — only when it was accepted — invalidation of the cached
   * live offer and exactly one `stock.changed` event if sellable stock changed.
   */
  applyReport(report: StockReport, source: StockChangeSource): Promise<ApplyResult>;
}

export function createStockUpdater(options: StockUpdaterOptions): StockUpdater {
  const bufferFor = options.bufferFor ?? (() => 0);
  const log = options.log.child({ component: 'stock-updater' });
  return {
    async applyReport(report, source) {
      const result = await options.stock.applyReport(report, bufferFor(report.supplier, report.sku));
      if (result.outcome !== 'applied') return result;
      const { before, after } = result;
      try {
        await options.cache.delete([offerCacheKey(after.supplier, after.supplierSku)]);
      } catch (error) {
        // The entry expires with its TTL anyway; a cache outage must not fail a stock write.
        log.warn({ err: error, supplier: after.supplier }, 'offer cache invalidation failed');
      }
      if (before !== null && before.available === after.available && before.onHand === after.onHand) return result;
      const event: StockChangedEvent = {
        type: 'stock.changed',
        sku: after.sku,
        supplier: after.supplier,
        supplierSku: after.supplierSku,
        oldAvailable: before?.available ?? null,
        newAvailable: after.available,
        onHand: after.onHand,
        version: after.version,
        source,
        at: after.receivedAt,
      };
      try {
        await options.events.publish(STOCK_CHANGED_TOPIC, event);
      } catch (error) {
        log.error({ err: error, sku: after.sku, supplier: after.supplier }, 'stock.changed publish failed');
      }
      return result;
    },
  };
}
