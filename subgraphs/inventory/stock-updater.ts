import type { Cache } from '../../platform/ports/cache.ts';
import type { EventBus } from '../../platform/ports/event-bus.ts';
import type { ApplyResult, MutateResult, StockChange, StockRecord, StockReport, StockState, StockStore } from '../../platform/ports/stock-store.ts';
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
  /** Clock for the `at` of events about our own changes. @default the system clock */
  readonly now?: () => string;
}

export interface StockUpdater {
  /**
   * The one path every supplier figure takes into canonical stock (webhook, poll, reconciliation, import):
   * a conditional write that ignores older reports, then — only when it was accepted — invalidation of the cached
   * live offer and exactly one `stock.changed` event if sellable stock changed.
   */
  applyReport(report: StockReport, source: StockChangeSource): Promise<ApplyResult>;
  /**
   * The same path for our own changes to a row (reservations: reserved, committed, buffer): a versioned mutation
   * (StockStore.mutate, `change` may run more than once), then — only when something was written — the same
   * invalidation and `stock.changed` event.
   */
  applyChange(sku: string, supplier: string, change: (current: StockState) => StockChange, source: StockChangeSource): Promise<MutateResult>;
}

export function createStockUpdater(options: StockUpdaterOptions): StockUpdater {
  const bufferFor = options.bufferFor ?? (() => 0);
  const log = options.log.child({ component: 'stock-updater' });
  const now = options.now ?? (() => new Date().toISOString());
  /** After an accepted write: drop the cached live offer, and announce the change if sellable stock moved. */
  async function announce(before: StockRecord | null, after: StockRecord, source: StockChangeSource, at: string): Promise<void> {
    try {
      await options.cache.delete([offerCacheKey(after.supplier, after.supplierSku)]);
    } catch (error) {
      // The entry expires with its TTL anyway; a cache outage must not fail a stock write.
      log.warn({ err: error, supplier: after.supplier }, 'offer cache invalidation failed');
    }
    if (before !== null && before.available === after.available && before.onHand === after.onHand) return;
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
      at,
    };
    try {
      await options.events.publish(STOCK_CHANGED_TOPIC, event);
    } catch (error) {
      log.error({ err: error, sku: after.sku, supplier: after.supplier }, 'stock.changed publish failed');
    }
  }

  return {
    async applyReport(report, source) {
      const result = await options.stock.applyReport(report, bufferFor(report.supplier, report.sku));
      if (result.outcome === 'applied') await announce(result.before, result.after, source, result.after.receivedAt);
      return result;
    },

    async applyChange(sku, supplier, change, source) {
      const result = await options.stock.mutate(sku, supplier, change);
      // receivedAt stays the supplier report's; the event says when this change was made.
      if (result.outcome === 'applied') await announce(result.before, result.after, source, now());
      return result;
    },
  };
}
