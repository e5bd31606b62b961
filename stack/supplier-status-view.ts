import type { SupplierDescriptor } from '../subgraphs/supplier-registry.ts';
import type { SupplierStatusView } from '../subgraphs/supplier/status-view.ts';
import type { SupplierTraffic } from './supplier-traffic.ts';

const RECENT_ERROR_MS = 60_000;
const BREAKER = { closed: 'CLOSED', 'half-open': 'HALF_OPEN', open: 'OPEN' } as const;

/**
 * What operators see of one supplier, read from its traffic layer in this process. A supplier whose initial catalog
 * and stock sync is still pending (it was down, or refused our credentials, at start) is never shown HEALTHY.
 */
export function supplierStatusView(descriptor: SupplierDescriptor, traffic: SupplierTraffic, initialSyncPending: () => boolean = () => false): () => Promise<SupplierStatusView> {
  return async () => {
    const breaker = traffic.breaker.state();
    const last = traffic.status.lastError();
    const levels = await traffic.limiter.peek().catch(() => ({}) as Record<string, number>);
    const quotas = Object.entries(levels).map(([bucket, remaining]) => ({ bucket, remaining: Math.max(0, Math.round(remaining * 100) / 100) }));
    const recentError = last !== null && Date.now() - Date.parse(last.at) < RECENT_ERROR_MS;
    return {
      name: descriptor.slug,
      displayName: descriptor.displayName,
      health: breaker === 'open' ? 'DOWN' : breaker === 'half-open' || recentError || initialSyncPending() ? 'DEGRADED' : 'HEALTHY',
      breakerState: BREAKER[breaker],
      quotaRemaining: quotas.length === 0 ? null : Math.min(...quotas.map((q) => q.remaining)),
      quotas,
      lastError: last ? `${last.code} (${last.errorClass}) ${last.operation}` : null,
      lastErrorAt: last?.at ?? null,
    };
  };
}
