/**
 * The one policy composition around a raw connector. Per attempt, outside in:
 *
 *   breaker → rate limit → concurrency slot → deadline → supplier call
 *
 * and retry around the whole attempt, for reads (and keyed writes when asked). The breaker goes first so an
 * open circuit costs no tokens and no queueing; tokens before the slot so a call waiting for budget does not sit
 * on a connection slot; the deadline covers only the supplier call, while queueing is bounded by `maxWaitMs` and
 * the caller's signal. Every attempt takes its own tokens: a retry is a request the supplier counts.
 * Design and metric names: docs/traffic-control.md.
 */
import { CONNECTOR_OPERATIONS, groupOf, type CallContext, type ConnectorOperation, type ServiceGroup, type SupplierConnector } from '../connector.ts';
import { isRegistryError, toRegistryError } from '../../../kernel/errors.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { SupplierMetrics } from '../../../platform/metrics.ts';
import type { BreakerState, CircuitBreaker } from './circuit-breaker.ts';
import type { ConcurrencyLimiter } from './concurrency-limiter.ts';
import type { RateLimiter, ReportedThrottleStatus } from './rate-limiter.ts';
import { DEFAULT_RETRY_POLICY, isTransient, retryTransient, type RetryPolicy } from './retry.ts';
import { runAttempt } from './traffic-attempt.ts';
import { supplierFailureFields } from '../supplier-facts.ts';
import { callEvent, callSpan } from './call-trace.ts';

export interface TrafficControlOptions {
  /** Deadline for one attempt of one call. @default 10000 */
  readonly timeoutMs?: number;
  /** Retry policy for reads (and keyed writes when `retryKeyedWrites`). @default DEFAULT_RETRY_POLICY */
  readonly retry?: RetryPolicy;
  /**
   * Also retry `placeOrder` on transient errors. Safe only for a supplier that dedupes orders by the key the
   * connector sends (brightline, harborpromo and maplecart do, by design). A cancellation is never retried here.
   * @default false
   */
  readonly retryKeyedWrites?: boolean;
  /** Called on every retry, for metrics and logs. */
  readonly onRetry?: (info: { operation: ConnectorOperation; attempt: number; delayMs: number; error: unknown }) => void;
  readonly limiter?: RateLimiter;
  /** One breaker for every operation (when `breakers` has none for the operation's group). */
  readonly breaker?: CircuitBreaker;
  /**
   * A breaker per service group (CONNECTOR_OPERATIONS declares each operation's group): Product Data failing then
   * opens only the catalog breaker, and stock reads and order tracking still go through.
   */
  readonly breakers?: Partial<Readonly<Record<ServiceGroup, CircuitBreaker>>>;
  readonly concurrency?: ConcurrencyLimiter;
  readonly metrics?: SupplierMetrics;
  /** Longest one attempt may wait for tokens and a slot together, per lane if you like. @default timeoutMs */
  readonly maxWaitMs?: number | ((ctx: CallContext, operation: ConnectorOperation) => number);
  /** Cost-based suppliers: the last throttle status the client saw, fed to the limiter after every attempt. */
  readonly throttleStatus?: () => ReportedThrottleStatus | null;
  /** For breaker state changes (calls log through their own ctx.log). */
  readonly log?: Logger;
}

/** A retried error as log fields: what it was and what the supplier said (clipped, cleaned), without the stack. */
const expectedFailure = (error: unknown): Record<string, unknown> => supplierFailureFields(error);

/** Our own refusals are final for this call: retrying would only wait again for what we already know is short. */
const NOT_RETRIED = new Set(['SUPPLIER_CIRCUIT_OPEN', 'RATE_LIMITED_LOCALLY']);
const worthRetrying = (error: unknown): boolean => isTransient(error) && !(isRegistryError(error) && NOT_RETRIED.has(error.code));

export interface TrafficControlledConnector extends SupplierConnector {
  /** Also detaches from the breaker's state changes. */
  close(): Promise<void>;
}

