import { CONNECTOR_OPERATIONS, type CallContext, type ConnectorOperation, type SupplierConnector } from '../connector.ts';
import { toRegistryError } from '../errors.ts';
import { DEFAULT_RETRY_POLICY, retryTransient, type RetryPolicy } from './retry.ts';
import { withDeadline } from './timeout.ts';

export interface CallPolicyOptions {
  /** Deadline for one attempt of one call. @default 10000 */
  readonly timeoutMs?: number;
  /** Retry policy for reads (writes are never retried here). @default DEFAULT_RETRY_POLICY */
  readonly retry?: RetryPolicy;
  /** Called on every retry, for metrics and logs. */
  readonly onRetry?: (info: { operation: ConnectorOperation; attempt: number; delayMs: number; error: unknown }) => void;
}

/**
 * Wraps any connector with a per-attempt deadline on every call and retries on reads. Writes get one attempt:
 * a write is only re-sent by the order workflow, with the same idempotency key, never blindly here.
 */
export function withCallPolicies(inner: SupplierConnector, options: CallPolicyOptions = {}): SupplierConnector {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;

  function run<T>(operation: ConnectorOperation, ctx: CallContext, call: (ctx: CallContext) => Promise<T>): Promise<T> {
    const once = () =>
      withDeadline((signal) => call({ ...ctx, signal }), {
        signal: ctx.signal,
        timeoutMs,
        supplier: inner.supplier,
        operation,
      }).catch((error: unknown) => {
        throw toRegistryError(error, { supplier: inner.supplier, operation });
      });
    if (CONNECTOR_OPERATIONS[operation].kind === 'write') return once();
    return retryTransient(once, {
      policy: retry,
      signal: ctx.signal,
      onRetry: (info) => {
        ctx.log.warn({ supplier: inner.supplier, op: operation, attempt: info.attempt, delayMs: info.delayMs }, 'retrying supplier read');
        options.onRetry?.({ operation, ...info });
      },
    });
  }

  return {
    supplier: inner.supplier,
    protocol: inner.protocol,
    maxStockBatch: inner.maxStockBatch,
    getStock: (skus, ctx) => run('getStock', ctx, (c) => inner.getStock(skus, c)),
    listCatalog: (cursor, ctx) => run('listCatalog', ctx, (c) => inner.listCatalog(cursor, c)),
    placeOrder: (order, ctx) => run('placeOrder', ctx, (c) => inner.placeOrder(order, c)),
    getOrderStatus: (ref, ctx) => run('getOrderStatus', ctx, (c) => inner.getOrderStatus(ref, c)),
    cancelOrder: (ref, ctx) => run('cancelOrder', ctx, (c) => inner.cancelOrder(ref, c)),
    health: (ctx) => run('health', ctx, (c) => inner.health(c)),
    close: () => inner.close(),
  };
}
