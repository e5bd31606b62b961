/**
 * The order tracking loop (docs/orders.md, "Tracking at scale"): every open sub-order is read back from its supplier
 * on its own schedule, in bounded cycles, within the supplier's `tracking` lane share.
 *
 * - **Every open order**: the open orders (`tracking`, then `placing`) are walked with keyset pages, a bounded number
 *   of pages per cycle, resuming where the last cycle stopped; a sub-order found is scheduled, one no longer open is
 *   dropped once two full walks have not seen it.
 * - **Back-off by age in state**: the next check of a sub-order is `clamp(age / ageDivisor, min, max)` after the
 *   last one, `age` being how long it has been in its current state (its `updatedAt`).
 * - **Webhooks first**: a sub-order of a supplier that pushes order webhooks is polled only as a safety net, on a
 *   longer clamp; its webhooks trigger read-backs at once (supplier-triggers.ts).
 * - **Within the lane's share**: polls run in the `tracking` lane; a refusal (share spent, circuit open) stops that
 *   supplier for this cycle, and its due sub-orders wait for the next. Expected supplier failures are logged without
 *   stack traces, once a minute per supplier and code.
 *
 * The schedule is per process and in memory: it costs no store writes. A process that starts checks each open
 * sub-order that is overdue as its walk finds it, paced by the tracking share.
 */
import { isRegistryError } from '../../kernel/errors.ts';
import type { SupplierOrderStatus } from '../../kernel/model.ts';
import type { OrderRecord, OrderWorkflow, SubOrderRecord } from '../../platform/ports/order-store.ts';
import { briefError, createLogThrottle } from '../../platform/log-throttle.ts';
import { trackable } from './tracking.ts';
import type { OrderDeps } from './workflow/deps.ts';

export interface TrackingOptions {
  /** Shortest time between two status reads of one polled sub-order. @default 10_000 */
  readonly minIntervalMs?: number;
  /** Longest time between two status reads of one polled sub-order. @default 600_000 */
  readonly maxIntervalMs?: number;
  /** The interval is the time in the current state divided by this, then clamped. @default 10 */
  readonly ageDivisor?: number;
  /** A supplier that sends order webhooks: its sub-orders are polled only as a safety net. @default none */
  readonly pushesOrderWebhooks?: (supplier: string) => boolean;
  /** Safety-net clamp for sub-orders of such a supplier. @default 600_000 */
  readonly webhookMinIntervalMs?: number;
  /** @default 3_600_000 */
  readonly webhookMaxIntervalMs?: number;
  /** Orders per store page of the walk. @default 200 */
  readonly pageSize?: number;
  /** Pages read per cycle (bounds the store work of one cycle). @default 5 */
  readonly pagesPerCycle?: number;
  /**
   * A new walk over the open orders starts at most this often (on FerretDB each page is a scan). Orders this process
   * stores a status for are scheduled at once; others are found by the next walk. @default 30_000
   */
  readonly walkIntervalMs?: number;
  /** Longest a cycle polls one supplier before yielding to the next cycle. @default 20_000 */
  readonly cycleBudgetMs?: number;
  /** Told at the end of every full walk what it saw of the open orders (the orders gauges, order-metrics.ts). */
  readonly onWalk?: (tally: OpenOrdersTally) => void;
}

/** The open orders (`placing` and `tracking`) one full walk saw, and the orders needing a person when it ended. */
export interface OpenOrdersTally {
  readonly byStatus: Readonly<Record<string, number>>;
  /**
   * Orders needing a person (orderNeedsAttention, the operator console's list; closed rejected orders included), up
   * to ATTENTION_COUNT_CAP; absent when the store could not be asked (the gauge keeps its last value).
   */
  readonly needingAttention?: number;
}

/** The store lists at most this many orders needing attention at once (listNeedingAttention's page bound). */
export const ATTENTION_COUNT_CAP = 200;

export type ResolvedTrackingOptions = Required<Omit<TrackingOptions, 'pushesOrderWebhooks' | 'onWalk'>> & Pick<Required<TrackingOptions>, 'pushesOrderWebhooks'> & Pick<TrackingOptions, 'onWalk'>;

