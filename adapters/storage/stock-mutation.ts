import { registryError } from '../../kernel/errors.ts';
import type {
  ApplyResult,
  ClosedHold,
  MutateResult,
  StockChange,
  StockFields,
  StockHold,
  StockReport,
  StockState,
} from '../../platform/ports/stock-store.ts';
import { availableOf, decideStockReport } from './stock-report.ts';

/**
 * The decisions both StockStores make on the state they read, as pure functions so the in-memory and MongoDB stores
 * cannot drift. A step either ends the call (`done`: stale, rejected, unchanged, missing) or names the next state
 * to write conditionally on the version read, with the result to return once that write wins.
 */
export type VersionStep<R> = { readonly done: R } | { readonly write: StockState; readonly result: R };

/** A supplier report: the ledger is carried over unchanged. */
export function reportStep(previous: StockState | null, report: StockReport, defaultBuffer: number, now: string): VersionStep<ApplyResult> {
  const decision = decideStockReport(previous?.record ?? null, report, defaultBuffer, now);
  if (decision.stale) return { done: { outcome: 'stale', current: previous!.record } };
  const write: StockState = { record: decision.next, holds: previous?.holds ?? [], closed: previous?.closed ?? [] };
  return { write, result: { outcome: 'applied', before: previous?.record ?? null, after: decision.next } };
}

/**
 * A mutation: runs `change` on (a copy of) the state, validates what it set, recomputes `available`, and drops
 * closed refs whose `until` has passed. Dropping them alone is never a reason to write.
 */
export function mutationStep(
  previous: StockState | null,
  change: (current: StockState) => StockChange,
  now: string,
): VersionStep<MutateResult> {
  if (previous === null) return { done: { outcome: 'missing' } };
  const current = previous.record;
  const decided = change(structuredClone(previous));
  if ('reject' in decided) {
    return { done: { outcome: 'rejected', current, reason: decided.reject, ...(decided.details ? { details: decided.details } : {}) } };
  }
  const set = decided.set;
  checkFields(set, current.sku, current.supplier);
  const reserved = set.reserved ?? current.reserved;
  const committed = set.committed ?? current.committed;
  const buffer = set.buffer ?? current.buffer;
  const holds = set.holds ?? previous.holds;
  const live = (closed: readonly ClosedHold[]) => closed.filter((c) => c.until > now);
  const closed = live(set.closed ?? previous.closed);
  const same =
    reserved === current.reserved &&
    committed === current.committed &&
    buffer === current.buffer &&
    sameJson(holds, previous.holds) &&
    sameJson(closed, live(previous.closed));
  if (same) return { done: { outcome: 'unchanged', current } };
  const after = {
    ...current,
    reserved,
    committed,
    buffer,
    available: availableOf(current.onHand, reserved, committed, buffer),
    version: current.version + 1,
  };
  return { write: { record: after, holds: [...holds], closed }, result: { outcome: 'applied', before: current, after } };
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const isCount = (n: unknown): boolean => Number.isSafeInteger(n) && (n as number) >= 0;

function checkFields(set: StockFields, sku: string, supplier: string): void {
  const bad = (what: string) => registryError('INVALID_INPUT', `stock mutation set an invalid ${what}`, { details: { sku, supplier, field: what } });
  for (const field of ['reserved', 'committed', 'buffer'] as const) {
    if (set[field] !== undefined && !isCount(set[field])) throw bad(field);
  }
  const okHold = (h: StockHold) =>
    typeof h.ref === 'string' && h.ref.length > 0 && isCount(h.units) && h.units > 0 && (h.state === 'reserved' || h.state === 'committed');
  if (set.holds !== undefined && !set.holds.every(okHold)) throw bad('hold');
  if (set.holds !== undefined && new Set(set.holds.map((h) => h.ref)).size !== set.holds.length) throw bad('hold (duplicate ref)');
  // `until` is compared as a string with the store's clock, so it must be in the normalised form (toISOString).
  const okClosed = (c: ClosedHold) =>
    typeof c.ref === 'string' && c.ref.length > 0 && Number.isFinite(Date.parse(c.until)) && new Date(c.until).toISOString() === c.until;
  if (set.closed !== undefined && !set.closed.every(okClosed)) throw bad('closed hold');
}
