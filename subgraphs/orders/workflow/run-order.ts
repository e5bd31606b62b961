import type { CallContext } from '../../../adapters/core/connector.ts';
import type { OrderRecord, SubOrderRecord } from '../../../platform/ports/order-store.ts';
import type { OrderDeps } from './deps.ts';
import { errorFields } from './order-reasons.ts';
import { refreshOrder } from './refresh.ts';
import { openSession, type Session, type StepKit } from './session.ts';
import { confirm } from './steps/confirm.ts';
import { recheck } from './steps/recheck.ts';
import { reserve } from './steps/reserve.ts';
import { createRefuse } from './steps/refuse.ts';
import { submit } from './steps/submit.ts';

const PENDING = new Set(['planned', 'reserved', 'submitting']);

export interface OrderRunner {
  /** Drives every pending sub-order as far as it can go now; idempotent, so a resumed run repeats nothing. */
  run(order: OrderRecord): Promise<OrderRecord>;
  /** Stores a changed order with its derived fields, then tells the status listener. */
  save(order: OrderRecord, step: string, previous: OrderRecord['status']): Promise<OrderRecord>;
}

/**
 * The placement workflow per sub-order, one small step per file under steps/, each with its compensation:
 *
 *   planned ──reserve──▶ reserved ──recheck──▶ submitting ──submit──▶ (ack) ──confirm──▶ submitted
 *        └──────────────────┴───────────────────────┴─────────────────────┴──▶ refuse: release the hold,
 *                                                                              mark failed, re-route the lines
 *
 * Each state is stored before the effect that follows it, so whatever a crash interrupts is redone by the next run:
 * the reservation and the supplier order are both keyed by the sub-order id, so redoing them returns the first
 * result (docs/orders.md). An outage leaves the sub-order where it is for the resume loop.
 */
export function createOrderRunner(deps: OrderDeps): OrderRunner {
  const iso = () => new Date(deps.now()).toISOString();

  async function save(order: OrderRecord, step: string, previous: OrderRecord['status']): Promise<OrderRecord> {
    // The version counts stored changes from the copy being saved (last writer wins in the store: two processes
    // saving from one read store the same version; docs/subscriptions.md).
    const refreshed = { ...refreshOrder(order, iso()), version: order.version + 1 };
    await deps.beforeSave(step, refreshed);
    await deps.orders.save(refreshed);
    if (refreshed.status !== previous) deps.onStatusChange(refreshed, previous);
    return refreshed;
  }

  const kit: StepKit = {
    deps,
    iso,
    ctx: (op: string, timeoutMs: number): CallContext => ({ signal: AbortSignal.timeout(timeoutMs), log: deps.log, requestId: op, lane: 'order' }),
    withSub: (order, sub) => ({ ...order, subOrders: (order.subOrders ?? []).map((s) => (s.id === sub.id ? { ...sub, updatedAt: iso() } : s)) }),
    refuse: createRefuse(deps, iso),
  };

  /** The next step of a pending sub-order, by its stored state. */
  async function step(session: Session, sub: SubOrderRecord): Promise<void> {
    if (sub.state === 'planned') await reserve(kit, session, sub);
    else if (sub.state === 'reserved') await recheck(kit, session, sub);
    else {
      const sent = await submit(kit, session, sub);
      if ('ack' in sent) await confirm(kit, session, sub, sent.ack);
    }
  }

  /** Takes one sub-order through its remaining steps. */
  async function drive(session: Session, id: string): Promise<void> {
    for (;;) {
      const sub = (session.latest.subOrders ?? []).find((s) => s.id === id);
      if (sub === undefined || !PENDING.has(sub.state)) return;
      await step(session, sub);
    }
  }

  return {
    save,
    async run(order) {
      const session = openSession(order, save);
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
