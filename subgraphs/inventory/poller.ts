/**
 * Pull: each supplier is polled for stock at its own interval, in the sync lane (its calls wait behind order and
 * interactive traffic when the supplier's budget is short), with its bulk stock endpoint in batches of
 * `maxStockBatch` over the SKUs we map, walking the catalog by cursor. Figures go through the one update path
 * (source `poll`): an older figure is ignored, a change invalidates the cache and is announced once. A supplier
 * that pushes webhooks is polled rarely, as a safety net; the pull-only SOAP supplier relies on it entirely.
 */
import type { CallContext, SupplierConnector } from '../../adapters/core/connector.ts';
import type { Logger } from '../../platform/logger.ts';
import { observeStock } from '../last-known-offer.ts';
import type { CatalogStore } from '../../platform/ports/catalog-store.ts';
import { forEachConcurrently } from './concurrently.ts';
import { mappedSkuBatches } from './mapped-skus.ts';
import type { OfferRecorder } from './offer-record.ts';
import type { StockUpdater } from './stock-updater.ts';
import type { InventorySyncMetrics } from './sync-metrics.ts';
import { isRegistryError } from '../../kernel/errors.ts';
import { storedFailureText, supplierFailureFields } from '../../adapters/core/supplier-facts.ts';

/** A supplier failure without its stack (clipped, cleaned, with what the supplier said); anything else with it. */
const loggedFailure = (error: unknown): Record<string, unknown> => (isRegistryError(error) ? supplierFailureFields(error) : { err: error });

export interface PollSummary {
  readonly supplier: string;
  readonly requested: number;
  /** Figures that changed our stock. */
  readonly applied: number;
  /** Figures not newer than ours (ignored) or equal to them. */
  readonly unchanged: number;
  /** SKUs the supplier did not list. */
  readonly missing: number;
  readonly error: string | null;
  readonly ms: number;
}

export interface PollerOptions {
  /** Looked up per pass, so connectors added after the poller was built are polled too. */
  readonly connectors: () => Iterable<SupplierConnector>;
  readonly catalog: CatalogStore;
  readonly updater: StockUpdater;
  /** Each batch's answers kept as the offers' last known values (their costs price listings). @default none */
  readonly offers?: OfferRecorder;
  readonly metrics: Pick<InventorySyncMetrics, 'pollRun' | 'polled'>;
  readonly log: Logger;
  /** Milliseconds between the end of one pass and the start of the next; 0 or less: not polled. */
  readonly intervalMsFor: (supplier: string) => number;
  readonly onPass?: (summary: PollSummary) => void;
  /**
   * Stock calls of one pass in flight at once. The supplier's traffic layer still holds them to its published
   * limits; this only keeps a supplier with small batches (one SKU a call for PromoStandards) from being slowed to
   * one round trip at a time. @default 4
   */
  readonly concurrency?: number;
  /**
   * Singleton coordination when several processes run the poller (the `jobs` role, stack/roles/jobs.ts): the timer
   * polls a supplier only while `holds` says this process has its poll lease, and each batch's figures are written
   * only after `confirm` (the fencing check against the lease store) says the lease is still ours; otherwise the
   * pass stops. Unset: every scheduled pass runs (one process).
   */
  readonly lease?: { holds(supplier: string): boolean; confirm(supplier: string): Promise<boolean> };
}

/** A pass cut short because this process no longer holds the supplier's poll lease (not a supplier failure). */
class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

export interface Poller {
  /** Schedules every supplier with a positive interval; the first pass runs one interval after start. */
  start(): void;
  /** One pass over one supplier now (also what the timers run). Passes of one supplier never overlap. */
  pollNow(supplier: string): Promise<PollSummary>;
  /** Cancels timers, aborts passes in flight and waits for them. */
  stop(): Promise<void>;
}

