/**
 * One attempt of one supplier call through the traffic policies (breaker → rate limit → concurrency slot →
 * deadline → call), with what each step tells the others afterwards: the outcome to the breaker, the actual
 * cost and a supplier throttle to the limiter, everything to metrics. with-traffic-control.ts adds retries.
 */
import type { CallContext, ConnectorOperation } from '../connector.ts';
import { RegistryError, isRegistryError, toRegistryError } from '../../../kernel/errors.ts';
import { supplierOwnCode } from '../supplier-facts.ts';
import type { SupplierMetrics } from '../../../platform/metrics.ts';
import type { BreakerTicket, CircuitBreaker } from './circuit-breaker.ts';
import type { ConcurrencyLimiter } from './concurrency-limiter.ts';
import type { RateLimiter, RatePermit, ReportedThrottleStatus } from './rate-limiter.ts';
import { DEFAULT_LONGEST_WAIT_MS, cappedWaitMs } from './throttle-report-bounds.ts';
import { budgetSpent, timeLeftMs, withDeadline } from './timeout.ts';
import { callEvent } from './call-trace.ts';

export interface AttemptOptions {
  readonly supplier: string;
  readonly operation: ConnectorOperation;
  readonly ctx: CallContext;
  readonly timeoutMs: number;
  /** For tokens and a slot together. */
  readonly maxWaitMs: number;
  readonly limiter?: RateLimiter;
  readonly breaker?: CircuitBreaker;
  readonly concurrency?: ConcurrencyLimiter;
  readonly metrics?: SupplierMetrics;
  readonly throttleStatus?: () => ReportedThrottleStatus | null;
}

const seconds = (since: number): number => (performance.now() - since) / 1000;

