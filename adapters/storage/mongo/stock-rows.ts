import type { ClosedHold, StockHold, StockRecord, StockState } from '../../../platform/ports/stock-store.ts';
import { compareStrings } from '../catalog-keys.ts';

/**
 * The stored shape of the MongoDB stock store (adapters/storage/mongo/stock-store.ts, which argues the protocol):
 * one document per SKU holding every supplier's stock row, stored twice over — as the SKU's head (`_id` = SKU)
 * and as claims (`_id` = claimId(SKU, version)), one per accepted write.
 */

/** One supplier's row inside a SKU document. */
export interface SupplierRow {
  readonly supplier: string;
  readonly record: StockRecord;
  readonly holds: StockHold[];
  readonly closed: ClosedHold[];
}

/** "Head ≥ v was in place at `at`" (ms since the epoch, the observer's clock): what allows deleting claims ≤ v later. */
export interface HeadSighting {
  readonly v: number;
  readonly at: number;
}

export interface SkuDoc {
  _id: string;
  readonly sku: string;
  /** The SKU document's version: +1 per accepted write to any of its suppliers (records keep their own `version`). */
  readonly v: number;
  /** When the writer built this version (ms since the epoch, its clock). */
  readonly builtAt: number;
  /** Suppliers sorted by name. */
  readonly suppliers: SupplierRow[];
  /** Claims below this version have been deleted, or are being deleted, by an earlier writer. */
  readonly floor: number;
  /** Head sightings not yet old enough to delete the claims they cover. */
  readonly seen: HeadSighting[];
}

/** Fixed-width version suffix: `claimId` is injective for every SKU string (the suffix is always the last 16 chars). */
const VERSION_WIDTH = 15;

export function claimId(sku: string, v: number): string {
  return `${sku}\u0000${String(v).padStart(VERSION_WIDTH, '0')}`;
}

export function supplierState(doc: SkuDoc | null, supplier: string): StockState | null {
  const row = doc?.suppliers.find((s) => s.supplier === supplier);
  return row === undefined ? null : { record: { ...row.record }, holds: [...row.holds], closed: [...row.closed] };
}

/** The suppliers with `state` put in (replacing that supplier's row), sorted. */
export function withSupplier(doc: SkuDoc | null, state: StockState): SupplierRow[] {
  const supplier = state.record.supplier;
  const others = (doc?.suppliers ?? []).filter((s) => s.supplier !== supplier);
  const row: SupplierRow = { supplier, record: { ...state.record }, holds: [...state.holds], closed: [...state.closed] };
  return [...others, row].sort((a, b) => compareStrings(a.supplier, b.supplier));
}

export interface Housekeeping {
  /** The next version's floor and sightings. */
  readonly floor: number;
  readonly seen: HeadSighting[];
  /** Claims [from, to] the winner of the next version deletes; none when from > to. */
  readonly deleteFrom: number;
  readonly deleteTo: number;
}

export interface HousekeepingInput {
  /** The previous version as read (null: the SKU has no document yet). */
  readonly previous: SkuDoc | null;
  /** The head as read at the start of this write, and when that read returned (ms, this clock). */
  readonly head: SkuDoc | null;
  readonly headReadAt: number;
  readonly now: number;
  /** The claim retention R (ms). */
  readonly retentionMs: number;
}

const MAX_SIGHTINGS = 16;

/**
 * Which claims the next version's winner may delete, and what the next version remembers. Pure, so the rule is
 * tested on its own. A claim c may be deleted only when (1) the head this writer just read is ≥ c (so no reader
 * starting from the current head needs c) and (2) a head ≥ c was already in place R earlier (so any reader that
 * started below c did so more than R ago, and readers and writers discard reads older than R/4).
 */
export function planHousekeeping(input: HousekeepingInput): Housekeeping {
  const { previous, head, headReadAt, now, retentionMs } = input;
  const floor0 = previous?.floor ?? 1;
  const sightings = [...(previous?.seen ?? [])];
  if (head !== null) {
    // The head was in place when our read returned; it was also in place by builtAt + R: it is sent only within
    // R/4 of its writer's read, and requests are assumed to land within R/4 (see stock-store.ts).
    sightings.push({ v: head.v, at: Math.min(headReadAt, head.builtAt + retentionMs) });
  }
  const headV = head?.v ?? 0;
  const matured = sightings.filter((s) => s.at <= now - retentionMs);
  const coveredByOld = matured.reduce((max, s) => Math.max(max, s.v), 0);
  const deleteTo = Math.min(coveredByOld, headV);
  const floor = deleteTo >= floor0 ? deleteTo + 1 : floor0;
  // Keep sightings that may still delete something, one per R/8 at most (skipping one only delays deletion).
  const kept: HeadSighting[] = [];
  for (const s of sightings.sort((a, b) => a.at - b.at)) {
    if (s.v < floor) continue;
    const last = kept[kept.length - 1];
    if (last !== undefined && s.at - last.at < retentionMs / 8) continue;
    kept.push(s);
  }
  return { floor, seen: kept.slice(-MAX_SIGHTINGS), deleteFrom: floor0, deleteTo: deleteTo >= floor0 ? deleteTo : floor0 - 1 };
}
