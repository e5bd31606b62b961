import { randomBytes } from 'node:crypto';
import { registryError } from '../../kernel/errors.ts';
import { createKeyedQueue } from '../../platform/keyed-queue.ts';
import { PENDING_SUB_ORDER_STATES, type OrderRecord, type ReturnRequestRecord, type SubOrderRecord } from '../../platform/ports/order-store.ts';
import { sealCustomer } from './personal-data.ts';
import { DEFAULT_ROUTING_POLICY, routeLine, type LineDecision } from './routing.ts';
import { applySupplierStatus, settleCommittedUnits, trackable } from './tracking.ts';
import { trackTriggered } from './supplier-triggers.ts';
import { createTrackingLoop, type TrackingOptions } from './tracking-loop.ts';
import type { OrderTriggers } from '../../platform/ports/order-triggers.ts';
import { requestHash, validatePlaceOrder, type PlaceOrderRequest } from './validation.ts';
import type { OrderDeps } from './workflow/deps.ts';
import { applyDecision, loadCandidates } from './workflow/plan.ts';
import { errorFields } from './workflow/order-reasons.ts';
import { createOrderRunner } from './workflow/run-order.ts';
import { cancelSubOrders } from './workflow/cancel.ts';
import { rerouteLines } from './workflow/reroute.ts';

export type OrderServiceOptions = Pick<OrderDeps, 'orders' | 'catalog' | 'stock' | 'reservations' | 'connectors' | 'kms' | 'log'> &
  Partial<OrderDeps> & {
    /** The tracking loop's schedule (subgraphs/orders/tracking-loop.ts; docs/orders.md "Tracking at scale"). */
    readonly tracking?: TrackingOptions;
  };

export interface RoutingPreview {
  readonly lines: readonly (LineDecision & { readonly lineNumber: number })[];
  /** True when every unit of every line has a supplier. */
  readonly routable: boolean;
}

export interface OrderService {
  /**
   * Places (or, for a repeated key and payload, returns) an order, driving it as far as suppliers allow within the
   * placement budget (`options.budgetMs`: the request's; else `placementBudgetMs`): it always answers by then with the
   * order as stored — a sub-order whose supplier call is still running shows `submitting` while the call goes on in
   * the background; repeating the call with the same key is safe and returns the same order.
   * `allowedSuppliers`: the caller may order from these only (a partner limited to some suppliers); the order keeps
   * the list, so later re-routes stay inside it. Undefined: every supplier.
   */
  placeOrder(request: PlaceOrderRequest, tenant: string, allowedSuppliers?: readonly string[], options?: { budgetMs?: number }): Promise<OrderRecord>;
  previewOrderRouting(request: PlaceOrderRequest, tenant: string, allowedSuppliers?: readonly string[]): Promise<RoutingPreview>;
  /** Cancels the whole order, or the sub-orders carrying `lineNumbers`, where the suppliers still allow it. */
  cancelOrder(tenant: string, id: string, lineNumbers?: readonly number[]): Promise<OrderRecord>;
  requestReturn(tenant: string, id: string, lineNumber: number, quantity: number, reason: string): Promise<OrderRecord>;
  /**
   * Operators: drives the order's unfinished sub-orders now under the same keys, as the resume loop would once the
   * order has been still for `resumeAfterMs` (a send that may have reached the supplier is read back first).
   */
  retryOrder(tenant: string, id: string): Promise<OrderRecord>;
  /** Operators: routes the lines needing attention again among suppliers that have not refused them, then runs the order. */
  rerouteOrder(tenant: string, id: string): Promise<OrderRecord>;
  /** Re-runs orders a stopped or failed run left in `placing`, unchanged for `minAgeMs` (default `resumeAfterMs`). */
  resumePending(options?: { limit?: number; minAgeMs?: number }): Promise<number>;
  /**
   * Asks suppliers for the status of every open sub-order (of one supplier when given: a verified order webhook
   * from it is a trigger to read back); returns how many orders changed.
   */
  pollTracking(options?: { supplier?: string }): Promise<number>;
  /**
   * One bounded cycle of the tracking loop: the next pages of the walk over every open order, then the sub-orders
   * whose next check is due, within each supplier's tracking share (tracking-loop.ts). Returns how many orders changed.
   */
  trackDue(): Promise<number>;
  /**
   * Applies a supplier status report to a sub-order (status machine, shipments), first clearing the committed
   * units it shows shipped or cancelled (or, for a supplier that allocates on accept, allocated — after a fresh
   * stock read). Null when nothing moved.
   */
  applyReport(tenant: string, orderId: string, subOrderId: string, report: Parameters<typeof applySupplierStatus>[2]): Promise<OrderRecord | null>;
  /** Verified supplier order webhooks as triggers: re-reads each named sub-order's status and applies it. */
  trackSupplierOrders: OrderTriggers['trackSupplierOrders'];
  /** Runs resumePending and a tracking cycle (trackDue) every `intervalMs` until the returned stop is called. */
  start(intervalMs: number): { stop(): Promise<void> };
}