export const DEFAULT_TRACKING: ResolvedTrackingOptions = {
  minIntervalMs: 10_000,
  maxIntervalMs: 600_000,
  ageDivisor: 10,
  pushesOrderWebhooks: () => false,
  webhookMinIntervalMs: 600_000,
  webhookMaxIntervalMs: 3_600_000,
  pageSize: 200,
  pagesPerCycle: 5,
  walkIntervalMs: 30_000,
  cycleBudgetMs: 20_000,
};

/** Pure: how long after a check the next one is due, from how long the sub-order has been in its state. */
export function nextCheckInMs(ageMs: number, pushes: boolean, o: Pick<ResolvedTrackingOptions, 'minIntervalMs' | 'maxIntervalMs' | 'ageDivisor' | 'webhookMinIntervalMs' | 'webhookMaxIntervalMs'>): number {
  const [min, max] = pushes ? [o.webhookMinIntervalMs, o.webhookMaxIntervalMs] : [o.minIntervalMs, o.maxIntervalMs];
  return Math.min(max, Math.max(min, Math.max(0, ageMs) / o.ageDivisor));
}

interface Entry {
  readonly tenant: string;
  readonly orderId: string;
  readonly subId: string;
  readonly supplier: string;
  supplierOrderId: string | null;
  readonly idempotencyKey: string;
  /** When the sub-order entered its current state (its updatedAt), epoch ms. */
  since: number;
  checkedAt: number | null;
  dueAt: number;
  /** The walk that last saw it open (or scheduled it). */
  seenInWalk: number;
}

export interface TrackingCycleResult {
  /** Orders a status read changed. */
  readonly changed: number;
  /** Status reads sent (or refused) this cycle, by supplier. */
  readonly polled: Readonly<Record<string, number>>;
  /** Open sub-orders on the schedule after the cycle. */
  readonly scheduled: number;
}

export interface TrackingLoop {
  /**
   * One bounded cycle: the next pages of the walk, then every due sub-order while each supplier's share lasts.
   * `all`: an explicit full pass (operators, tests): a whole walk, then every open sub-order now, in the `order` lane —
   * outside the tracking share, which only the loop's own cycles draw from.
   */
  cycle(options?: { supplier?: string; all?: boolean; signal?: AbortSignal }): Promise<TrackingCycleResult>;
  /** A report was applied outside the loop (a webhook read-back): the sub-order's schedule follows it. */
  noteOrder(order: OrderRecord): void;
  /** Sub-orders on the schedule (for tests and metrics). */
  size(): number;
}

type Deps = Pick<OrderDeps, 'orders' | 'connectors' | 'log' | 'now' | 'submitTimeoutMs'>;
type ApplyReport = (tenant: string, orderId: string, subOrderId: string, report: SupplierOrderStatus) => Promise<OrderRecord | null>;

/** Our own refusals: the share is spent or the circuit is open; asking again this cycle would only be refused. */
const STOP_SUPPLIER = new Set(['RATE_LIMITED_LOCALLY', 'SUPPLIER_CIRCUIT_OPEN']);
const WORKFLOWS: readonly OrderWorkflow[] = ['tracking', 'placing'];

