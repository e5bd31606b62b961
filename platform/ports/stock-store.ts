/**
 * Port: canonical stock per (product, supplier). Every write is decided by one single-document atomic step (an
 * insert-once version claim on MongoDB, see adapters/storage/mongo/stock-store.ts), so concurrent writers never
 * lose an update.
 */

export interface StockRecord {
  readonly sku: string;
  readonly supplier: string;
  readonly supplierSku: string;
  /** On hand as the supplier last reported it. */
  readonly onHand: number;
  /** Held by our reservations: the sum of the row's `reserved` holds. */
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

/**
 * One reservation's units on a stock row, keyed by `ref` (the reservation id). The ledger lives in the row itself,
 * so taking, releasing and committing a hold change the counter and the ledger in one single-document write: each
 * is exactly-once without transactions (see docs/inventory.md).
 */
export interface StockHold {
  readonly ref: string;
  readonly units: number;
  /** `reserved`: counted in `reserved`; `committed`: moved to a placed order, counted in `committed`. */
  readonly state: 'reserved' | 'committed';
}

/**
 * A ref released before its hold was ever applied (a crashed or slow reserver). Remembered until `until`
 * (ISO 8601) so a late attempt to apply it is refused; stores drop it after that.
 */
export interface ClosedHold {
  readonly ref: string;
  readonly until: string;
}

/** What a mutation sees: the record and its hold ledger. */
export interface StockState {
  readonly record: StockRecord;
  readonly holds: readonly StockHold[];
  readonly closed: readonly ClosedHold[];
}

/**
 * What a mutation may set; omitted fields are kept. `onHand` and `supplierAsOf` change only through supplier
 * reports; `available` and `version` are always computed by the store.
 */
export interface StockFields {
  readonly reserved?: number;
  readonly committed?: number;
  readonly buffer?: number;
  readonly holds?: readonly StockHold[];
  readonly closed?: readonly ClosedHold[];
}

/** A mutation's decision on the state it was shown: new fields, or a refusal with its reason. */
export type StockChange =
  | { readonly set: StockFields }
  | { readonly reject: string; readonly details?: Readonly<Record<string, unknown>> };

export type MutateResult =
  | { readonly outcome: 'applied'; readonly before: StockRecord; readonly after: StockRecord }
  /** The change set nothing new (e.g. a hold already taken): no version was written. */
  | { readonly outcome: 'unchanged'; readonly current: StockRecord }
  | { readonly outcome: 'rejected'; readonly current: StockRecord; readonly reason: string; readonly details?: Readonly<Record<string, unknown>> }
  /** No row for (sku, supplier): there is no stock figure to change. */
  | { readonly outcome: 'missing' };

export type ApplyResult =
  | { readonly outcome: 'applied'; readonly before: StockRecord | null; readonly after: StockRecord }
  | { readonly outcome: 'stale'; readonly current: StockRecord };

export interface StockStore {
  /**
   * Accepts a supplier report unless one with a later (or equal) `supplierAsOf` was already accepted. Concurrent
   * writers never lose an update: the write is conditional on the version read.
   */
  applyReport(report: StockReport, defaultBuffer: number): Promise<ApplyResult>;
  /**
   * Runs `change` on the current state of an existing row and writes its result as the next version, conditional
   * on the version read; when another writer got there first, re-reads and runs `change` again. So `change` must be
   * a pure function of the state it is shown (it may run several times). Used for reserved/committed/buffer.
   */
  mutate(sku: string, supplier: string, change: (current: StockState) => StockChange): Promise<MutateResult>;
  /** The row with its hold ledger; null when absent. */
  getState(sku: string, supplier: string): Promise<StockState | null>;
  /** All supplier rows for each SKU, grouped in the order of `skus`. */
  getBySkus(skus: readonly string[]): Promise<StockRecord[][]>;
  get(sku: string, supplier: string): Promise<StockRecord | null>;
  clear(): Promise<void>;
}
