import type { CallContext } from '../../../adapters/core/connector.ts';
import type { RegistryError } from '../../../kernel/errors.ts';
import type { OrderRecord, SubOrderRecord } from '../../../platform/ports/order-store.ts';
import type { ReservationItem } from '../../../platform/ports/reservation-store.ts';
import type { OrderDeps } from './deps.ts';

/**
 * One run's view of the order. Sub-orders of different suppliers advance concurrently; their writes go through
 * `commit` one at a time, each a change applied to the latest stored copy, so no step overwrites another's.
 */
export interface Session {
  latest: OrderRecord;
  /** Sub-orders this run moved to `submitting` itself: nothing was sent for them before this run. */
  readonly movedToSubmitting: Set<string>;
  commit(step: string, change: (latest: OrderRecord) => OrderRecord): Promise<OrderRecord>;
}

export type SaveOrder = (order: OrderRecord, step: string, previous: OrderRecord['status']) => Promise<OrderRecord>;

export function openSession(order: OrderRecord, save: SaveOrder): Session {
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

/** What every placement step is given: the workflow's dependencies and the small helpers they share. */
export interface StepKit {
  readonly deps: OrderDeps;
  /** Now, as stored on records. */
  iso(): string;
  /** A supplier call's context on the order lane, with its own deadline. */
  ctx(op: string, timeoutMs: number): CallContext;
  /** The order with `sub` replaced by this version of it. */
  withSub(order: OrderRecord, sub: SubOrderRecord): OrderRecord;
  /** The compensation every step ends in when the supplier will not take `sub` (steps/refuse.ts). */
  refuse(session: Session, sub: SubOrderRecord, why: string, error?: RegistryError): Promise<OrderRecord>;
}

/** A sub-order's units per SKU, as its reservation holds them. */
export function itemsOf(sub: SubOrderRecord): ReservationItem[] {
  const bySku = new Map<string, number>();
  for (const l of sub.lines) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.quantity);
  return [...bySku].map(([sku, quantity]) => ({ sku, supplier: sub.supplier, quantity }));
}
