/** Port: canonical stock per (product, supplier). Every write is one single-document conditional update. */

export interface StockRecord {
  readonly sku: string;
  readonly supplier: string;
  readonly supplierSku: string;
  /** On hand as the supplier last reported it. */
  readonly onHand: number;
  /** Held by our reservations (later issue: reservations). */
  readonly reserved: number;
  /** Committed to placed orders the supplier has not confirmed yet. */
  readonly committed: number;
  /** Safety buffer never sold. */
  readonly buffer: number;
  /** max(0, onHand − reserved − committed − buffer), kept in the document so queries can filter on it. */
  readonly available: number;
  /** Supplier's timestamp of the last accepted update (ISO 8601); older updates are ignored. */
  readonly supplierAsOf: string;
  /** When we accepted it (ISO 8601). */
  readonly receivedAt: string;
  /** Incremented on every accepted write. */
  readonly version: number;
}

export interface StockReport {
  readonly sku: string;
  readonly supplier: string;
  readonly supplierSku: string;
  readonly onHand: number;
  readonly supplierAsOf: string;
}

export type ApplyResult =
  | { readonly outcome: 'applied'; readonly before: StockRecord | null; readonly after: StockRecord }
  | { readonly outcome: 'stale'; readonly current: StockRecord };

export interface StockStore {
  /**
   * Accepts a supplier report unless one with a later (or equal) `supplierAsOf` was already accepted. Concurrent
   * writers never lose an update: the write is conditional on the version read.
   */
  applyReport(report: StockReport, defaultBuffer: number): Promise<ApplyResult>;
  /** All supplier rows for each SKU, grouped in the order of `skus`. */
  getBySkus(skus: readonly string[]): Promise<StockRecord[][]>;
  get(sku: string, supplier: string): Promise<StockRecord | null>;
  clear(): Promise<void>;
}
