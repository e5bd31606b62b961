import { registryError } from '../kernel/errors.ts';
import type { SubgraphContext } from './context.ts';

/**
 * Runs one store call of a request within what is left of the request's budget, less the subgraph's reserve: a
 * store that does not answer in time (a hung MongoDB whose sockets stay open — the driver notices only when its
 * heartbeat fails, seconds later) fails this call with STORE_UNAVAILABLE naming the store and the operation, so the
 * subgraph answers its part degraded before the gateway stops waiting (docs/configuration.md, "Stores and their
 * outages"). The store call itself is not cancelled (the driver has no per-call cancel): it ends when the driver's
 * own timeouts end it, and its outcome is dropped.
 */
export async function withinBudget<T>(ctx: Pick<SubgraphContext, 'budget' | 'reserveMs'>, store: string, operation: string, run: () => Promise<T>): Promise<T> {
  const leftMs = Math.max(0, ctx.budget.deadlineAt - ctx.reserveMs - Date.now());
  const call = run();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(registryError('STORE_UNAVAILABLE', `the ${store} store did not answer ${operation} within the request's budget (${leftMs} ms left); retry later`, { operation, details: { store } })),
      leftMs,
    );
  });
  try {
    return await Promise.race([call, late]);
  } finally {
    clearTimeout(timer);
    // A call that loses the race may still fail later; that outcome has no one waiting for it.
    call.catch(() => {});
  }
}
