/**
 * Reconciliation: compares canonical stock with each supplier's full snapshot (every SKU we map, read in bulk
 * batches in the sync lane), records every discrepancy (SKU, supplier, ours, theirs, age of our figure), corrects
 * those past a threshold through the one update path (source `reconcile`), and stores a summary per run.
 *
 * Overriding "newer wins" safely. Silent drift may leave the supplier's figure with a timestamp no newer than
 * ours (a supplier that changes stock without touching its timestamp, or clock skew), and the stock store would
 * then ignore the correction as stale. A correction is therefore stamped `max(supplier's asOf, ours + 1 ms)`: just
 * newer than what it replaces, so any genuine later update (a webhook stamped after it) still wins. And it is
 * applied only if our row is still the version we compared: if a webhook or poll landed meanwhile, it is fresher
 * than our snapshot and the discrepancy is recorded as "changed-meanwhile", not overwritten.
 */
import { randomUUID } from 'node:crypto';
import type { CallContext, SupplierConnector } from '../../adapters/core/connector.ts';
import type { Logger } from '../../platform/logger.ts';
import { observeStock } from '../last-known-offer.ts';
import type { CatalogStore } from '../../platform/ports/catalog-store.ts';
import type { DiscrepancyRecord, DiscrepancyResolution, DiscrepancyStore, ReconciliationRun, SupplierRunSummary } from '../../platform/ports/discrepancy-store.ts';
import type { StockRecord, StockStore } from '../../platform/ports/stock-store.ts';
import { forEachConcurrently } from './concurrently.ts';
import { mappedSkuBatches, type MappedSku } from './mapped-skus.ts';
import type { OfferRecorder } from './offer-record.ts';
import type { StockUpdater } from './stock-updater.ts';
import type { InventorySyncMetrics } from './sync-metrics.ts';
import { isRegistryError } from '../../kernel/errors.ts';
import { storedFailureText, supplierFailureFields } from '../../adapters/core/supplier-facts.ts';

export interface ReconcileThresholds {
  /** Correct when |ours − theirs| ≥ this many units. */
  readonly units: number;
  /** …or when |ours − theirs| / max(ours, theirs) ≥ this ratio (0 disables). Catches small counts: 1 of 2 units. */
  readonly ratio: number;
}

export interface ReconcileProgress {
  readonly runId: string;
  readonly supplier: string;
  readonly checked: number;
  readonly discrepancies: number;
  readonly corrected: number;
  readonly done: boolean;
}

export interface ReconcileOptions {
  readonly connectors: readonly SupplierConnector[];
  readonly catalog: CatalogStore;
  readonly stock: StockStore;
  readonly updater: StockUpdater;
  /** Each batch's answers kept as the offers' last known values (their costs price listings). @default none */
  readonly offers?: OfferRecorder;
  readonly discrepancies: DiscrepancyStore;
  readonly metrics: Pick<InventorySyncMetrics, 'discrepancies' | 'reconcileRun'> & Partial<Pick<InventorySyncMetrics, 'supplierReconciled'>>;
  readonly log: Logger;
  readonly thresholds: ReconcileThresholds;
  /** False: record discrepancies, correct nothing (`npm run reconcile -- --report-only`). @default true */
  readonly correct?: boolean;
  /** Runs older than this are deleted when a run starts. @default 30 days */
  readonly retentionMs?: number;
  /** Stock calls in flight at once per supplier (the traffic layer still enforces its limits). @default 4 */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ReconcileProgress) => void;
  /** @default Date.now */
  readonly now?: () => number;
}

export function pastThreshold(ours: number | null, theirs: number | null, t: ReconcileThresholds): boolean {
  // Holding no figure, or the supplier no longer listing the SKU, is always worth correcting.
  if (ours === null || theirs === null) return true;
  const difference = Math.abs(ours - theirs);
  if (difference >= t.units) return true;
  return t.ratio > 0 && difference / Math.max(ours, theirs, 1) >= t.ratio;
}

/** Just newer than our figure, and never older than the supplier's own timestamp. */
export function correctionAsOf(theirsAsOf: string | null, ours: StockRecord | null, readAt: string): string {
  const floor = ours === null ? 0 : Date.parse(ours.supplierAsOf) + 1;
  const supplier = Date.parse(theirsAsOf ?? readAt);
  return new Date(Math.max(floor, supplier)).toISOString();
}

interface Counts {
  checked: number;
  discrepancies: number;
  corrected: number;
}