export function createTrackingLoop(deps: Deps, applyReport: ApplyReport, options: TrackingOptions = {}): TrackingLoop {
  const o: ResolvedTrackingOptions = { ...DEFAULT_TRACKING, ...options };
  const log = deps.log.child({ component: 'order-tracking' });
  const throttle = createLogThrottle({ now: deps.now });
  const schedule = new Map<string, Entry>();
  const keyOf = (tenant: string, orderId: string, subId: string): string => `${tenant}\u0000${orderId}\u0000${subId}`;
  let walk = 1;
  let phase = 0; // index into WORKFLOWS
  let cursor: string | null = null;
  let walkStartedAt = Number.NEGATIVE_INFINITY;
  let tally = { byStatus: {} as Record<string, number> };

  const intervalOf = (e: Entry, now: number): number => nextCheckInMs(now - e.since, o.pushesOrderWebhooks(e.supplier), o);

  /** Schedules the order's open sub-orders and drops its closed ones. */
  function see(order: OrderRecord, now: number): void {
    const open = new Set<string>();
    for (const sub of trackable(order)) {
      const key = keyOf(order.tenant, order.id, sub.id);
      open.add(key);
      const since = Date.parse(sub.updatedAt) || now;
      const known = schedule.get(key);
      if (known === undefined) {
        const entry: Entry = { tenant: order.tenant, orderId: order.id, subId: sub.id, supplier: sub.supplier, supplierOrderId: sub.supplierOrderId, idempotencyKey: sub.idempotencyKey, since, checkedAt: null, dueAt: 0, seenInWalk: walk };
        entry.dueAt = Math.max(since + intervalOf(entry, now), 0);
        schedule.set(key, entry);
        continue;
      }
      known.seenInWalk = walk;
      known.supplierOrderId = sub.supplierOrderId;
      if (since !== known.since) {
        // Moved elsewhere (a webhook, another process): its age restarts, so its next check comes sooner.
        known.since = since;
        known.dueAt = Math.min(known.dueAt, (known.checkedAt ?? since) + intervalOf(known, now));
      }
    }
    for (const sub of order.subOrders ?? []) {
      const key = keyOf(order.tenant, order.id, sub.id);
      if (!open.has(key)) schedule.delete(key);
    }
  }

  /** The next pages of the walk over the open orders; what two completed walks no longer saw is dropped. */
  async function walkPages(now: number, force = false): Promise<void> {
    if (phase === 0 && cursor === null) {
      if (!force && now - walkStartedAt < o.walkIntervalMs) return;
      walkStartedAt = now;
      tally = { byStatus: {} };
    }
    for (let pages = 0; pages < o.pagesPerCycle; pages += 1) {
      const page = await deps.orders.listByWorkflow(WORKFLOWS[phase]!, o.pageSize, cursor);
      for (const order of page.items) {
        see(order, now);
        tally.byStatus[order.status] = (tally.byStatus[order.status] ?? 0) + 1;
      }
      cursor = page.nextCursor;
      if (cursor !== null) continue;
      phase += 1;
      if (phase < WORKFLOWS.length) continue;
      // Dropped only when two walks missed it: an order moving from `placing` to `tracking` mid-walk can miss one.
      for (const [key, entry] of schedule) if (entry.seenInWalk < walk - 1) schedule.delete(key);
      if (o.onWalk) {
        // Closed orders (every line rejected) need a person too: the walk does not see them, the store's list does.
        const needing = await deps.orders.listNeedingAttention(ATTENTION_COUNT_CAP).then(
          (found) => found.length,
          (error: unknown) => void throttle.warn(log, 'attention-count', briefError(error), 'could not count the orders needing attention'),
        );
        o.onWalk({ ...tally, ...(needing === undefined ? {} : { needingAttention: needing }) });
      }
      walk += 1;
      phase = 0;
      return; // one full walk per cycle at most
    }
  }

  async function pollSupplier(supplier: string, due: Entry[], until: number, counts: Record<string, number>, stop: AbortSignal | undefined, lane: 'tracking' | 'order'): Promise<number> {
    const connector = deps.connectors.get(supplier);
    if (connector === undefined) return 0;
    let changed = 0;
    const signal = () => (stop === undefined ? AbortSignal.timeout(deps.submitTimeoutMs) : AbortSignal.any([stop, AbortSignal.timeout(deps.submitTimeoutMs)]));
    const apply = async (entry: Entry, report: SupplierOrderStatus): Promise<void> => {
      const now = deps.now();
      entry.checkedAt = now;
      const next = await applyReport(entry.tenant, entry.orderId, entry.subId, report);
      if (next !== null) {
        changed += 1;
        noteOrder(next);
      }
      entry.dueAt = now + intervalOf(entry, now);
    };
    let rest = due;
    if (connector.getOrderStatuses && due.length > 1 && deps.now() < until && !stop?.aborted) {
      // One call for all open orders where the supplier has one (issue 12); what it does not report is read one by one.
      counts[supplier] = (counts[supplier] ?? 0) + 1;
      try {
        const reports = await connector.getOrderStatuses(
          due.map((e) => ({ supplierOrderId: e.supplierOrderId, idempotencyKey: e.idempotencyKey })),
          { signal: signal(), log: deps.log, requestId: `track:${supplier}:batch`, lane },
        );
        rest = [];
        for (const entry of due) {
          const report = reports.get(entry.idempotencyKey);
          if (report === undefined) rest.push(entry);
          else await apply(entry, report);
        }
      } catch (error) {
        if (stop?.aborted) return changed;
        const code = isRegistryError(error) ? error.code : 'UNEXPECTED';
        if (STOP_SUPPLIER.has(code)) {
          throttle.log('info', log, `${supplier}:${code}`, { supplier, ...briefError(error) }, 'order tracking paused for this cycle: tracking share spent or circuit open');
          return changed;
        }
        // The batch failed: the sub-orders are read one by one below, each with its own outcome.
        throttle.warn(log, `${supplier}:batch:${code}`, { supplier, ...briefError(error) }, 'batched order status poll failed');
      }
    }
    for (const entry of rest) {
      if (deps.now() >= until || stop?.aborted) break;
      counts[supplier] = (counts[supplier] ?? 0) + 1;
      try {
        const report = await connector.getOrderStatus(
          { supplierOrderId: entry.supplierOrderId, idempotencyKey: entry.idempotencyKey },
          { signal: signal(), log: deps.log, requestId: `track:${entry.subId}`, lane },
        );
        await apply(entry, report);
      } catch (error) {
        if (stop?.aborted) break; // the loop is stopping: nothing to log, the sub-order stays due
        const code = isRegistryError(error) ? error.code : 'UNEXPECTED';
        const fields = { supplier, subOrder: entry.subId, ...briefError(error) };
        if (STOP_SUPPLIER.has(code)) {
          throttle.log('info', log, `${supplier}:${code}`, fields, 'order tracking paused for this cycle: tracking share spent or circuit open');
          break;
        }
        // Expected supplier failures (down, timing out) are logged once a minute per supplier and code, no stack.
        if (isRegistryError(error)) throttle.warn(log, `${supplier}:${code}`, fields, 'order status poll failed');
        else log.warn({ supplier, subOrder: entry.subId, err: error }, 'order status poll failed unexpectedly');
        const now = deps.now();
        entry.checkedAt = now;
        entry.dueAt = now + intervalOf(entry, now);
      }
    }
    return changed;
  }

  function noteOrder(order: OrderRecord): void {
    const now = deps.now();
    for (const sub of order.subOrders ?? []) {
      const entry = schedule.get(keyOf(order.tenant, order.id, sub.id));
      if (entry === undefined) {
        if (isOpen(sub)) see(order, now); // scheduled now rather than at the next walk
        continue;
      }
      if (!isOpen(sub)) {
        schedule.delete(keyOf(order.tenant, order.id, sub.id));
        continue;
      }
      entry.supplierOrderId = sub.supplierOrderId;
      const since = Date.parse(sub.updatedAt) || now;
      if (since !== entry.since) {
        entry.since = since;
        entry.dueAt = Math.min(entry.dueAt, now + intervalOf(entry, now));
      }
    }
  }

  return {
    async cycle({ supplier, all = false, signal } = {}) {
      const started = deps.now();
      if (!all) await walkPages(started);
      if (all) {
        // An explicit full pass (operators, tests): a whole walk from the start, then every open sub-order now.
        phase = 0;
        cursor = null;
        const first = walk;
        while (walk === first) await walkPages(deps.now(), true);
      }
      const now = deps.now();
      const due = [...schedule.values()]
        .filter((e) => (all || e.dueAt <= now) && (supplier === undefined || e.supplier === supplier))
        .sort((a, b) => a.dueAt - b.dueAt);
      const bySupplier = new Map<string, Entry[]>();
      for (const e of due) bySupplier.set(e.supplier, [...(bySupplier.get(e.supplier) ?? []), e]);
      const counts: Record<string, number> = {};
      const until = now + o.cycleBudgetMs;
      const changed = await Promise.all([...bySupplier].map(([s, entries]) => pollSupplier(s, entries, until, counts, signal, all ? 'order' : 'tracking')));
      return { changed: changed.reduce((a, b) => a + b, 0), polled: counts, scheduled: schedule.size };
    },
    noteOrder,
    size: () => schedule.size,
  };
}

const isOpen = (sub: SubOrderRecord): boolean => trackable({ subOrders: [sub] } as unknown as OrderRecord).length === 1;
