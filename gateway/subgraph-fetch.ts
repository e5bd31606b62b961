import type { Logger } from '../platform/logger.ts';
import { REQUEST_BUDGET_HEADER, type BudgetSettings } from '../platform/http/request-budget.ts';
import { REQUEST_ID_HEADER } from '../platform/http/request-id.ts';
import { subgraphTimedOut, subgraphUnreachable, supplierOfSubgraph } from './degraded-suppliers.ts';
import { injectTraceHeaders } from '../platform/tracing/spans.ts';

/**
 * The fetch of one subgraph's data source. It waits for what is left of the request's budget (the data source sent
 * it along in `x-request-budget-ms`) plus a grace: the subgraph keeps a reserve out of the same figure to answer
 * degraded, so it always answers first, and this timeout fires only when a subgraph process itself is stuck or gone.
 * Each such failure is logged once, naming the subgraph and its supplier, and reaches the client as SUBGRAPH_TIMEOUT
 * or SUBGRAPH_UNREACHABLE (docs/errors.md) instead of Apollo's anonymous fetch error. `send`: global fetch, or the
 * keep-alive pool (subgraph-pool.ts, GATEWAY_SUBGRAPH_POOL=on).
 */
export function createSubgraphFetch(name: string, budget: BudgetSettings, log: Logger, send?: (input: string, init: RequestInit) => Promise<Response>) {
  const supplier = supplierOfSubgraph(name);
  return async (input: string, init: RequestInit): Promise<Response> => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    const handedMs = Number(headers[REQUEST_BUDGET_HEADER] ?? budget.defaultMs);
    const waitMs = handedMs + budget.graceMs;
    // W3C trace context of the gateway's fetch span (tracing on only): the subgraph continues the same trace.
    injectTraceHeaders(headers);
    try {
      // Without `send`, the global fetch as it is at call time (a test may wrap it after the gateway starts).
      return await (send ?? fetch)(input, { ...init, signal: AbortSignal.timeout(waitMs) });
    } catch (error) {
      const fields = { requestId: headers[REQUEST_ID_HEADER], subgraph: name, ...(supplier ? { supplier } : {}) };
      if (error instanceof Error && error.name === 'TimeoutError') {
        log.warn({ ...fields, budgetMs: handedMs, waitedMs: waitMs }, 'subgraph did not answer within the request budget');
        throw subgraphTimedOut(name, waitMs);
      }
      // Refused, reset, unresolvable: the subgraph process is not there. Expected in an outage: no stack trace.
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      log.warn({ ...fields, error: cause instanceof Error ? `${(cause as { code?: string }).code ?? cause.name}: ${cause.message}` : String(cause) }, 'subgraph unreachable');
      throw subgraphUnreachable(name);
    }
  };
}