export async function reconcileStock(options: ReconcileOptions): Promise<ReconciliationRun> {
  const now = options.now ?? Date.now;
  const iso = (ms = now()) => new Date(ms).toISOString();
  const log = options.log.child({ component: 'reconcile' });
  const signal = options.signal ?? new AbortController().signal;
  let run: ReconciliationRun = { id: `rec-${iso().replace(/[-:.]/g, '')}-${randomUUID().slice(0, 8)}`, startedAt: iso(), finishedAt: null, status: 'running', suppliers: [] };
  await options.discrepancies.deleteRunsBefore(iso(now() - (options.retentionMs ?? 30 * 86_400_000)));
  await options.discrepancies.saveRun(run);

  async function compareBatch(connector: SupplierConnector, batch: readonly MappedSku[], counts: Counts, ctx: CallContext): Promise<void> {
    const supplier = connector.supplier;
    const answer = await observeStock(connector, batch.map((m) => m.supplierSku), ctx);
    const figures = new Map(answer.stock.map((s) => [s.supplierSku, s]));
    const readAt = iso();
    const rows = await options.stock.getBySkus(batch.map((m) => m.sku));
    const found: DiscrepancyRecord[] = [];
    for (const [i, mapped] of batch.entries()) {
      counts.checked += 1;
      const row = rows[i]!.find((r) => r.supplier === supplier) ?? null;
      const figure = figures.get(mapped.supplierSku) ?? null;
      const ours = row?.onHand ?? null;
      const theirs = figure?.available ?? null;
      if (ours === theirs) continue;
      let resolution: DiscrepancyResolution = options.correct === false ? 'report-only' : 'below-threshold';
      if (resolution !== 'report-only' && pastThreshold(ours, theirs, options.thresholds)) {
        const current = await options.stock.get(mapped.sku, supplier);
        if ((current?.version ?? null) !== (row?.version ?? null)) {
          resolution = 'changed-meanwhile';
        } else {
          const result = await options.updater.applyReport(
            { sku: mapped.sku, supplier, supplierSku: mapped.supplierSku, onHand: theirs ?? 0, supplierAsOf: correctionAsOf(figure?.asOf ?? null, current, readAt) },
            'reconcile',
          );
          resolution = result.outcome === 'applied' ? 'corrected' : 'changed-meanwhile';
        }
      }
      found.push({
        runId: run.id,
        sku: mapped.sku,
        supplier,
        supplierSku: mapped.supplierSku,
        ours,
        theirs,
        oursAsOf: row?.supplierAsOf ?? null,
        ageMs: row === null ? null : Math.max(0, now() - Date.parse(row.receivedAt)),
        detectedAt: readAt,
        corrected: resolution === 'corrected',
        resolution,
      });
    }
    await options.discrepancies.addDiscrepancies(found);
    await options.offers?.record(supplier, batch.map((m) => m.supplierSku), batch.flatMap((m) => figures.get(m.supplierSku) ?? []), answer.observedAt);
    const corrected = found.filter((d) => d.corrected).length;
    counts.discrepancies += found.length;
    counts.corrected += corrected;
    options.metrics.discrepancies(supplier, found.length, corrected);
  }

  async function reconcileSupplier(connector: SupplierConnector): Promise<SupplierRunSummary> {
    const supplier = connector.supplier;
    const ctx: CallContext = { signal, log: log.child({ supplier, op: 'reconcile' }), requestId: `${run.id}-${supplier}`, lane: 'sync' };
    const counts: Counts = { checked: 0, discrepancies: 0, corrected: 0 };
    const progress = (done: boolean) => options.onProgress?.({ runId: run.id, supplier, ...counts, done });
    let error: string | null = null;
    try {
      await forEachConcurrently(mappedSkuBatches(options.catalog, supplier, connector.maxStockBatch), options.concurrency ?? 4, async (batch) => {
        await compareBatch(connector, batch, counts, ctx);
        progress(false);
      });
    } catch (caught) {
      if (signal.aborted) throw caught;
      error = storedFailureText(caught);
      log.warn({ supplier, ...(isRegistryError(caught) ? supplierFailureFields(caught) : { err: caught }) }, 'reconciliation of a supplier stopped early');
    }
    progress(true);
    options.metrics.supplierReconciled?.(supplier, counts.checked, counts.discrepancies, error === null);
    return { supplier, ...counts, error };
  }

  try {
    for (const connector of options.connectors) {
      const summary = await reconcileSupplier(connector);
      run = { ...run, suppliers: [...run.suppliers, summary] };
      await options.discrepancies.saveRun(run);
    }
    run = { ...run, status: 'completed', finishedAt: iso() };
    await options.discrepancies.saveRun(run);
    options.metrics.reconcileRun('completed');
    log.info({ runId: run.id, suppliers: run.suppliers }, 'reconciliation run completed');
    return run;
  } catch (error) {
    options.metrics.reconcileRun('failed');
    run = { ...run, status: 'failed', finishedAt: iso() };
    await options.discrepancies.saveRun(run).catch(() => undefined);
    throw error;
  }
}
