import { CONNECTOR_OPERATIONS, groupOf, type ConnectorOperation, type ServiceGroup } from '../adapters/core/connector.ts';
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
  /** The last error of the group's operations (CONNECTOR_OPERATIONS), or null. */
  lastErrorOf(group: ServiceGroup): LastSupplierError | null;
}

const isOperation = (operation: string): operation is ConnectorOperation => operation in CONNECTOR_OPERATIONS;

/** Remembers the last error of one supplier's calls, overall and per service group, as seen by the traffic layer's metrics events. */
export function createSupplierStatusTracker(supplier: string, metrics: SupplierMetrics): SupplierStatusTracker {
  let last: LastSupplierError | null = null;
  const byGroup = new Map<ServiceGroup, LastSupplierError>();
  return {
    metrics: {
      ...metrics,
      error: (event) => {
        if (event.supplier === supplier) {
          last = { code: event.code, errorClass: event.errorClass, operation: event.operation, at: new Date().toISOString() };
          if (isOperation(event.operation)) byGroup.set(groupOf(event.operation), last);
        }
        metrics.error(event);
      },
    },
    lastError: () => last,
    lastErrorOf: (group) => byGroup.get(group) ?? null,
  };
}
