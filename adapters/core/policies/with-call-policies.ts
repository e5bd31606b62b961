import type { SupplierConnector } from '../connector.ts';
import { withTrafficControl, type TrafficControlOptions } from './with-traffic-control.ts';

/**
 * Kept for the connectors that wrap themselves (brightline, harborpromo, maplecart): the same single policy
 * composition as withTrafficControl. With only `timeoutMs`, `retry` and `onRetry` it behaves as it always did —
 * a per-attempt deadline on every call, retries on reads, one attempt for writes. Pass `limiter`, `breaker`,
 * `concurrency`, `metrics` (and `throttleStatus` for a cost-based supplier) to add traffic control.
 */
export type CallPolicyOptions = TrafficControlOptions;

export function withCallPolicies(inner: SupplierConnector, options: CallPolicyOptions = {}): SupplierConnector {
  return withTrafficControl(inner, options);
}
