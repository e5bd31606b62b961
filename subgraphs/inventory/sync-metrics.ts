/**
 * Metrics of inventory truth: webhook deliveries, what ingest did with them, every stock write by source and
 * outcome, poll runs and reconciliation findings. Registered on a registry the caller owns (platform/metrics.ts's
 * per-process registry), never prom-client's global one. Label values are bounded: supplier slugs from the
 * registry (unknown ones are reported as "unknown"), and the fixed outcome words below.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { StockChangeSource } from './stock-events.ts';
import type { StockUpdater } from './stock-updater.ts';

/** What the webhook endpoint answered; the words are the `outcome` label values. */
export type WebhookOutcome =
  | 'accepted' // stored in the inbox, 202
  | 'duplicate' // delivery id seen before, 200, nothing written
  | 'ignored' // verified, but its topic says nothing about stock (orders), 202, nothing written
  | 'forged' // 401
  | 'stale' // 401, signed timestamp outside the window
  | 'malformed' // 400
  | 'oversized' // 413
  | 'unknown_supplier' // 404
  | 'error'; // 503, the inbox could not be written: the supplier retries

/** What ingest did with one signal of a stored delivery. */
export type IngestOutcome = 'applied' | 'unchanged' | 'stale' | 'unmapped' | 'not_found' | 'failed';

export interface InventorySyncMetrics {
  readonly registry: Registry;
  webhook(supplier: string, outcome: WebhookOutcome, ackSeconds?: number): void;
  ingested(supplier: string, outcome: IngestOutcome, count?: number): void;
  /** Every report through the stock updater: `stale` is an update older than the last accepted one, ignored. */
  stockUpdate(supplier: string, source: StockChangeSource, outcome: 'applied' | 'stale'): void;
  pollRun(supplier: string, outcome: 'ok' | 'error', seconds: number): void;
  polled(supplier: string, outcome: 'applied' | 'unchanged' | 'missing', count: number): void;
  discrepancies(supplier: string, found: number, corrected: number): void;
  reconcileRun(outcome: 'completed' | 'failed'): void;
  /** Stored deliveries this process has queued or is applying. */
  inboxBacklog(count: number): void;
  /**
   * Where the age of the oldest delivery this process has queued or is applying is read at scrape time (seconds,
   * null when none): a backlog that does not move shows as an age that grows, whatever the count.
   */
  inboxOldestAge(read: () => number | null): void;
  /** Time from a delivery's arrival to its signals being applied. */
  ingestLag(supplier: string, seconds: number): void;
  /** A webhook's stock signal confirmed the supplier's figures (applied or unchanged): the freshness gauge. */
  stockConfirmed(supplier: string): void;
  /** One reconciliation pass over a supplier: its SKUs read, the differences found, and whether it completed. */
  supplierReconciled(supplier: string, checked: number, discrepancies: number, completed: boolean): void;
}