export function createPoller(options: PollerOptions): Poller {
  const log = options.log.child({ component: 'stock-poller' });
  const stopping = new AbortController();
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, Promise<PollSummary>>();

  const connectorOf = (supplier: string): SupplierConnector | undefined => [...options.connectors()].find((c) => c.supplier === supplier);

  async function pass(connector: SupplierConnector): Promise<PollSummary> {
    const started = performance.now();
    const supplier = connector.supplier;
    const ctx: CallContext = { signal: stopping.signal, log: log.child({ supplier, op: 'poll' }), requestId: `poll-${supplier}-${Date.now()}`, lane: 'sync' };
    let requested = 0;
    let applied = 0;
    let unchanged = 0;
    let missing = 0;
    let error: string | null = null;
    try {
      await forEachConcurrently(mappedSkuBatches(options.catalog, supplier, connector.maxStockBatch), options.concurrency ?? 4, async (batch) => {
        const skuOf = new Map(batch.map((m) => [m.supplierSku, m.sku]));
        const { stock: figures, observedAt } = await observeStock(connector, batch.map((m) => m.supplierSku), ctx);
        // The fence: a process whose lease passed on (paused, cut off from Redis) writes nothing more.
        if (options.lease && !(await options.lease.confirm(supplier))) throw new LeaseLostError(`poll lease of ${supplier} is no longer held here`);
        requested += batch.length;
        missing += batch.length - figures.length;
        for (const figure of figures) {
          const sku = skuOf.get(figure.supplierSku);
          if (sku === undefined) continue;
          const result = await options.updater.applyReport({ sku, supplier, supplierSku: figure.supplierSku, onHand: figure.available, supplierAsOf: figure.asOf }, 'poll');
          if (result.outcome === 'applied' && (result.before === null || result.before.onHand !== result.after.onHand)) applied += 1;
          else unchanged += 1;
        }
        // After the stock writes (which drop a changed row's fresh offer entry): one cache write for the batch.
        await options.offers?.record(supplier, batch.map((m) => m.supplierSku), figures.filter((f) => skuOf.has(f.supplierSku)), observedAt);
      });
    } catch (caught) {
      error = caught instanceof LeaseLostError ? 'lease lost' : storedFailureText(caught);
      if (caught instanceof LeaseLostError) log.info({ supplier }, 'stock poll pass stopped: the poll lease passed to another process');
      else if (!stopping.signal.aborted) log.warn({ supplier, ...loggedFailure(caught) }, 'stock poll pass failed; the next pass starts from the beginning');
    }
    const summary: PollSummary = { supplier, requested, applied, unchanged, missing, error, ms: Math.round(performance.now() - started) };
    options.metrics.pollRun(supplier, error === null ? 'ok' : 'error', summary.ms / 1000);
    options.metrics.polled(supplier, 'applied', applied);
    options.metrics.polled(supplier, 'unchanged', unchanged);
    options.metrics.polled(supplier, 'missing', missing);
    log.debug(summary, 'stock poll pass');
    options.onPass?.(summary);
    return summary;
  }

  function pollNow(supplier: string): Promise<PollSummary> {
    const inFlight = running.get(supplier);
    if (inFlight !== undefined) return inFlight;
    const connector = connectorOf(supplier);
    if (connector === undefined) return Promise.reject(new Error(`no connector for supplier ${supplier}`));
    const p = pass(connector).finally(() => running.delete(supplier));
    running.set(supplier, p);
    return p;
  }

  function schedule(supplier: string, intervalMs: number): void {
    if (stopping.signal.aborted) return;
    const timer = setTimeout(() => {
      // Another process holds this supplier's poll lease: it polls, this one waits for its next turn.
      if (options.lease && !options.lease.holds(supplier)) return schedule(supplier, intervalMs);
      void pollNow(supplier)
        .catch((error: unknown) => log.warn({ supplier, err: error }, 'stock poll could not run'))
        .finally(() => schedule(supplier, intervalMs));
    }, intervalMs);
    timer.unref();
    timers.set(supplier, timer);
  }

  return {
    start() {
      for (const connector of options.connectors()) {
        const intervalMs = options.intervalMsFor(connector.supplier);
        if (intervalMs > 0 && !timers.has(connector.supplier)) schedule(connector.supplier, intervalMs);
      }
    },
    pollNow,
    async stop() {
      stopping.abort();
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...running.values()]);
    },
  };
}