export function withTrafficControl(inner: SupplierConnector, options: TrafficControlOptions = {}): TrafficControlledConnector {
  const { supplier } = inner;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const maxWait = (ctx: CallContext, operation: ConnectorOperation): number =>
    typeof options.maxWaitMs === 'function' ? options.maxWaitMs(ctx, operation) : (options.maxWaitMs ?? timeoutMs);

  const { metrics } = options;
  const breakerFor = (operation: ConnectorOperation): CircuitBreaker | undefined => options.breakers?.[groupOf(operation)] ?? options.breaker;
  const groupsOf = (b: CircuitBreaker): ServiceGroup[] => (Object.entries(options.breakers ?? {}) as [ServiceGroup, CircuitBreaker][]).filter(([, x]) => x === b).map(([g]) => g);
  const breakers = [...new Set([...Object.values(options.breakers ?? {}), ...(options.breaker ? [options.breaker] : [])])];
  // The gauge (one per supplier) shows the worst of its breakers: open if any group is open.
  const worst = (): BreakerState => (breakers.some((b) => b.state() === 'open') ? 'open' : breakers.some((b) => b.state() === 'half-open') ? 'half-open' : 'closed');
  if (breakers.length > 0 && metrics) metrics.breakerState(supplier, worst());
  const detaches = breakers.map((b) =>
    b.onStateChange((change) => {
      metrics?.breakerState(supplier, worst());
      options.log?.warn({ supplier, groups: groupsOf(b), from: change.from, to: change.to, reason: change.reason }, 'supplier circuit breaker changed state');
    }),
  );

  function run<T>(operation: ConnectorOperation, ctx: CallContext, call: (ctx: CallContext) => Promise<T>, keyed = false): Promise<T> {
    const breaker = breakerFor(operation);
    const once = () =>
      runAttempt({ ...options, breaker, supplier, operation, ctx, timeoutMs, maxWaitMs: maxWait(ctx, operation) }, call).catch((error: unknown) => {
        throw toRegistryError(error, { supplier, operation });
      });
    const retried = CONNECTOR_OPERATIONS[operation].kind === 'read' || (keyed && options.retryKeyedWrites === true);
    // One span per connector call (attempts, waits and breaker decisions are its events; HTTP requests its children).
    const attributes = { 'supplier.slug': supplier, 'supplier.operation': operation, 'supplier.lane': ctx.lane };
    if (!retried) return callSpan(`supplier ${operation}`, attributes, once);
    return callSpan(`supplier ${operation}`, attributes, () => retryTransient(once, {
      policy: retry,
      signal: ctx.signal,
      retryable: worthRetrying,
      onRetry: (info) => {
        // With the error itself: its code, and the supplier's own code, description, HTTP status and fault text
        // (details) — but no stack trace: a retried supplier failure is expected, and while a supplier is down there
        // is one of these per retry (issue 12).
        ctx.log.warn({ supplier, op: operation, attempt: info.attempt, delayMs: info.delayMs, err: expectedFailure(info.error) }, 'retrying supplier call');
        metrics?.retried(supplier, operation);
        callEvent('retry', { attempt: info.attempt, delayMs: Math.round(info.delayMs), ...(isRegistryError(info.error) ? { 'error.type': info.error.code } : {}) });
        options.onRetry?.({ operation, ...info });
      },
    }));
  }

  return {
    supplier,
    protocol: inner.protocol,
    maxStockBatch: inner.maxStockBatch,
    allocatesStockOnAccept: inner.allocatesStockOnAccept,
    getStock: (skus, ctx) => run('getStock', ctx, (c) => inner.getStock(skus, c)),
    listCatalog: (cursor, ctx) => run('listCatalog', ctx, (c) => inner.listCatalog(cursor, c)),
    placeOrder: (order, ctx) => run('placeOrder', ctx, (c) => inner.placeOrder(order, c), order.idempotencyKey.length > 0),
    getOrderStatus: (ref, ctx) => run('getOrderStatus', ctx, (c) => inner.getOrderStatus(ref, c)),
    // A batched status read is one supplier call: the same tokens, breaker and retries as one getOrderStatus.
    ...(inner.getOrderStatuses ? { getOrderStatuses: (refs, ctx) => run('getOrderStatus', ctx, (c) => inner.getOrderStatuses!(refs, c)) } : {}),
    cancelOrder: (ref, ctx) => run('cancelOrder', ctx, (c) => inner.cancelOrder(ref, c)),
    ...(inner.lookupItems ? { lookupItems: (ids, ctx) => run('lookupItems', ctx, (c) => inner.lookupItems!(ids, c)) } : {}),
    health: (ctx) => run('health', ctx, (c) => inner.health(c)),
    close: async () => {
      for (const detach of detaches) detach();
      await inner.close();
    },
  };
}