export function createInventorySyncMetrics(registry: Registry): InventorySyncMetrics {
  const registers = [registry];
  const deliveries = new Counter({ name: 'webhook_deliveries_total', help: 'Supplier webhook deliveries by what the endpoint answered', labelNames: ['supplier', 'outcome'], registers });
  const ack = new Histogram({
    name: 'webhook_ack_seconds',
    help: 'Time from the request to the acknowledgement of an accepted webhook delivery',
    labelNames: ['supplier'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers,
  });
  const ingested = new Counter({ name: 'webhook_signals_processed_total', help: 'Stock signals of stored webhook deliveries, by what ingest did with them', labelNames: ['supplier', 'outcome'], registers });
  const updates = new Counter({ name: 'stock_updates_total', help: 'Supplier figures through the stock updater; stale = older than the last accepted, ignored', labelNames: ['supplier', 'source', 'outcome'], registers });
  const pollRuns = new Counter({ name: 'stock_poll_runs_total', help: 'Stock poll passes per supplier', labelNames: ['supplier', 'outcome'], registers });
  const pollSeconds = new Histogram({ name: 'stock_poll_duration_seconds', help: 'Duration of one poll pass', labelNames: ['supplier'], buckets: [0.1, 0.5, 1, 5, 15, 60, 300], registers });
  const polled = new Counter({ name: 'stock_polled_items_total', help: 'Supplier SKUs read by the poller, by outcome', labelNames: ['supplier', 'outcome'], registers });
  const found = new Counter({ name: 'stock_discrepancies_found_total', help: 'Stock discrepancies found by reconciliation', labelNames: ['supplier'], registers });
  const corrected = new Counter({ name: 'stock_discrepancies_corrected_total', help: 'Stock discrepancies corrected by reconciliation', labelNames: ['supplier'], registers });
  const runs = new Counter({ name: 'reconciliation_runs_total', help: 'Reconciliation runs by outcome', labelNames: ['outcome'], registers });
  const backlog = new Gauge({ name: 'webhook_inbox_backlog', help: 'Stored webhook deliveries this process has queued or is applying', registers });
  // Freshness: the last time this supplier's figures were confirmed (a poll pass that completed, a webhook signal
  // applied or unchanged, a reconciliation pass that completed). Alerts compare it with time().
  const refreshed = new Gauge({ name: 'stock_last_refresh_timestamp_seconds', help: "Unix time this supplier's stock figures were last confirmed (poll pass, webhook signal, reconciliation)", labelNames: ['supplier'], registers });
  const drift = new Gauge({ name: 'reconciliation_drift_ratio', help: "Share of a supplier's SKUs whose figures differed from the supplier's in the last completed reconciliation pass", labelNames: ['supplier'], registers });
  const reconciled = new Gauge({ name: 'reconciliation_last_success_timestamp_seconds', help: 'Unix time of the last completed reconciliation pass over a supplier', labelNames: ['supplier'], registers });
  const lag = new Histogram({
    name: 'webhook_ingest_lag_seconds',
    help: "Time from a webhook delivery's arrival to its stock signals being applied",
    labelNames: ['supplier'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 1800],
    registers,
  });
  let oldestAge: () => number | null = () => null;
  new Gauge({
    name: 'webhook_inbox_oldest_age_seconds',
    help: 'Age of the oldest stored webhook delivery this process has queued or is applying (0 when none)',
    registers,
    collect() {
      this.set(oldestAge() ?? 0);
    },
  });
  const nowSeconds = (): number => Date.now() / 1000;

  return {
    registry,
    webhook: (supplier, outcome, ackSeconds) => {
      deliveries.inc({ supplier, outcome });
      if (ackSeconds !== undefined) ack.observe({ supplier }, ackSeconds);
    },
    ingested: (supplier, outcome, count = 1) => ingested.inc({ supplier, outcome }, count),
    // Stock signals only: an order webhook's outcome says nothing about how fresh stock is.
    stockConfirmed: (supplier) => refreshed.set({ supplier }, nowSeconds()),
    stockUpdate: (supplier, source, outcome) => updates.inc({ supplier, source, outcome }),
    pollRun: (supplier, outcome, seconds) => {
      pollRuns.inc({ supplier, outcome });
      if (outcome === 'ok') refreshed.set({ supplier }, nowSeconds());
      pollSeconds.observe({ supplier }, seconds);
    },
    polled: (supplier, outcome, count) => {
      if (count > 0) polled.inc({ supplier, outcome }, count);
    },
    discrepancies: (supplier, foundCount, correctedCount) => {
      if (foundCount > 0) found.inc({ supplier }, foundCount);
      if (correctedCount > 0) corrected.inc({ supplier }, correctedCount);
    },
    reconcileRun: (outcome) => runs.inc({ outcome }),
    inboxBacklog: (count) => backlog.set(count),
    inboxOldestAge: (read) => {
      oldestAge = read;
    },
    ingestLag: (supplier, seconds) => lag.observe({ supplier }, Math.max(0, seconds)),
    supplierReconciled: (supplier, checked, discrepancies, completed) => {
      if (!completed) return; // a pass cut short says nothing about the SKUs it did not read
      const t = nowSeconds();
      reconciled.set({ supplier }, t);
      refreshed.set({ supplier }, t);
      drift.set({ supplier }, checked === 0 ? 0 : discrepancies / checked);
    },
  };
}

/** The current value of one counter series (tests, the benchmark, `npm run reconcile`). 0 when never counted. */
export async function counterValue(registry: Registry, name: string, labels: Readonly<Record<string, string>>): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return 0;
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want))
    .reduce((sum, v) => sum + v.value, 0);
}

/**
 * Counts every report through the one update path by supplier, source and outcome, without changing the path:
 * a decorator, so webhook, poll, reconciliation, import and reservations are all counted alike.
 */
export function withUpdateMetrics(updater: StockUpdater, metrics: Pick<InventorySyncMetrics, 'stockUpdate'>): StockUpdater {
  return {
    // Spread first: whatever else the updater offers passes through untouched.
    ...updater,
    async applyReport(report, source) {
      const result = await updater.applyReport(report, source);
      metrics.stockUpdate(report.supplier, source, result.outcome);
      return result;
    },
  };
}
