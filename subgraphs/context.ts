import type { Logger } from '../platform/logger.ts';
import type { Principal } from '../platform/auth/principal.ts';

/** What every subgraph resolver receives. Built per request by subgraphs/serve.ts. */
export interface SubgraphContext {
  readonly requestId: string;
  readonly log: Logger;
  /** Owner of the data the request may see and change: `auth.tenant`. */
  readonly tenant: string;
  /** Who the request acts for, from the gateway's verified signature (docs/security.md). */
  readonly auth: Principal;
}
