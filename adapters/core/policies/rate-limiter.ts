/**
 * One supplier's rate limiter over shared token buckets (RateLimitStore): endpoint classes from the supplier's
 * published limits, lane priority, waits bounded by the call's deadline, and cost-based budgets that follow what
 * a GraphQL supplier reports. Design notes in docs/traffic-control.md.
 *
 * Lanes, twice over:
 * - within this process, callers that must wait queue per set of buckets, order before interactive before sync
 *   (FIFO within a lane); only the head of a queue polls the store, so a flood of sync waiters costs one store
 *   call per wake-up, and a newly arrived higher-lane call skips the queue;
 * - across processes, where no queue can reach, a lower lane must leave a floor in the bucket (`reserve`, a
 *   share of its capacity), so sync traffic elsewhere can never drain what an order here needs;
 * - guaranteed shares: each lane also has its own bucket per class (`shares`: that share of the class's capacity and
 *   refill). A call first draws from its lane bucket and the shared one with no floor — within its share it is
 *   granted whatever the other lanes do — and only then, if its lane may borrow (`borrows`), from the shared bucket
 *   alone down to its floor. Tracking does not borrow, so status polls stay within their share.
 *
 * What a supplier reports is bounded (throttle-report-bounds.ts): an adopted cost bucket stays within a band around
 * the published one and expires a probe interval after its last report, waits are capped at `longestWaitMs`, and
 * when a report left the cost bucket with no room for longer than a probe interval, one call per interval across all
 * processes (a shared probe bucket) goes out anyway, so a healthy answer always gets through and resets it.
 */
import type { Lane } from '../connector.ts';
import type { BucketDraw, BucketShape, TakeOutcome } from '../../../platform/ports/rate-limit-store.ts';
import { DEFAULT_LANE_BORROWS, DEFAULT_LANE_SHARES, LANES, LANE_RANK, abortedError, insertByLane, rateLimitedLocally, removeFrom, wakeableSleep, type LaneWaiter } from './lanes.ts';
import { DEFAULT_ADOPT_BAND, DEFAULT_LONGEST_WAIT_MS, DEFAULT_PROBE_EVERY_MS, boundedReport, cappedWaitMs } from './throttle-report-bounds.ts';
import { DEFAULT_HEADROOM, DEFAULT_RESERVE, validate, type RateLimiterOptions } from './rate-limiter-options.ts';

export type { BucketClass, RateLimiterOptions } from './rate-limiter-options.ts';

export interface AcquireRequest {
  readonly operation: string;
  readonly lane: Lane;
  readonly signal: AbortSignal;
  /** Longest this call may wait for tokens; a longer wait fails now with RATE_LIMITED_LOCALLY. */
  readonly maxWaitMs: number;
  /** Overrides the configured cost estimate for this call. */
  readonly cost?: number;
}

export interface RatePermit {
  /** Tokens left per class right after the take (for the bucket gauge). */
  readonly remaining: Readonly<Record<string, number>>;
  /** Size of each of those buckets (for the quota gauge: tokens left over capacity). */
  readonly capacity?: Readonly<Record<string, number>>;
  /** Cost points taken from the cost class (0 without one, and for a probe). */
  readonly cost: number;
  /** Sent past an emptied cost bucket to let a fresh report in (one per probe interval across processes). */
  readonly probe?: true;
  /** Call once the call is over. With the actual cost, the difference to the estimate is refunded or charged. */
  finish(actualCost?: number): Promise<void>;
}

/** What a cost-based supplier reports (adapters/graphql ThrottleStatus, with when it was seen). */
export interface ReportedThrottleStatus {
  readonly currentlyAvailable: number;
  readonly maximumAvailable: number;
  readonly restoreRate: number;
  /** Epoch ms of the answer that carried it. @default now */
  readonly observedAt?: number;
}

