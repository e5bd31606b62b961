import type { CallContext } from '../../../adapters/core/connector.ts';
import { isRegistryError, registryError, type RegistryError } from '../../../kernel/errors.ts';
import type { SupplierOrder, SupplierOrderAck, SupplierOrderStatus } from '../../../kernel/model.ts';
import { supplierFailureFields } from '../../../adapters/core/supplier-facts.ts';
import { cleanSupplierText } from '../../../adapters/core/supplier-text.ts';
import type { OrderRecord, SubOrderRecord } from '../../../platform/ports/order-store.ts';
import type { ReservationItem } from '../../../platform/ports/reservation-store.ts';
import { openCustomer } from '../personal-data.ts';
import { routeLine } from '../routing.ts';
import type { OrderDeps } from './deps.ts';
import { applyDecision, loadCandidates } from './plan.ts';
import { refreshOrder } from './refresh.ts';

const PENDING = new Set(['planned', 'reserved', 'submitting']);
/** Answers that mean "this supplier will not take this sub-order": re-route, never retry. */
const REFUSALS = new Set(['SUPPLIER_REJECTED', 'OUT_OF_STOCK', 'NOT_FOUND', 'SUPPLIER_NOT_FOUND', 'RESERVATION_NOT_HELD', 'INVALID_INPUT']);

export const isRefusal = (error: unknown): error is RegistryError => isRegistryError(error) && REFUSALS.has(error.code);

/** Decided by our own traffic layer before anything left the process: such an attempt cannot have placed an order. */
const NEVER_SENT = new Set(['SUPPLIER_CIRCUIT_OPEN', 'RATE_LIMITED_LOCALLY']);
const neverSent = (error: unknown): boolean => isRegistryError(error) && NEVER_SENT.has(error.code);
/**
 * Supplier failures are expected here: logged by code, our message and what the supplier said (details), clipped and
 * cleaned; anything else keeps its stack.
 */
export const errorFields = (error: unknown): Record<string, unknown> => (isRegistryError(error) ? supplierFailureFields(error) : { err: error });

/** Longest refusal reason or last error stored on an order: it is served to clients (SubOrder.lastError, needsAttention). */
export const MAX_ORDER_REASON = 300;
/**
 * What an order keeps of a failure: our code and message, clipped and cleaned (never megabytes, never markup-length
 * text, control characters or bidi overrides from a supplier); the supplier's own words go to the operator log.
 */
export const orderReason = (text: string): string => cleanSupplierText(text, MAX_ORDER_REASON) ?? 'refused';
const reasonOf = (error: RegistryError, prefix = ''): string => orderReason(`${prefix}${error.code}: ${error.message}`);

/** An answer the supplier (or our reading of it) gave: not a timeout or an outage. */
const definite = (error: unknown): boolean => isRegistryError(error) && error.errorClass !== 'transient';

/** Whether an order the supplier reports under our key carries what the sub-order sent (when it reports lines). */
export function sameGoods(sub: SubOrderRecord, found: SupplierOrderStatus): boolean {
  const ordered = found.lines.filter((l) => l.ordered > 0);
  if (ordered.length === 0) return true; // the supplier's status carries no per-line figures: nothing to compare
  const tally = (entries: readonly (readonly [string, number])[]) => {
    const m = new Map<string, number>();
    for (const [sku, n] of entries) m.set(sku, (m.get(sku) ?? 0) + n);
    return [...m].sort(([a], [b]) => a.localeCompare(b)).map(([sku, n]) => `${sku}\u0000${n}`).join('|');
  };
  return tally(sub.lines.map((l) => [l.supplierSku, l.quantity])) === tally(ordered.map((l) => [l.supplierSku, l.ordered]));
}

export interface OrderRunner {
  /** Drives every pending sub-order as far as it can go now; idempotent, so a resumed run repeats nothing. */
  run(order: OrderRecord): Promise<OrderRecord>;
  /** Stores a changed order with its derived fields, then tells the status listener. */
  save(order: OrderRecord, step: string, previous: OrderRecord['status']): Promise<OrderRecord>;
}

/**
 * The placement workflow per sub-order: planned → reserved → submitting → submitted (or failed → re-routed). Each
 * state is stored before the effect that follows it, so whatever a crash interrupts is redone by the next run:
 * the reservation and the supplier order are both keyed by the sub-order id, so redoing them returns the first
 * result (docs/orders.md).
 */
