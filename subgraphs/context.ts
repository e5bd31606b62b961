import type { Logger } from '../platform/logger.ts';

/** What every subgraph resolver receives. Built per request by subgraphs/serve.ts. */
export interface SubgraphContext {
  readonly requestId: string;
  readonly log: Logger;
  /** Owner of the data the request may see; a single default tenant until partner tokens exist. */
  readonly tenant: string;
}