export interface RateLimiter {
  readonly supplier: string;
  /** The cap on every wait (options.longestWaitMs), for the traffic layer to cap what suppliers ask. @default DEFAULT_LONGEST_WAIT_MS */
  readonly longestWaitMs?: number;
  /** Waits for tokens (bounded by maxWaitMs and the signal), or throws RATE_LIMITED_LOCALLY / CALL_ABORTED. */
  acquire(request: AcquireRequest): Promise<RatePermit>;
  /** Sets the cost bucket to what the supplier says is left (and adopts its size and restore rate). */
  observeThrottleStatus(status: ReportedThrottleStatus): Promise<void>;
  /** The supplier throttled `operation`: drain its most specific bucket so every process waits `retryAfterMs`. */
  observeThrottled(operation: string, retryAfterMs: number | undefined): Promise<void>;
  /** Levels of every class now. */
  peek(): Promise<Record<string, number>>;
  /** Calls waiting in this process. */
  queued(): number;
}


interface Plan {
  readonly signature: string;
  readonly classes: readonly string[];
  /** The lane's own buckets after the shared ones (no floor): null when the lane has no share. */
  readonly guaranteed: readonly BucketDraw[] | null;
  /** The shared buckets alone, down to the lane's floor: null when the lane may not borrow. */
  readonly borrow: readonly BucketDraw[] | null;
  readonly cost: number;
}

/** One store round (guaranteed, then borrowed): what was drawn, or how long to wait. */
type Attempt =
  | { readonly granted: true; readonly drawn: readonly BucketDraw[]; readonly outcome: TakeOutcome; readonly probe?: true }
  | {
      readonly granted: false;
      /** Until the plan's own buckets have room: whether to wait or refuse is decided on this. */
      readonly waitMs: number;
      /** Sooner, when a probe token comes back first: when to look again, and the retryAfterMs of a refusal. */
      readonly soonestMs?: number;
    };

interface Waiter extends LaneWaiter {
  readonly plan: Plan;
  readonly operation: string;
  readonly deadlineAt: number;
  settled: boolean;
  settle(outcome: { permit: RatePermit } | { error: unknown }): void;
}

interface Queue {
  readonly waiters: Waiter[];
  pumping: boolean;
  wake?: () => void;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { supplier, store } = options;
  const now = options.now ?? (() => Date.now());
  const reserve = { ...DEFAULT_RESERVE, ...options.reserve };
  const shares = { ...DEFAULT_LANE_SHARES, ...options.shares };
  const borrows = { ...DEFAULT_LANE_BORROWS, ...options.borrows };
  const headroom = { ...DEFAULT_HEADROOM, ...options.headroom };
  const published = validate(options);
  const costClass = Object.keys(published).find((name) => options.classes[name]!.unit === 'cost');
  const adoptBand = options.adoptBand ?? DEFAULT_ADOPT_BAND;
  const longestWaitMs = options.longestWaitMs ?? DEFAULT_LONGEST_WAIT_MS;
  const probeEveryMs = options.probeEveryMs ?? DEFAULT_PROBE_EVERY_MS;
  const keyOf = (name: string): string => `{${supplier}}:${name}`;
  // One token per probe interval, shared by every process: at most one probe per interval reaches the supplier.
  const probeDraw: BucketDraw = { key: `{${supplier}}:probe`, capacity: 1, refillPerSec: 1_000 / probeEveryMs, tokens: 1 };
  const queues = new Map<string, Queue>();
  let seq = 0;
  let inFlightCost = 0;
  let lastObservedAt = Number.NEGATIVE_INFINITY;
  /** The cost bucket as the supplier last reported it (bounded), and when; per process. */
  let adopted: { readonly shape: BucketShape; readonly at: number } | null = null;
  /** After a refused probe: when the probe token is back (a local hint, so refused calls do not each ask the store). */
  let probeNotBefore = Number.NEGATIVE_INFINITY;

  // An adopted shape lapses a probe interval after the report that carried it: a process that has sent nothing since
  // has nothing current to go by, and goes back to what the supplier published.
  const shapeOf = (name: string): BucketShape =>
    name === costClass && adopted !== null && now() - adopted.at <= probeEveryMs ? adopted.shape : published[name]!;
  // A wait that may rest on the supplier's word (a plan drawing the reported cost bucket) is capped; a wait on our
  // published buckets alone is exact arithmetic on our own configuration (an hourly quota's 20 minutes are real).
  const cap = (p: Plan, waitMs: number): number => (costClass !== undefined && p.classes.includes(costClass) ? (cappedWaitMs(waitMs, longestWaitMs) ?? 0) : waitMs);

