import { SERVICE_GROUPS } from '../adapters/core/connector.ts';
import type { BreakerState } from '../adapters/core/policies/circuit-breaker.ts';
import type { SupplierDescriptor } from '../platform/supplier-registry.ts';
import type { SupplierStatusView } from '../subgraphs/supplier/status-view.ts';
import type { SupplierTraffic } from './supplier-traffic.ts';

const RECENT_ERROR_MS = 60_000;
const BREAKER = { closed: 'CLOSED', 'half-open': 'HALF_OPEN', open: 'OPEN' } as const;

/**
 * What operators see of one supplier, read from its traffic layer in this process. A supplier whose initial catalog
 * and stock sync is still pending (it was down, or refused our credentials, at start) is never shown HEALTHY.
 * Per service group (catalog/prices, stock, orders): its breaker and health; the supplier is DOWN only when every
 * group's circuit is open, DEGRADED when any group is not healthy, and `breakerState` is the worst group's.
 */
export function supplierStatusView(descriptor: SupplierDescriptor, traffic: SupplierTraffic, initialSyncPending: () => boolean = () => false): () => Promise<SupplierStatusView> {
  return async () => {
    const now = Date.now();
    const recent = (at: string | undefined): boolean => at !== undefined && now - Date.parse(at) < RECENT_ERROR_MS;
    const groups = SERVICE_GROUPS.map((group) => {
      const state = traffic.breakers[group].state();
      const lastOf = traffic.status.lastErrorOf(group);
      return {
        group: group.toUpperCase() as Uppercase<typeof group>,
        health: state === 'open' ? ('DOWN' as const) : state === 'half-open' || recent(lastOf?.at) ? ('DEGRADED' as const) : ('HEALTHY' as const),
        breakerState: BREAKER[state],
        lastError: lastOf ? `${lastOf.code} (${lastOf.errorClass}) ${lastOf.operation}` : null,
        state,
      };
    });
    const worst: BreakerState = groups.some((g) => g.state === 'open') ? 'open' : groups.some((g) => g.state === 'half-open') ? 'half-open' : 'closed';
    const last = traffic.status.lastError();
    const calls = traffic.status.calls.summary();
    const levels = await traffic.limiter.peek().catch(() => ({}) as Record<string, number>);
    const quotas = Object.entries(levels).map(([bucket, remaining]) => ({ bucket, remaining: Math.max(0, Math.round(remaining * 100) / 100) }));
    const allDown = groups.every((g) => g.health === 'DOWN');
    const anyUnwell = groups.some((g) => g.health !== 'HEALTHY') || recent(last?.at);
    return {
      name: descriptor.slug,
      displayName: descriptor.displayName,
      health: allDown ? 'DOWN' : anyUnwell || initialSyncPending() ? 'DEGRADED' : 'HEALTHY',
      breakerState: BREAKER[worst],
      groups: groups.map(({ state: _state, ...g }) => g),
      quotaRemaining: quotas.length === 0 ? null : Math.min(...quotas.map((q) => q.remaining)),
      quotas,
      lastError: last ? `${last.code} (${last.errorClass}) ${last.operation}` : null,
      lastErrorAt: last?.at ?? null,
      lastErrorSupplierCode: last?.supplierCode ?? null,
      p95LatencyMs: calls.p95Ms,
      errorRate: calls.errorRate,
      recentCalls: traffic.status.calls.minutes().map((m) => ({ at: new Date(m.at).toISOString(), calls: m.calls, errors: m.errors, p95LatencyMs: m.p95Ms })),
    };
  };
}
