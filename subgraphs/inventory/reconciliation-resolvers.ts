/**
 * `stockDiscrepancies` and `reconciliationRuns`: what reconciliation found, read from the discrepancy store.
 * Merged into the inventory subgraph's resolvers (index.ts).
 */
import type { DiscrepancyRecord, DiscrepancyResolution, DiscrepancyStore, ReconciliationRun } from '../../platform/ports/discrepancy-store.ts';
import type { SubgraphContext } from '../context.ts';
import type { Resolvers } from './generated/resolvers-types.ts';

/** What `stockDiscrepancies` resolves to before its fields are read. */
export interface DiscrepancyConnection {
  readonly run: ReconciliationRun | null;
  readonly items: readonly DiscrepancyRecord[];
  readonly nextCursor: string | null;
  readonly totalCount: number;
}

const RESOLUTION = {
  corrected: 'CORRECTED',
  'below-threshold': 'BELOW_THRESHOLD',
  'changed-meanwhile': 'CHANGED_MEANWHILE',
  'report-only': 'REPORT_ONLY',
} as const satisfies Record<DiscrepancyResolution, string>;

const STATUS = { running: 'RUNNING', completed: 'COMPLETED', failed: 'FAILED' } as const;

const total = (run: ReconciliationRun, pick: (s: ReconciliationRun['suppliers'][number]) => number): number =>
  run.suppliers.reduce((sum, s) => sum + pick(s), 0);

type ReconciliationResolvers = Pick<Resolvers<SubgraphContext>, 'Query' | 'StockDiscrepancy' | 'StockDiscrepancyConnection' | 'ReconciliationRun'>;

export function createReconciliationResolvers(store: DiscrepancyStore): ReconciliationResolvers {
  return {
    Query: {
      stockDiscrepancies: async (_root, args): Promise<DiscrepancyConnection> => {
        const run = args.runId ? await store.getRun(args.runId) : ((await store.listRuns(1))[0] ?? null);
        if (run === null) {
          // Still validate the arguments, so a bad cursor is an error whether or not a run exists.
          if (args.runId) await store.listDiscrepancies(args.runId, args.first, args.after ?? null);
          return { run: null, items: [], nextCursor: null, totalCount: 0 };
        }
        const page = await store.listDiscrepancies(run.id, args.first, args.after ?? null);
        return { run, ...page };
      },
      reconciliationRuns: (_root, args) => store.listRuns(args.first),
    },
    StockDiscrepancyConnection: {
      run: (c) => c.run,
      nodes: (c) => [...c.items],
      pageInfo: (c) => ({ hasNextPage: c.nextCursor !== null, endCursor: c.nextCursor }),
      totalCount: (c) => c.totalCount,
    },
    StockDiscrepancy: {
      product: (d) => ({ sku: d.sku }),
      difference: (d) => (d.theirs ?? 0) - (d.ours ?? 0),
      ageSeconds: (d) => (d.ageMs === null ? null : Math.round(d.ageMs / 1000)),
      resolution: (d) => RESOLUTION[d.resolution],
    },
    ReconciliationRun: {
      status: (run) => STATUS[run.status],
      checked: (run) => total(run, (s) => s.checked),
      discrepancies: (run) => total(run, (s) => s.discrepancies),
      corrected: (run) => total(run, (s) => s.corrected),
      suppliers: (run) => [...run.suppliers],
    },
  };
}
