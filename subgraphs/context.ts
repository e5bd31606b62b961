import type { Logger } from '../platform/logger.ts';
import type { Principal } from '../platform/auth/principal.ts';
import type { RequestBudget } from '../platform/http/request-budget.ts';

/** What every subgraph resolver receives. Built per request by subgraphs/serve.ts. */
export interface SubgraphContext {
  readonly requestId: string;
  readonly log: Logger;
  /** Owner of the data the request may see and change: `auth.tenant`. */
  readonly tenant: string;
  /** Who the request acts for, from the gateway's verified signature (docs/security.md). */
  readonly auth: Principal;
  /**
   * What is left of the request's time budget, as the gateway handed it over (`x-request-budget-ms`). Work that can
   * outlast it (supplier calls) derives its deadline from `budget.deadlineAt` minus `reserveMs`, so the subgraph
   * still has time to answer degraded before the gateway stops waiting (docs/architecture.md).
   */
  readonly budget: RequestBudget;
  /** Kept back from the budget to answer degraded. */
  readonly reserveMs: number;
}