export async function runAttempt<T>(o: AttemptOptions, call: (ctx: CallContext) => Promise<T>): Promise<T> {
  const { supplier, operation, ctx, metrics } = o;
  const lane = ctx.lane;

  const refused = (error: unknown): never => {
    const e = toRegistryError(error, { supplier, operation });
    callEvent('refused', { 'error.type': e.code });
    metrics?.call({ supplier, operation, lane, outcome: 'rejected' });
    metrics?.error({ supplier, operation, errorClass: e.errorClass, code: e.code });
    if (e.code === 'RATE_LIMITED_LOCALLY') metrics?.throttled(supplier, operation, 'local');
    throw e;
  };

  let ticket: BreakerTicket | undefined;
  try {
    ticket = o.breaker?.admit(operation);
    if (o.breaker) callEvent('breaker', { decision: 'admitted', state: o.breaker.state() });
  } catch (error) {
    if (o.breaker) callEvent('breaker', { decision: 'refused', state: o.breaker.state() });
    refused(error);
  }

  let permit: RatePermit | undefined;
  let release: (() => void) | undefined;
  try {
    // Waiting for budget never outlasts the request's own deadline: a refusal (RATE_LIMITED_LOCALLY) comes back in
    // time to serve the last known value, where an abort mid-wait would leave nothing to serve.
    const maxWaitMs = Math.min(o.maxWaitMs, timeLeftMs(ctx.signal) ?? Infinity);
    const waitUntil = performance.now() + maxWaitMs;
    if (o.limiter) {
      const since = performance.now();
      permit = await o.limiter.acquire({ operation, lane, signal: ctx.signal, maxWaitMs });
      metrics?.waited(supplier, lane, 'rate_limit', seconds(since));
      callEvent('rate_limit.acquired', { waitedMs: Math.round(performance.now() - since), probe: permit.probe === true });
      for (const [bucket, left] of Object.entries(permit.remaining)) metrics?.bucketTokens(supplier, bucket, left, permit.capacity?.[bucket]);
      // At most one a probe interval across processes: worth a line, it means the supplier's last report emptied the bucket.
      if (permit.probe) ctx.log.info({ supplier, op: operation, lane }, 'probe sent past a cost bucket the supplier reported empty');
    }
    if (o.concurrency) {
      const since = performance.now();
      release = await o.concurrency.acquire({ operation, lane, signal: ctx.signal, maxWaitMs: Math.max(0, waitUntil - performance.now()) });
      metrics?.waited(supplier, lane, 'concurrency', seconds(since));
      callEvent('concurrency.acquired', { waitedMs: Math.round(performance.now() - since) });
      metrics?.inFlight(supplier, o.concurrency.inFlight());
    }
  } catch (error) {
    ticket?.release();
    await permit?.finish().catch(() => {});
    refused(error);
  }

  const started = performance.now();
  const reportBefore = o.throttleStatus?.() ?? null;
  let actualCost: number | undefined;
  try {
    const result = await withDeadline((signal) => call({ ...ctx, signal }), { signal: ctx.signal, timeoutMs: o.timeoutMs, supplier, operation });
    ticket?.record();
    metrics?.call({ supplier, operation, lane, outcome: 'success', seconds: seconds(started) });
    return result;
  } catch (error) {
    const e = boundedWait(toRegistryError(error, { supplier, operation }), o.limiter?.longestWaitMs ?? DEFAULT_LONGEST_WAIT_MS);
    // An attempt cut short by the caller's budget says nothing about the supplier's health: not a breaker failure.
    if (budgetSpent(ctx.signal)) ticket?.release();
    else ticket?.record(e);
    metrics?.call({ supplier, operation, lane, outcome: 'error', seconds: seconds(started) });
    const supplierCode = supplierOwnCode(e);
    metrics?.error({ supplier, operation, errorClass: e.errorClass, code: e.code, ...(supplierCode === undefined ? {} : { supplierCode }) });
    // A supplier that was unreachable or answered 5xx without a cost report ran nothing we can be charged for: the
    // estimate drawn up front goes back. Kept for a timeout (the query may have run) and for any answer with a body;
    // the next report corrects either way. Without this, a supplier that is down drained the cost bucket with
    // estimates and its offers came back RATE_LIMITED_LOCALLY instead of SUPPLIER_UNAVAILABLE.
    if (e.code === 'SUPPLIER_UNAVAILABLE' && (o.throttleStatus?.() ?? null) === reportBefore) actualCost = 0;
    if (e.code === 'SUPPLIER_THROTTLED') {
      metrics?.throttled(supplier, operation, 'supplier');
      // Every process sharing the bucket then waits what the supplier asked for, not only this caller.
      await o.limiter?.observeThrottled(operation, e.retryAfterMs).catch((failure: unknown) => logStoreFailure(o, failure));
    }
    throw e;
  } finally {
    release?.();
    if (o.concurrency) metrics?.inFlight(supplier, o.concurrency.inFlight());
    await settle(o, permit, actualCost);
  }
}

/**
 * A supplier's wait (Retry-After, a GraphQL throttle wait) capped at the longest wait we impose: past it we ask again
 * (docs/traffic-control.md, "Bounds on what the supplier reports"). The original error stays the cause.
 */
function boundedWait(e: RegistryError, longestMs: number): RegistryError {
  if (e.retryAfterMs === undefined) return e;
  const capped = cappedWaitMs(e.retryAfterMs, longestMs);
  if (capped === e.retryAfterMs) return e;
  return new RegistryError(e.code, e.message, {
    ...(e.supplier === undefined ? {} : { supplier: e.supplier }),
    ...(e.operation === undefined ? {} : { operation: e.operation }),
    ...(capped === undefined ? {} : { retryAfterMs: capped }),
    ...(e.details === undefined ? {} : { details: e.details }),
    cause: e,
  });
}

/** Hands the permit back and lets the limiter learn from the supplier's own report; never fails the call. */
async function settle(o: AttemptOptions, permit: RatePermit | undefined, actualCost: number | undefined): Promise<void> {
  try {
    await permit?.finish(actualCost);
    const status = o.limiter && o.throttleStatus?.();
    if (o.limiter && status) await o.limiter.observeThrottleStatus(status);
  } catch (error) {
    logStoreFailure(o, error);
  }
}

function logStoreFailure(o: AttemptOptions, error: unknown): void {
  o.ctx.log.warn({ supplier: o.supplier, op: o.operation, err: isRegistryError(error) ? error.code : String(error) }, 'rate-limit bookkeeping failed');
}
