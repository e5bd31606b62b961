/**
 * One supplier call outside the connector port (e.g. resolving a webhook's item ids) under the supplier's own
 * traffic policies: the same breaker, shared rate-limit buckets, concurrency cap and deadline as its connector,
 * so such calls neither bypass the supplier's published limits nor hammer a supplier whose circuit is open.
 */
import { groupOf, type CallContext, type ConnectorOperation } from '../../adapters/core/connector.ts';
import type { CallPolicyOptions } from '../../adapters/core/policies/with-call-policies.ts';
import { runAttempt } from '../../adapters/core/policies/traffic-attempt.ts';

/** `as` names the connector operation whose buckets (and cost estimate) the call is counted under. */
export type PolicedCall = <T>(as: ConnectorOperation, ctx: CallContext, call: (ctx: CallContext) => Promise<T>) => Promise<T>;

export function createPolicedCall(supplier: string, policies: CallPolicyOptions): PolicedCall {
  const timeoutMs = policies.timeoutMs ?? 10_000;
  return (operation, ctx, call) => {
    const maxWaitMs = typeof policies.maxWaitMs === 'function' ? policies.maxWaitMs(ctx, operation) : (policies.maxWaitMs ?? timeoutMs);
    // The breaker of the operation's service group (stock lookups trip and wait with stock reads), as the connector does.
    const breaker = policies.breakers?.[groupOf(operation)] ?? policies.breaker;
    return runAttempt({ ...policies, supplier, operation, ctx, timeoutMs, maxWaitMs, ...(breaker ? { breaker } : {}) }, call);
  };
}
