import type { DiscrepancyRecord, DiscrepancyStore, ReconciliationRun } from '../../../platform/ports/discrepancy-store.ts';
import { compareStrings } from '../catalog-keys.ts';
import { checkPageSize, decodeCursor, encodeCursor } from '../cursor.ts';

const keyOf = (r: DiscrepancyRecord): [string, string] => [r.supplier, r.sku];
const compareKeys = (a: readonly string[], b: readonly string[]): number => compareStrings(a[0]!, b[0]!) || compareStrings(a[1]!, b[1]!);

/** The embedded DiscrepancyStore: same ordering, cursors and uniqueness as the MongoDB one. */
export function createMemoryDiscrepancyStore(): DiscrepancyStore {
  const runs = new Map<string, ReconciliationRun>();
  const found = new Map<string, Map<string, DiscrepancyRecord>>(); // run -> supplier \0 sku -> record

  return {
    async saveRun(run) {
      runs.set(run.id, structuredClone(run));
    },

    async getRun(id) {
      const run = runs.get(id);
      return run === undefined ? null : structuredClone(run);
    },

    async listRuns(first) {
      checkPageSize(first, 100);
      return [...runs.values()]
        .sort((a, b) => compareStrings(b.startedAt, a.startedAt) || compareStrings(b.id, a.id))
        .slice(0, first)
        .map((r) => structuredClone(r));
    },

    async addDiscrepancies(records) {
      for (const record of records) {
        let forRun = found.get(record.runId);
        if (forRun === undefined) found.set(record.runId, (forRun = new Map()));
        const key = `${record.supplier}\u0000${record.sku}`;
        if (!forRun.has(key)) forRun.set(key, structuredClone(record));
      }
    },

    async listDiscrepancies(runId, first, after) {
      checkPageSize(first, 500);
      const cursor = after === null ? null : decodeCursor(after, 2);
      const all = [...(found.get(runId)?.values() ?? [])].sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
      const rest = cursor === null ? all : all.filter((r) => compareKeys(keyOf(r), cursor) > 0);
      const page = rest.slice(0, first);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => structuredClone(r)),
        nextCursor: rest.length > first && last !== undefined ? encodeCursor(keyOf(last)) : null,
        totalCount: all.length,
      };
    },

    async deleteRunsBefore(before) {
      let removed = 0;
      for (const [id, run] of runs) {
        if (run.startedAt < before) {
          runs.delete(id);
          found.delete(id);
          removed += 1;
        }
      }
      return removed;
    },

    async clear() {
      runs.clear();
      found.clear();
    },
  };
}
