import type { SupplierMetrics } from '../platform/metrics.ts';

export interface LastSupplierError {
  readonly code: string;
  readonly errorClass: string;
  readonly operation: string;
  readonly at: string;
}

export interface SupplierStatusTracker {
  /** The process metrics, teed so the tracker also sees each error (for the operators' `suppliers` query). */
  readonly metrics: SupplierMetrics;
  lastError(): LastSupplierError | null;
}

/** Remembers the last error of one supplier's calls, as seen by the traffic layer's metrics events. */
export function createSupplierStatusTracker(supplier: string, metrics: SupplierMetrics): SupplierStatusTracker {
  let last: LastSupplierError | null = null;
  return {
    metrics: {
      ...metrics,
      error: (event) => {
        if (event.supplier === supplier) last = { code: event.code, errorClass: event.errorClass, operation: event.operation, at: new Date().toISOString() };
        metrics.error(event);
      },
    },
    lastError: () => last,
  };
}