  const classesOf = (operation: string): readonly string[] => options.operations?.[operation] ?? ['default'];

  const laneKeyOf = (name: string, lane: Lane): string => `{${supplier}}:${name}:lane:${lane}`;

  function plan(operation: string, lane: Lane, costOverride: number | undefined): Plan {
    const classes = classesOf(operation);
    let cost = 0;
    const shared: BucketDraw[] = [];
    const own: BucketDraw[] = [];
    for (const name of classes) {
      const shape = shapeOf(name);
      // A cost over the whole bucket is clamped to it: the supplier, not we, decides whether it is too big.
      const tokens = name === costClass ? Math.min(shape.capacity, costOverride ?? options.costs?.[operation] ?? 1) : 1;
      if (name === costClass) cost = tokens;
      // The floor is clamped so every draw can fit a full bucket; a burst of 1 has nothing to reserve.
      const floor = Math.min(reserve[lane] * shape.capacity, shape.capacity - tokens);
      if (name === costClass) {
        // A cost bucket is charged the estimate up front and corrected by the supplier's report after the call, so
        // a lane's share of it would be spent at the estimate (a status read is estimated at 20× what it costs).
        // The lane's guarantee is counted in calls (its share of the request classes); on the cost bucket every
        // draw keeps the lane's floor, so what a lower lane leaves is there for the ones above it.
        shared.push({ key: keyOf(name), ...shape, tokens, floor });
        continue;
      }
      shared.push({ key: keyOf(name), ...shape, tokens, floor: Math.min(headroom[lane] * shape.capacity, shape.capacity - tokens) });
      // The lane's bucket holds at least one call, so a small share still moves (at its share of the refill).
      own.push({ key: laneKeyOf(name, lane), capacity: Math.max(shares[lane] * shape.capacity, tokens), refillPerSec: shares[lane] * shape.refillPerSec, tokens });
    }
    const floored = shared.map((d) => ({ ...d, floor: Math.min(reserve[lane] * d.capacity, d.capacity - d.tokens) }));
    return {
      signature: classes.join('+'),
      classes,
      guaranteed: shares[lane] > 0 ? [...shared, ...own] : null,
      borrow: borrows[lane] ? floored : null,
      cost,
    };
  }

  async function attempt(p: Plan): Promise<Attempt> {
    let waitMs = Number.POSITIVE_INFINITY;
    for (const draws of [p.guaranteed, p.borrow]) {
      if (draws === null) continue;
      const outcome = await store.take(draws);
      if (outcome.granted) return { granted: true, drawn: draws, outcome };
      waitMs = Math.min(waitMs, outcome.waitMs);
    }
    return { granted: false, waitMs };
  }

  /**
   * A normal attempt; and when the cost bucket — the one the supplier's reports set — keeps the call waiting longer
   * than a probe interval, a probe: the plan's other buckets (our published request limits, always kept) plus the
   * shared probe token, without the cost points. Its answer carries a fresh report, which resets the bucket.
   * The wait counts the lane's floor: tried without it (probing only when the points for the call itself were short),
   * a poisoned level lapsed to the published shape but still below a live read's floor held both processes of the
   * fault test out for 3.4–4.7 s, past a 4 s open time. The price is one call per interval past a floor.
   */
  async function tryPlan(p: Plan): Promise<Attempt> {
    const outcome = await attempt(p);
    if (outcome.granted || costClass === undefined || !p.classes.includes(costClass) || outcome.waitMs <= probeEveryMs) return outcome;
    const t = now();
    if (t < probeNotBefore) return { granted: false, waitMs: outcome.waitMs, soonestMs: Math.min(outcome.waitMs, probeNotBefore - t) };
    const costKey = keyOf(costClass);
    const without = (draws: readonly BucketDraw[] | null): readonly BucketDraw[] | null => (draws === null ? null : [...draws.filter((d) => d.key !== costKey), probeDraw]);
    const probe = await attempt({ ...p, cost: 0, guaranteed: without(p.guaranteed), borrow: without(p.borrow) });
    if (probe.granted) return { ...probe, probe: true };
    const probeWait = Math.min(probe.waitMs, probeEveryMs);
    probeNotBefore = now() + probeWait;
    // Not a wait promised to this call: the probe token goes to whichever call asks first once it is back.
    return { granted: false, waitMs: outcome.waitMs, soonestMs: Math.min(outcome.waitMs, probeWait) };
  }