const newOrderId = (): string => `o${randomBytes(6).toString('hex')}`;

export function createOrderService(options: OrderServiceOptions): OrderService {
  const deps: OrderDeps = {
    policy: DEFAULT_ROUTING_POLICY,
    now: Date.now,
    newId: newOrderId,
    reservationTtlMs: 30 * 60_000,
    resumeAfterMs: 30_000,
    submitTimeoutMs: 10_000,
    submitAttempts: 3,
    placementBudgetMs: 8_000,
    onStatusChange: () => {},
    beforeSave: () => {},
    ...options,
    log: options.log.child({ component: 'orders' }),
  };
  const runner = createOrderRunner(deps);
  const tracker = createTrackingLoop(deps, (tenant, orderId, subOrderId, report) => service.applyReport(tenant, orderId, subOrderId, report), options.tracking);
  const queue = createKeyedQueue(); // one writer per order in this process
  const iso = () => new Date(deps.now()).toISOString();
  const serial = <T>(order: { tenant: string; id: string }, task: () => Promise<T>) => queue(`${order.tenant}\u0000${order.id}`, task);

  async function load(tenant: string, id: string): Promise<OrderRecord> {
    const order = await deps.orders.get(tenant, id);
    if (order === null) throw registryError('NOT_FOUND', `No order ${id}`, { details: { id } });
    return order;
  }

  /** `costTimeoutMs`: how long live cost quotes may take (only a cost-ranking policy asks for them). */
  async function decide(request: PlaceOrderRequest, allowed: readonly string[] | undefined, costTimeoutMs?: number): Promise<RoutingPreview> {
    const candidates = await loadCandidates(deps, request.lines.map((l) => l.sku), allowed, costTimeoutMs);
    const lines = request.lines.map((l, i) => ({ lineNumber: i + 1, ...routeLine(l.sku, l.quantity, candidates.get(l.sku) ?? [], deps.policy, [], allowed) }));
    return { lines, routable: lines.every((l) => l.unallocated === 0) };
  }

  /** Keys are kept as long as their orders (never purged), which covers the promised 24 h. */
  function sameOrRefuse(existing: OrderRecord, hash: string): OrderRecord {
    if (existing.requestHash !== hash) {
      throw registryError('INVALID_INPUT', 'idempotencyKey was already used for a different order', {
        details: { field: 'idempotencyKey', reason: 'IDEMPOTENCY_KEY_REUSED', orderId: existing.id },
      });
    }
    return existing;
  }

  const runLocked = (tenant: string, id: string) => serial({ tenant, id }, async () => runner.run(await load(tenant, id)));

  /** Placement runs that outlived their caller's budget and go on in the background. */
  const background = new Set<Promise<unknown>>();

  /**
   * Runs the workflow of a freshly stored order, but answers by `deadline` (epoch ms) whatever the suppliers do:
   * then with the order as last stored (its pending sub-orders `submitting`), while the run goes on and stores
   * its outcome. A run that fails outright before the deadline (the store) still fails the call.
   */
  async function runWithin(tenant: string, id: string, deadline: number): Promise<OrderRecord> {
    const run = runLocked(tenant, id);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), Math.max(0, deadline - Date.now()));
    });
    try {
      const done = await Promise.race([run, late]);
      if (done !== null) return done;
    } finally {
      clearTimeout(timer);
    }
    const tracked = run.catch((error: unknown) => deps.log.warn({ order: id, ...errorFields(error) }, 'background placement failed; the resume loop retries it'));
    background.add(tracked);
    void tracked.finally(() => background.delete(tracked));
    deps.log.info({ order: id, budgetMs: deps.placementBudgetMs }, 'placement budget spent: answering with the order as stored; supplier calls continue');
    return (await deps.orders.get(tenant, id)) ?? load(tenant, id);
  }

  const service: OrderService = {
    async placeOrder(input, tenant, allowedSuppliers, options = {}) {
      const budgetMs = options.budgetMs ?? deps.placementBudgetMs;
      const deadline = Date.now() + budgetMs;
      const request = validatePlaceOrder(input);
      const hash = requestHash(request);
      const known = await deps.orders.getByIdempotencyKey(tenant, request.idempotencyKey);
      if (known !== null) return sameOrRefuse(known, hash);
      const preview = await decide(request, allowedSuppliers, Math.max(100, Math.floor((deadline - Date.now()) / 3))); // also refuses unknown SKUs before anything is written
      const short = preview.lines.find((l) => l.unallocated > 0);
      if (short !== undefined) {
        // Nothing can be sold for this line now: refuse the whole order before writing anything (the client
        // decides whether to drop the line). Lines that fail later, when a supplier refuses, need attention instead.
        // A partner limited to suppliers none of which carries the SKU gets the same refusal, told apart by
        // `reason: NO_ALLOWED_SUPPLIER` (the suppliers outside its list are never named).
        throw registryError('OUT_OF_STOCK', `${short.sku}: ${short.reason}`, {
          details: { field: `lines[${short.lineNumber - 1}].sku`, sku: short.sku, requested: short.quantity, ...(short.outsideAccess ? { reason: 'NO_ALLOWED_SUPPLIER' } : {}) },
        });
      }
      const id = deps.newId();
      const at = iso();
      const subOrders: SubOrderRecord[] = [];
      const fresh = new Map<string, SubOrderRecord>();
      const lines = preview.lines.map((d) =>
        applyDecision({ lineNumber: d.lineNumber, sku: d.sku, quantity: d.quantity, supplier: null, supplierSku: null, status: 'submitting', unitCost: null }, d, id, subOrders, fresh, at),
      );
      const record: OrderRecord = {
        id,
        tenant,
        idempotencyKey: request.idempotencyKey,
        status: 'submitting',
        lines,
        shipments: [],
        createdAt: at,
        updatedAt: at,
        version: 1,
        requestHash: hash,
        customer: await sealCustomer(deps.kms, tenant, id, request.shipTo),
        subOrders,
        workflow: 'placing',
        returns: [],
        ...(allowedSuppliers === undefined ? {} : { allowedSuppliers: [...allowedSuppliers] }),
      };
      const inserted = await deps.orders.insert(record);
      if (!inserted.inserted) return sameOrRefuse(inserted.existing, hash); // lost a race with the same key
      return runWithin(tenant, id, deadline);
    },

    async previewOrderRouting(input, _tenant, allowedSuppliers) {
      return decide(validatePlaceOrder(input), allowedSuppliers);
    },

    async cancelOrder(tenant, id, lineNumbers) {
      return serial({ tenant, id }, async () => cancelSubOrders(deps, runner, await load(tenant, id), lineNumbers));
    },

    async requestReturn(tenant, id, lineNumber, quantity, reason) {
      return serial({ tenant, id }, async () => {
        const order = await load(tenant, id);
        const line = order.lines.find((l) => l.lineNumber === lineNumber);
        if (line === undefined) throw registryError('INVALID_INPUT', `Order ${id} has no line ${lineNumber}`, { details: { field: 'lineNumber' } });
        const shipped = order.shipments.flatMap((s) => s.lines).filter((l) => l.lineNumber === lineNumber).reduce((n, l) => n + l.quantity, 0);
        const returned = (order.returns ?? []).filter((r) => r.lineNumber === lineNumber && r.status !== 'rejected').reduce((n, r) => n + r.quantity, 0);
        if (!Number.isInteger(quantity) || quantity < 1 || quantity > shipped - returned) {
          throw registryError('INVALID_INPUT', `quantity must be 1..${shipped - returned} (shipped and not yet returned)`, { details: { field: 'quantity' } });
        }
        const entry: ReturnRequestRecord = { id: `${id}-r${(order.returns ?? []).length + 1}`, lineNumber, quantity, reason: reason.slice(0, 500), status: 'requested', createdAt: iso() };
        return runner.save({ ...order, returns: [...(order.returns ?? []), entry] }, `return:${entry.id}`, order.status);
      });
    },

    async retryOrder(tenant, id) {
      const order = await load(tenant, id);
      if (!(order.subOrders ?? []).some((s) => PENDING_SUB_ORDER_STATES.includes(s.state))) {
        throw registryError('INVALID_INPUT', `Order ${id} has no sub-order left to send`, { details: { field: 'id', reason: 'NOTHING_TO_RETRY' } });
      }
      deps.log.info({ order: id, tenant }, 'operator retry: driving the order now');
      return runLocked(tenant, id);
    },

    async rerouteOrder(tenant, id) {
      await serial({ tenant, id }, async () => rerouteLines(deps, runner, await load(tenant, id)));
      return runLocked(tenant, id);
    },

    async resumePending({ limit = 50, minAgeMs = deps.resumeAfterMs } = {}) {
      // Every order in `placing` is looked at (keyset pages), not only the oldest page; at most `limit` are re-run.
      const cutoff = deps.now() - minAgeMs;
      const pending: OrderRecord[] = [];
      let after: string | null = null;
      do {
        const page = await deps.orders.listByWorkflow('placing', 200, after);
        pending.push(...page.items.filter((o) => Date.parse(o.updatedAt) <= cutoff));
        after = page.nextCursor;
      } while (after !== null && pending.length < limit);
      for (const order of pending.slice(0, limit)) await runLocked(order.tenant, order.id).catch((error: unknown) => deps.log.warn({ order: order.id, err: error }, 'resume failed'));
      return Math.min(pending.length, limit);
    },

    async pollTracking({ supplier }: { supplier?: string } = {}) {
      return (await tracker.cycle({ all: true, ...(supplier === undefined ? {} : { supplier }) })).changed;
    },

    async trackDue() {
      return (await tracker.cycle()).changed;
    },

    async applyReport(tenant, orderId, subOrderId, report) {
      return serial({ tenant, id: orderId }, async () => {
        const order = await load(tenant, orderId);
        const next = applySupplierStatus(order, subOrderId, report, iso());
        if (next === order) return null;
        const supplier = next.subOrders?.find((s) => s.id === subOrderId)?.supplier;
        const allocates = supplier !== undefined && deps.connectors.get(supplier)?.allocatesStockOnAccept === true;
        await settleCommittedUnits(deps, next, subOrderId, allocates); // before the status that implies it is stored
        const saved = await runner.save(next, `status:${subOrderId}:${report.status}`, order.status);
        tracker.noteOrder(saved); // the schedule follows a change however it was learnt (poll or webhook)
        return saved;
      });
    },

    async trackSupplierOrders(supplier, signals, abort) {
      return trackTriggered(deps, (tenant, orderId, subOrderId, report) => this.applyReport(tenant, orderId, subOrderId, report), supplier, signals, abort);
    },

    start(intervalMs) {
      let stopped = false;
      const stopping = new AbortController(); // a stop cuts a tracking cycle short instead of waiting for its budget
      let running: Promise<unknown> = Promise.resolve();
      const tick = () => {
        running = (async () => {
          await this.resumePending();
          if (!stopped) await tracker.cycle({ signal: stopping.signal });
        })().catch((error: unknown) => deps.log.warn({ err: error }, 'order loop failed'));
        void running.then(() => {
          if (!stopped) timer = setTimeout(tick, intervalMs);
        });
      };
      let timer: NodeJS.Timeout = setTimeout(tick, 0);
      return {
        async stop() {
          stopped = true;
          stopping.abort();
          clearTimeout(timer);
          await running;
          await Promise.allSettled([...background]); // placements still talking to suppliers finish and store
        },
      };
    },
  };
  return service;
}
