/**
 * Prometheus metrics: one registry per process (never prom-client's global one, so tests and in-process
 * subgraphs do not collide), the supplier traffic metric set, and a `/metrics` handler. Policies receive the
 * small `SupplierMetrics` interface, never prom-client itself.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type CallOutcome = 'success' | 'error' | 'rejected';
export type BreakerStateName = 'closed' | 'half-open' | 'open';

/** What the traffic layer (and the offer cache) report. Label values must stay few: operations, codes, lanes. */
export interface SupplierMetrics {
  /** One attempt: sent and answered (success/error), or held back before sending (rejected). */
  call(event: { supplier: string; operation: string; lane: string; outcome: CallOutcome; seconds?: number }): void;
  /** `supplierCode`: the supplier's own code when it gave one (not a label: the status tracker keeps the last one). */
  error(event: { supplier: string; operation: string; errorClass: string; code: string; supplierCode?: string }): void;
  throttled(supplier: string, operation: string, source: 'supplier' | 'local'): void;
  retried(supplier: string, operation: string): void;
  breakerState(supplier: string, state: BreakerStateName): void;
  /** Tokens left after a take, and the bucket's size (so a dashboard or alert can say "10 % left"). */
  bucketTokens(supplier: string, bucket: string, tokens: number, capacity?: number): void;
  waited(supplier: string, lane: string, stage: 'rate_limit' | 'concurrency', seconds: number): void;
  inFlight(supplier: string, calls: number): void;
  cacheLookups(supplier: string, result: 'hit' | 'miss', count?: number): void;
}

export interface Metrics {
  readonly registry: Registry;
  readonly supplier: SupplierMetrics;
}

export interface MetricsOptions {
  /** Node process metrics (CPU, memory, event-loop lag, GC). @default true */
  readonly defaultMetrics?: boolean;
  /** Labels on every series, e.g. { service: 'gateway' }. */
  readonly defaultLabels?: Readonly<Record<string, string>>;
}

export const BREAKER_STATE_VALUE: Readonly<Record<BreakerStateName, number>> = { closed: 0, 'half-open': 1, open: 2 };

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels({ ...options.defaultLabels });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const calls = new Counter({ name: 'supplier_calls_total', help: 'Supplier call attempts by outcome (rejected = held back locally, never sent)', labelNames: ['supplier', 'operation', 'lane', 'outcome'], registers });
  const duration = new Histogram({
    name: 'supplier_call_duration_seconds',
    help: 'Time a supplier took to answer one attempt (queueing excluded)',
    labelNames: ['supplier', 'operation', 'lane'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const errors = new Counter({ name: 'supplier_errors_total', help: 'Failed supplier call attempts by error class and registry code', labelNames: ['supplier', 'operation', 'class', 'code'], registers });
  const throttles = new Counter({ name: 'supplier_throttles_total', help: 'Calls throttled by the supplier (429, THROTTLED) or held back by our own limiter', labelNames: ['supplier', 'operation', 'source'], registers });
  const retries = new Counter({ name: 'supplier_retries_total', help: 'Supplier call retries', labelNames: ['supplier', 'operation'], registers });
  const breaker = new Gauge({ name: 'supplier_breaker_state', help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open', labelNames: ['supplier'], registers });
  const tokens = new Gauge({ name: 'supplier_bucket_tokens', help: 'Tokens left in a rate-limit bucket after the last take', labelNames: ['supplier', 'bucket'], registers });
  const capacity = new Gauge({ name: 'supplier_bucket_capacity', help: 'Size of a rate-limit bucket (the published limit or reported quota it models)', labelNames: ['supplier', 'bucket'], registers });
  const wait = new Histogram({
    name: 'supplier_wait_seconds',
    help: 'Time a call waited for rate-limit tokens or a concurrency slot before being sent',
    labelNames: ['supplier', 'lane', 'stage'],
    buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  const inFlight = new Gauge({ name: 'supplier_in_flight', help: 'Supplier calls in flight from this process', labelNames: ['supplier'], registers });
  const cache = new Counter({ name: 'offer_cache_requests_total', help: 'Offer cache lookups by result', labelNames: ['supplier', 'result'], registers });

  return {
    registry,
    supplier: {
      call: ({ supplier, operation, lane, outcome, seconds }) => {
        calls.inc({ supplier, operation, lane, outcome });
        if (seconds !== undefined) duration.observe({ supplier, operation, lane }, seconds);
      },
      error: ({ supplier, operation, errorClass, code }) => errors.inc({ supplier, operation, class: errorClass, code }),
      throttled: (supplier, operation, source) => throttles.inc({ supplier, operation, source }),
      retried: (supplier, operation) => retries.inc({ supplier, operation }),
      breakerState: (supplier, state) => breaker.set({ supplier }, BREAKER_STATE_VALUE[state]),
      bucketTokens: (supplier, bucket, left, size) => {
        tokens.set({ supplier, bucket }, left);
        if (size !== undefined) capacity.set({ supplier, bucket }, size);
      },
      waited: (supplier, lane, stage, seconds) => wait.observe({ supplier, lane, stage }, seconds),
      inFlight: (supplier, n) => inFlight.set({ supplier }, n),
      cacheLookups: (supplier, result, count = 1) => cache.inc({ supplier, result }, count),
    },
  };
}

/** `GET /metrics` in the Prometheus text format; anything but GET or HEAD is 405. */
export function createMetricsHandler(registry: Registry): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    try {
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      // A failing collector must not take the endpoint down with a stack trace.
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics collection failed\n');
    }
  };
}