  function permitOf(p: Plan, taken: Extract<Attempt, { granted: true }>): RatePermit {
    const cost = taken.probe ? 0 : p.cost;
    inFlightCost += cost;
    let finished = false;
    const left = new Map(taken.drawn.map((d, i) => [d.key, taken.outcome.remaining[i] ?? 0]));
    const remaining = Object.fromEntries(p.classes.flatMap((name) => (left.has(keyOf(name)) ? [[name, left.get(keyOf(name))!]] : [])));
    return {
      remaining,
      capacity: Object.fromEntries(Object.keys(remaining).map((name) => [name, shapeOf(name).capacity])),
      cost,
      ...(taken.probe ? { probe: true as const } : {}),
      async finish(actualCost) {
        if (finished) return;
        finished = true;
        inFlightCost -= cost;
        if (costClass && cost > 0 && actualCost !== undefined && actualCost !== cost) {
          await store.adjust(keyOf(costClass), shapeOf(costClass), { delta: cost - actualCost });
        }
      },
    };
  }

  const refund = (drawn: readonly BucketDraw[]): Promise<unknown> => Promise.all(drawn.map((d) => store.adjust(d.key, d, { delta: d.tokens })));

  async function pump(queue: Queue): Promise<void> {
    queue.pumping = true;
    try {
      while (queue.waiters.length > 0) {
        // The first waiter of each lane tries, highest lane first: a lane waiting for its own share must not hold
        // back a lower lane whose share has room (each lane's guarantee is its own).
        const heads = LANES.map((lane) => queue.waiters.find((w) => w.lane === lane)).filter((w): w is Waiter => w !== undefined);
        let progressed = false;
        let sleepMs = Number.POSITIVE_INFINITY;
        for (const head of heads) {
          let outcome: Attempt;
          try {
            outcome = await tryPlan(head.plan);
          } catch (error) {
            removeFrom(queue.waiters, head);
            head.settle({ error });
            progressed = true;
            break;
          }
          if (head.settled) {
            // Aborted or timed out while the store answered: give back what it just got.
            if (outcome.granted) await refund(outcome.drawn).catch(() => {});
            progressed = true;
            break;
          }
          if (outcome.granted) {
            removeFrom(queue.waiters, head);
            head.settle({ permit: permitOf(head.plan, outcome) });
            progressed = true;
            break;
          }
          if (outcome.waitMs > head.deadlineAt - now()) {
            removeFrom(queue.waiters, head);
            head.settle({ error: rateLimitedLocally(supplier, head.operation, cap(head.plan, outcome.soonestMs ?? outcome.waitMs), { limit: 'rate', lane: head.lane, classes: head.plan.classes }) });
            progressed = true;
            break;
          }
          sleepMs = Math.min(sleepMs, cap(head.plan, outcome.soonestMs ?? outcome.waitMs));
        }
        if (progressed || queue.waiters.length === 0) continue;
        const sleep = wakeableSleep(sleepMs);
        queue.wake = sleep.wake;
        await sleep.done;
        queue.wake = undefined;
      }
    } finally {
      queue.pumping = false;
    }
  }

