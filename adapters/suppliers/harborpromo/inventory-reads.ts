/**
 * One Inventory 2.0.0 call per product per sync run. `getInventoryLevels` answers for one productId with every part
 * of it, so the connector asks for the whole product and, in the sync lane, keeps the answer for the rest of the
 * same run. Parts of one product asked for separately within that run — callers split by `maxStockBatch` — then
 * cost one call, not one each; a call in flight is shared. A new run always reads afresh, so a figure is never
 * older than the run that asked for it.
 *
 * What is "the same run": the port has no run handle, so a run is recognised by what its caller keeps for all of
 * its calls and no other caller shares — its `requestId` (each sync job names itself with its start time) and its
 * logger object (a poll pass, a reconciliation run, a snapshot each make a child logger; the traffic layer passes
 * it through untouched). Both must match. Interactive and order reads are never served from here (some of those
 * callers reuse one requestId and logger for every call). Failures are not kept; nothing outlives `keepMs`.
 */
import type { CallContext } from '../../core/connector.ts';
import type { PartInventory } from './mapping.ts';

export interface InventoryReadsOptions {
  /** Reads one product's parts from the supplier (the Inventory call). */
  readonly fetch: (productId: string, ctx: CallContext) => Promise<readonly PartInventory[]>;
  /** Longest an answer serves one run (a long poll pass). @default 300000 */
  readonly keepMs?: number;
  readonly now?: () => number;
}

/** Sends one supplier request (the caller meters it against the supplier's limits). */
export type Send = <T>(request: () => Promise<T>) => Promise<T>;

export interface InventoryReads {
  /** The parts of one product, from this run's earlier (or in-flight) call, or one new call sent through `send`. */
  read(productId: string, ctx: CallContext, send?: Send): Promise<readonly PartInventory[]>;
}

type Entry = { readonly at: number; readonly answer: Promise<readonly PartInventory[]> };

export function createInventoryReads(options: InventoryReadsOptions): InventoryReads {
  const keepMs = options.keepMs ?? 300_000;
  const now = options.now ?? Date.now;
  // Held by the run's logger: a finished run's answers go with it.
  const runs = new WeakMap<object, Map<string, Entry>>();

  return {
    read(productId, ctx, send = (request) => request()) {
      const fetch = () => send(() => options.fetch(productId, ctx));
      if (ctx.lane !== 'sync' || typeof ctx.log !== 'object' || ctx.log === null) return fetch();
      let run = runs.get(ctx.log);
      if (!run) {
        run = new Map();
        runs.set(ctx.log, run);
      }
      const key = `${ctx.requestId}\u0000${productId}`;
      const kept = run.get(key);
      if (kept && now() - kept.at < keepMs) return kept.answer;
      const answer = fetch();
      const entries = run;
      entries.set(key, { at: now(), answer });
      answer.catch(() => {
        if (entries.get(key)?.answer === answer) entries.delete(key);
      });
      return answer;
    },
  };
}
