/** A supplier's status as the operators' `suppliers` query shows it (see schema/generate.ts, STATUS_FIELDS). */
export interface SupplierStatusView {
  readonly name: string;
  readonly displayName: string;
  readonly health: 'HEALTHY' | 'DEGRADED' | 'DOWN';
  readonly breakerState: 'CLOSED' | 'HALF_OPEN' | 'OPEN';
  readonly quotaRemaining: number | null;
  readonly quotas: readonly { readonly bucket: string; readonly remaining: number }[];
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
  /** The supplier's own code for the last error, when it gave one. */
  readonly lastErrorSupplierCode: string | null;
  /** Over the last 5 minutes in this process: p95 answer time (ms) and failed share of sent calls; null without calls. */
  readonly p95LatencyMs: number | null;
  readonly errorRate: number | null;
  /** Calls per minute over the last 15 minutes, oldest first (`at`: ISO start of the minute). */
  readonly recentCalls: readonly { readonly at: string; readonly calls: number; readonly errors: number; readonly p95LatencyMs: number | null }[];
  /** Per service group (each has its own breaker): CATALOG (catalog and prices), STOCK, ORDERS. */
  readonly groups: readonly SupplierGroupStatusView[];
}

export interface SupplierGroupStatusView {
  readonly group: 'CATALOG' | 'STOCK' | 'ORDERS';
  readonly health: 'HEALTHY' | 'DEGRADED' | 'DOWN';
  readonly breakerState: 'CLOSED' | 'HALF_OPEN' | 'OPEN';
  /** The group's last error, as CODE (class) operation, or null. */
  readonly lastError: string | null;
}

/** Without a traffic layer (tests, minimal setups) a supplier reports itself healthy with no quota known. */
export const unknownStatus = (name: string, displayName: string): SupplierStatusView => ({
  name,
  displayName,
  health: 'HEALTHY',
  breakerState: 'CLOSED',
  quotaRemaining: null,
  quotas: [],
  lastError: null,
  lastErrorAt: null,
  lastErrorSupplierCode: null,
  p95LatencyMs: null,
  errorRate: null,
  recentCalls: [],
  groups: (['CATALOG', 'STOCK', 'ORDERS'] as const).map((group) => ({ group, health: 'HEALTHY', breakerState: 'CLOSED', lastError: null })),
});