export function createOrderRunner(deps: OrderDeps): OrderRunner {
  const iso = () => new Date(deps.now()).toISOString();
  const ctx = (op: string, timeoutMs: number): CallContext => ({ signal: AbortSignal.timeout(timeoutMs), log: deps.log, requestId: op, lane: 'order' });

  async function save(order: OrderRecord, step: string, previous: OrderRecord['status']): Promise<OrderRecord> {
    // The version counts stored changes from the copy being saved (last writer wins in the store: two processes
    // saving from one read store the same version; docs/subscriptions.md).
    const refreshed = { ...refreshOrder(order, iso()), version: order.version + 1 };
    await deps.beforeSave(step, refreshed);
    await deps.orders.save(refreshed);
    if (refreshed.status !== previous) deps.onStatusChange(refreshed, previous);
    return refreshed;
  }

  /**
   * One run's view of the order. Sub-orders of different suppliers advance concurrently; their writes go through
   * `commit` one at a time, each a change applied to the latest stored copy, so no step overwrites another's.
   */
  interface Session {
    latest: OrderRecord;
    /** Sub-orders this run moved to `submitting` itself: nothing was sent for them before this run. */
    readonly movedToSubmitting: Set<string>;
    commit(step: string, change: (latest: OrderRecord) => OrderRecord): Promise<OrderRecord>;
  }

  function openSession(order: OrderRecord): Session {
    let chain: Promise<unknown> = Promise.resolve();
    const session: Session = {
      latest: order,
      movedToSubmitting: new Set(),
      commit(step, change) {
        const done = chain.then(async () => {
          session.latest = await save(change(session.latest), step, session.latest.status);
          return session.latest;
        });
        chain = done.catch(() => undefined);
        return done;
      },
    };
    return session;
  }

  const withSub = (order: OrderRecord, sub: SubOrderRecord): OrderRecord => ({
    ...order,
    subOrders: (order.subOrders ?? []).map((s) => (s.id === sub.id ? { ...sub, updatedAt: iso() } : s)),
  });

  function itemsOf(sub: SubOrderRecord): ReservationItem[] {
    const bySku = new Map<string, number>();
    for (const l of sub.lines) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.quantity);
    return [...bySku].map(([sku, quantity]) => ({ sku, supplier: sub.supplier, quantity }));
  }

  /** The supplier will not take `sub`: return its units, mark it failed, and route its lines elsewhere. */
  async function refuse(session: Session, sub: SubOrderRecord, why: string, error?: RegistryError): Promise<OrderRecord> {
    const reason = orderReason(why);
    const { tenant, id } = session.latest;
    if (sub.reservationId !== null) {
      await deps.reservations.releaseReservation(sub.reservationId, { tenant }).catch((error: unknown) => {
        if (!isRegistryError(error) || error.code !== 'RESERVATION_NOT_HELD') throw error;
      });
    }
    const candidates = await loadCandidates(deps, [...new Set(sub.lines.map((l) => l.sku))], session.latest.allowedSuppliers);
    deps.log.warn({ order: id, subOrder: sub.id, supplier: sub.supplier, reason, ...(error ? { details: supplierFailureFields(error)['details'] } : {}) }, 'supplier refused a sub-order; re-routed');
    return session.commit(`refused:${sub.id}`, (order) => {
      const subOrders = (order.subOrders ?? []).map((s) => (s.id === sub.id ? { ...s, state: 'failed' as const, lastError: reason, updatedAt: iso() } : s));
      const fresh = new Map<string, SubOrderRecord>();
      const lines = order.lines.map((line) => {
        const part = sub.lines.filter((l) => l.lineNumber === line.lineNumber).reduce((n, l) => n + l.quantity, 0);
        if (part === 0) return line;
        const refusedBy = [...new Set([...(line.refusedBy ?? []), sub.supplier])];
        const decision = routeLine(line.sku, part, candidates.get(line.sku) ?? [], deps.policy, refusedBy, order.allowedSuppliers);
        const routed = applyDecision({ ...line, refusedBy }, decision, order.id, subOrders, fresh, iso());
        return decision.unallocated > 0 ? { ...routed, needsAttention: `${sub.supplier} refused (${reason}); ${decision.reason}` } : routed;
      });
      return { ...order, lines, subOrders };
    });
  }

  async function reserve(session: Session, sub: SubOrderRecord): Promise<OrderRecord> {
    let reservationId: string;
    try {
      const r = await deps.reservations.reserveStock(itemsOf(sub), deps.reservationTtlMs, { tenant: session.latest.tenant, idempotencyKey: sub.id });
      if (r.state !== 'held' && r.state !== 'committed') throw registryError('RESERVATION_NOT_HELD', `reservation ${r.id} is ${r.state}`);
      reservationId = r.id;
    } catch (error) {
      if (isRefusal(error)) return refuse(session, sub, reasonOf(error), error);
      throw error;
    }
    return session.commit(`reserved:${sub.id}`, (o) => withSub(o, { ...sub, state: 'reserved', reservationId }));
  }

  /** Live stock at the supplier just before submitting: canonical stock may lag a supplier that sold out. */
  async function recheck(session: Session, sub: SubOrderRecord): Promise<OrderRecord> {
    const connector = deps.connectors.get(sub.supplier)!;
    let live;
    try {
      live = await connector.getStock([...new Set(sub.lines.map((l) => l.supplierSku))], ctx(`recheck:${sub.id}`, deps.submitTimeoutMs));
    } catch (error) {
      if (isRefusal(error)) return refuse(session, sub, reasonOf(error, 'live stock re-check: '), error);
      throw error;
    }
    const short = sub.lines.find((l) => (live.find((s) => s.supplierSku === l.supplierSku)?.available ?? 0) < l.quantity);
    if (short !== undefined) return refuse(session, sub, `live stock re-check: ${short.supplierSku} has fewer than ${short.quantity}`);
    // The outbox entry: from here a run may already have sent the order, so every later run re-sends the same key.
    // Each line is priced with the supplier's live cost unless routing already priced it: the PO carries that
    // cost and the order line shows it (OrderLine.unitCost).
    const lines = sub.lines.map((l) => ({ ...l, unitCost: l.unitCost ?? live.find((s) => s.supplierSku === l.supplierSku)?.cost ?? null }));
    const stored = await session.commit(`submitting:${sub.id}`, (o) => withSub(o, { ...sub, lines, state: 'submitting' }));
    session.movedToSubmitting.add(sub.id);
    return stored;
  }

  async function submit(session: Session, sub: SubOrderRecord): Promise<OrderRecord> {
    const order = session.latest;
    if (order.customer === undefined || order.customer === null) throw registryError('INTERNAL', `order ${order.id} has no ship-to`);
    const shipTo = await openCustomer(deps.kms, order.tenant, order.id, order.customer);
    const lines = sub.lines.map((l, i) => ({ lineNumber: i + 1, supplierSku: l.supplierSku, quantity: l.quantity, unitCost: l.unitCost }));
    // Whether an earlier send may have reached the supplier: a run before this one stored `submitting` before its
    // send, and nothing tells us that it did not send.
    const sentBefore = !session.movedToSubmitting.has(sub.id) || sub.attempts > 0;
    const outcome = await send(sub, { idempotencyKey: sub.idempotencyKey, lines, shipTo }, sentBefore);
    if (outcome.kind === 'refused') return refuse(session, sub, outcome.reason, outcome.error);
    if (outcome.kind === 'unanswered') {
      const { lastError } = outcome;
      const message = isRegistryError(lastError) ? reasonOf(lastError) : orderReason(String(lastError));
      await session.commit(`submit-failed:${sub.id}`, (o) => withSub(o, { ...sub, attempts: sub.attempts + outcome.sends, lastError: message }));
      throw registryError('SUPPLIER_UNAVAILABLE', `submitting ${sub.id} to ${sub.supplier} did not finish; it resumes later`, { supplier: sub.supplier, cause: lastError });
    }
    const { ack } = outcome;
    // Our canonical word, not the supplier's raw status: the reason is served to clients (rawStatus is logged).
    if (ack.status === 'rejected' || ack.status === 'cancelled') {
      deps.log.info({ subOrder: sub.id, supplier: sub.supplier, rawStatus: cleanSupplierText(ack.rawStatus) }, 'supplier answered the order with a refusing status');
      return refuse(session, sub, `supplier answered the order ${ack.status}`);
    }
    if (sub.reservationId !== null) {
      // Units move from reserved to committed; a reservation that expired meanwhile only loses the bookkeeping.
      await deps.reservations.commitReservation(sub.reservationId, { tenant: order.tenant }).catch((error: unknown) => {
        deps.log.warn({ order: order.id, subOrder: sub.id, err: error }, 'could not commit the reservation of a submitted sub-order');
      });
    }
    const submitted: SubOrderRecord = { ...sub, state: 'submitted', supplierOrderId: ack.supplierOrderId, status: ack.status, rawStatus: ack.rawStatus, lastError: null };
    return session.commit(`submitted:${sub.id}`, (o) => withSub(o, submitted));
  }

  type SendOutcome = { kind: 'ack'; ack: SupplierOrderAck } | { kind: 'refused'; reason: string; error: RegistryError } | { kind: 'unanswered'; lastError: unknown; sends: number };

  /**
   * Up to `submitAttempts` sends of one supplier order under its key, one supplier call each (the connector and the
   * traffic layer never retry writes). Once a send may have reached the supplier (`mayExist`) no error answer is a
   * refusal until the supplier says it has no such order (docs/orders.md, "A resend is never refused blindly").
   */
  async function send(sub: SubOrderRecord, supplierOrder: SupplierOrder, sentBefore: boolean): Promise<SendOutcome> {
    const connector = deps.connectors.get(sub.supplier)!;
    let mayExist = sentBefore;
    let lastError: unknown = null;
    let sends = 0;
    let checked = false; // the last error was already checked with a read-back
    for (let attempt = 0; attempt < deps.submitAttempts; attempt += 1) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** attempt * (0.5 + Math.random())));
      checked = false;
      try {
        sends += 1;
        return { kind: 'ack', ack: await connector.placeOrder(supplierOrder, ctx(`submit:${sub.id}`, deps.submitTimeoutMs)) };
      } catch (error) {
        lastError = error;
        if (neverSent(error)) continue; // our own traffic layer refused it: nothing left the process
        if (mayExist && definite(error)) {
          // The supplier answered, but its answer to a send it may already hold can be its duplicate-order error
          // (or one we cannot parse): ask it for the order under our key before deciding.
          checked = true;
          const found = await readBack(sub, error);
          if (found === 'absent' && isRefusal(error)) return { kind: 'refused', reason: reasonOf(error), error };
          if (found !== 'absent' && found !== 'unknown') return { kind: 'ack', ack: found };
        } else if (isRefusal(error)) {
          return { kind: 'refused', reason: reasonOf(error), error }; // nothing was sent before: a plain refusal
        }
        mayExist = true; // timeout, outage, lost or unreadable answer: the supplier may have the order now
        deps.log.warn({ subOrder: sub.id, supplier: sub.supplier, attempt, ...errorFields(error) }, 'supplier submit failed; retrying with the same key');
      }
    }
    if (mayExist && !checked) {
      // The last send went unanswered: one status read may still find the order before the resume loop must.
      const found = await readBack(sub, lastError);
      if (found !== 'absent' && found !== 'unknown') return { kind: 'ack', ack: found };
    }
    return { kind: 'unanswered', lastError, sends };
  }

  /**
   * A send that may have reached the supplier got an error (its duplicate-order error, whatever its code, looks like
   * any refusal) or no answer at all: ask the supplier for the order under our key before deciding. `absent` only
   * on the supplier's own "no such order"; `unknown` when the read-back failed too (the sub-order stays
   * `submitting` and is resumed). An order found under our key with other goods is not ours to claim (absent).
   */
  async function readBack(sub: SubOrderRecord, answer: unknown): Promise<SupplierOrderAck | 'absent' | 'unknown'> {
    const connector = deps.connectors.get(sub.supplier)!;
    try {
      const found = await connector.getOrderStatus({ supplierOrderId: null, idempotencyKey: sub.idempotencyKey }, ctx(`submit-read-back:${sub.id}`, deps.submitTimeoutMs));
      if (!sameGoods(sub, found)) {
        deps.log.error({ subOrder: sub.id, supplier: sub.supplier, supplierOrderId: found.supplierOrderId }, 'the supplier holds another order under our key; refusal stands');
        return 'absent';
      }
      deps.log.warn({ subOrder: sub.id, supplier: sub.supplier, answer: isRegistryError(answer) ? answer.code : String(answer), supplierOrderId: found.supplierOrderId }, 'the supplier has the order a send got no clear answer for: submitted');
      return { supplierOrderId: found.supplierOrderId, status: found.status, rawStatus: found.rawStatus, alreadyExisted: true };
    } catch (error) {
      if (isRegistryError(error) && error.code === 'SUPPLIER_NOT_FOUND') return 'absent';
      deps.log.warn({ subOrder: sub.id, supplier: sub.supplier, ...errorFields(error) }, 'could not read back an order the supplier may hold; it resumes later');
      return 'unknown';
    }
  }

  /** Takes one sub-order through its remaining steps. */
  async function drive(session: Session, id: string): Promise<void> {
    for (;;) {
      const sub = (session.latest.subOrders ?? []).find((s) => s.id === id);
      if (sub === undefined || !PENDING.has(sub.state)) return;
      if (sub.state === 'planned') await reserve(session, sub);
      else if (sub.state === 'reserved') await recheck(session, sub);
      else await submit(session, sub);
    }
  }

  return {
    save,
    async run(order) {
      const session = openSession(order);
      const stuck = new Set<string>();
      // Waves: every pending sub-order advances concurrently (one per supplier); a refusal's re-route adds new
      // sub-orders for the next wave. Bounded: each supplier can refuse a line once.
      for (let wave = 0; wave < 20; wave += 1) {
        const pending = (session.latest.subOrders ?? []).filter((s) => PENDING.has(s.state) && !stuck.has(s.id));
        if (pending.length === 0) break;
        await Promise.all(
          pending.map((sub) =>
            drive(session, sub.id).catch((error: unknown) => {
              // Left as stored: the resume loop retries it. Other sub-orders still go ahead.
              deps.log.warn({ order: order.id, subOrder: sub.id, ...errorFields(error) }, 'order step did not finish; it resumes later');
              stuck.add(sub.id);
            }),
          ),
        );
      }
      return (await deps.orders.get(order.tenant, order.id)) ?? session.latest;
    },
  };
}