  function enqueue(queue: Queue, p: Plan, request: AcquireRequest, deadlineAt: number): Promise<RatePermit> {
    return new Promise<RatePermit>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        request.signal.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        lane: request.lane,
        seq: seq++,
        plan: p,
        operation: request.operation,
        deadlineAt,
        settled: false,
        settle(outcome) {
          if (waiter.settled) return;
          waiter.settled = true;
          cleanup();
          if ('permit' in outcome) resolve(outcome.permit);
          else reject(outcome.error);
        },
      };
      const leave = (error: unknown): void => {
        const wasHead = queue.waiters[0] === waiter;
        removeFrom(queue.waiters, waiter);
        waiter.settle({ error });
        if (wasHead) queue.wake?.();
      };
      const onAbort = (): void => leave(abortedError(supplier, request.operation, 'rate-limit tokens'));
      // A waiter behind others must still give up at its own deadline.
      const timer = setTimeout(() => leave(rateLimitedLocally(supplier, request.operation, undefined, { limit: 'rate', lane: request.lane, classes: p.classes })), Math.max(0, deadlineAt - now()));
      request.signal.addEventListener('abort', onAbort, { once: true });
      insertByLane(queue.waiters, waiter);
      // One pump per queue; a new head must not sleep out the wait computed for the previous one.
      if (!queue.pumping) void pump(queue);
      else if (queue.waiters[0] === waiter) queue.wake?.();
    });
  }

  return {
    supplier,
    longestWaitMs,

    async acquire(request) {
      if (request.signal.aborted) throw abortedError(supplier, request.operation, 'rate-limit tokens');
      const deadlineAt = now() + request.maxWaitMs;
      const p = plan(request.operation, request.lane, request.cost);
      let queue = queues.get(p.signature);
      if (!queue) queues.set(p.signature, (queue = { waiters: [], pumping: false }));
      const rank = LANE_RANK[request.lane];
      if (!queue.waiters.some((w) => LANE_RANK[w.lane] <= rank)) {
        const outcome = await tryPlan(p);
        if (outcome.granted) return permitOf(p, outcome);
        if (outcome.waitMs > deadlineAt - now()) {
          throw rateLimitedLocally(supplier, request.operation, cap(p, outcome.soonestMs ?? outcome.waitMs), { limit: 'rate', lane: request.lane, classes: p.classes });
        }
      }
      return enqueue(queue, p, request, deadlineAt);
    },

    async observeThrottleStatus(status) {
      if (!costClass) return;
      const observedAt = status.observedAt ?? now();
      // An older answer that arrived late says nothing new, and neither does the same one again (the traffic layer passes
      // the client's last report after every attempt, also one that got no answer): it must not renew an adoption.
      if (!Number.isFinite(observedAt) || observedAt <= lastObservedAt) return;
      // Bounded to the published shape's band, level within [0, capacity]; a report with a non-finite number is ignored.
      const bounded = boundedReport(published[costClass]!, status, adoptBand);
      if (!bounded) return;
      lastObservedAt = observedAt;
      const { shape, level } = bounded;
      adopted = { shape, at: Math.min(now(), observedAt) };
      const projected = Math.min(shape.capacity, level + (shape.refillPerSec * Math.max(0, now() - observedAt)) / 1000);
      // Calls of ours still in flight may not be in the report yet: keep their points reserved (errs on the safe side),
      // but never below empty — the supplier's own bucket refuses rather than going into debt.
      await store.adjust(keyOf(costClass), shape, { set: Math.max(0, projected - inFlightCost) });
    },

    async observeThrottled(operation, retryAfterMs) {
      const name = classesOf(operation).at(-1)!;
      const shape = shapeOf(name);
      const tokens = name === costClass ? Math.min(shape.capacity, options.costs?.[operation] ?? 1) : 1;
      // Exactly one call's worth is back after the wait (capped: longestWaitMs), in every process sharing the bucket.
      const waitMs = cappedWaitMs(retryAfterMs, longestWaitMs);
      const wait = waitMs === undefined ? 0 : (waitMs * shape.refillPerSec) / 1000;
      await store.adjust(keyOf(name), shape, { atMost: waitMs === undefined ? 0 : tokens - wait });
    },

    async peek() {
      const names = Object.keys(published);
      const levels = await Promise.all(names.map((name) => store.peek(keyOf(name), shapeOf(name))));
      return Object.fromEntries(names.map((name, i) => [name, levels[i]!]));
    },

    queued: () => [...queues.values()].reduce((sum, q) => sum + q.waiters.length, 0),
  };
}
