import { CONNECTOR_OPERATIONS, groupOf, type ConnectorOperation, type ServiceGroup } from '../adapters/core/connector.ts';
import type { SupplierMetrics } from '../platform/metrics.ts';
import { createCallWindow, type CallWindow } from './supplier-call-window.ts';

export interface LastSupplierError {
  readonly code: string;
  readonly errorClass: string;
  readonly operation: string;
  readonly at: string;
  /** The supplier's own code for it (HTTP status and error code, SOAP fault, ServiceMessage code), when it gave one. */
  readonly supplierCode?: string;
}

export interface SupplierStatusTracker {
  /** The process metrics, teed so the tracker also sees each call and error (for the operators' `suppliers` query). */
  readonly metrics: SupplierMetrics;
  lastError(): LastSupplierError | null;
  /** The last error of the group's operations (CONNECTOR_OPERATIONS), or null. */
  lastErrorOf(group: ServiceGroup): LastSupplierError | null;
  /** Calls sent to the supplier per minute, with their errors and durations (p95 latency, error rate). */
  readonly calls: CallWindow;
}

const isOperation = (operation: string): operation is ConnectorOperation => operation in CONNECTOR_OPERATIONS;

/**
 * Remembers the last error of one supplier's calls, overall and per service group, and a short window of its calls,
 * as seen by the traffic layer's metrics events: the same events the Prometheus series count, so the console and a
 * dashboard agree (the console's figures are this process's, Prometheus's are summed over processes).
 */
export function createSupplierStatusTracker(supplier: string, metrics: SupplierMetrics, now: () => number = Date.now): SupplierStatusTracker {
  let last: LastSupplierError | null = null;
  const byGroup = new Map<ServiceGroup, LastSupplierError>();
  const calls = createCallWindow(now);
  return {
    metrics: {
      ...metrics,
      call: (event) => {
        // Only calls that were sent: one held back by our own breaker or limiter says nothing of the supplier.
        if (event.supplier === supplier && event.outcome !== 'rejected') calls.record(event.outcome === 'error', event.seconds);
        metrics.call(event);
      },
      error: (event) => {
        if (event.supplier === supplier) {
          last = {
            code: event.code,
            errorClass: event.errorClass,
            operation: event.operation,
            at: new Date(now()).toISOString(),
            ...(event.supplierCode === undefined ? {} : { supplierCode: event.supplierCode }),
          };
          if (isOperation(event.operation)) byGroup.set(groupOf(event.operation), last);
        }
        metrics.error(event);
      },
    },
    lastError: () => last,
    lastErrorOf: (group) => byGroup.get(group) ?? null,
    calls,
  };
}
