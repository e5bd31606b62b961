/**
 * Port: what reconciliation found (MongoDB `stock_discrepancies` and `reconciliation_runs` in production,
 * in-memory embedded). A run is written by one reconciler; discrepancies are inserted under a unique
 * (run, supplier, sku) so a retried batch cannot list one twice.
 */

export type DiscrepancyResolution = 'corrected' | 'below-threshold' | 'changed-meanwhile' | 'report-only';

export interface DiscrepancyRecord {
  readonly runId: string;
  /** Canonical SKU. */
  readonly sku: string;
  readonly supplier: string;
  readonly supplierSku: string;
  /** Our on-hand figure for the supplier; null when we held none. */
  readonly ours: number | null;
  /** The supplier's figure in its full snapshot; null when it no longer lists the SKU. */
  readonly theirs: number | null;
  /** Supplier timestamp of our figure (ISO 8601); null when we held none. */
  readonly oursAsOf: string | null;
  /** How old our figure was when compared (ms since we accepted it); null when we held none. */
  readonly ageMs: number | null;
  readonly detectedAt: string;
  /** True when reconciliation overwrote our figure with the supplier's. */
  readonly corrected: boolean;
  /**
   * Why it was or was not corrected: `below-threshold`; `changed-meanwhile` (a newer figure landed between the
   * comparison and the correction, and wins); `report-only` (a run asked not to correct anything).
   */
  readonly resolution: DiscrepancyResolution;
}

export interface SupplierRunSummary {
  readonly supplier: string;
  /** Mapped supplier SKUs compared. */
  readonly checked: number;
  readonly discrepancies: number;
  readonly corrected: number;
  /** The supplier failed mid-run: the summary covers what was compared before. */
  readonly error: string | null;
}

export interface ReconciliationRun {
  readonly id: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly status: 'running' | 'completed' | 'failed';
  readonly suppliers: readonly SupplierRunSummary[];
}

export interface DiscrepancyPage {
  readonly items: readonly DiscrepancyRecord[];
  readonly nextCursor: string | null;
  readonly totalCount: number;
}

export interface DiscrepancyStore {
  /** Creates or replaces the run document (one reconciler owns a run). */
  saveRun(run: ReconciliationRun): Promise<void>;
  getRun(id: string): Promise<ReconciliationRun | null>;
  /** Newest first; `first` is 1..100. */
  listRuns(first: number): Promise<ReconciliationRun[]>;
  /** Inserts; a (run, supplier, sku) already stored is left as it is. */
  addDiscrepancies(records: readonly DiscrepancyRecord[]): Promise<void>;
  /** One run's discrepancies ordered by (supplier, sku); `first` is 1..500. */
  listDiscrepancies(runId: string, first: number, after: string | null): Promise<DiscrepancyPage>;
  /** Deletes runs started before `before`, with their discrepancies. Returns how many runs. */
  deleteRunsBefore(before: string): Promise<number>;
  clear(): Promise<void>;
}
