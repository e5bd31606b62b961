/**
 * Fault row: the gateway process gets SIGTERM (a deploy) while product queries, placeOrder mutations and a live
 * subscription are in flight (issue 12, the fault matrix's last row). The suppliers answer slowly (the sandboxes'
 * `latencyMs`), so every request is still running when the signal arrives. Measured on a stack child process over a
 * private Redis and FerretDB (test/fault/store-outage-harness.ts): the drain (SIGTERM to exit), the exit code, what
 * each in-flight request got, the subscription's close code, then a new process on the same stores — the restart
 * time, each order found by its idempotency key and completed by the new process, the client's retry with the same
 * key, and the supplier orders created. The fault test (test/fault/gateway-sigterm.fault.test.ts) asserts on these
 * observations; bench:faults prints the row.
 */
import type { SupplierSandbox } from '../../sandboxes/shared/sandbox.ts';
import { openClient, subscribe } from '../../test/support/ws-clients.ts';
import { BUDGET_MS, placeOrder, readOrders, readProduct, readFor, recoveredAfter, startOutageSetting, type Answer } from '../../test/fault/store-outage-harness.ts';
import { summarize, type FaultRow, type FaultRowRunner } from './row.ts';

/** The stack's SHUTDOWN_DRAIN_MS here: in-flight requests end within the budget, well inside it. */
export const DRAIN_MS = 10_000;
/** Each supplier call's latency while the requests are in flight: most of the 3 s budget. */
const SUPPLIER_LATENCY_MS = 2_000;
const READS_IN_FLIGHT = 6;
const ORDERS_IN_FLIGHT = 3;

/** A client request that may be cut: a connection error is an answer with status 0 and code `CONNECTION_CUT`. */
async function settled(request: Promise<Answer>, at: number): Promise<Answer> {
  try {
    return await request;
  } catch (error) {
    return { at, ms: performance.now() - at, status: 0, json: { error: String(error) }, codes: ['CONNECTION_CUT'] };
  }
}

async function faults(sandbox: SupplierSandbox, knobs: Record<string, unknown> | null): Promise<void> {
  const response = await fetch(`${sandbox.url}/__sandbox/${knobs ? 'faults' : 'reset-faults'}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(knobs ?? {}) });
  if (!response.ok) throw new Error(`${sandbox.url} faults: HTTP ${response.status}`);
}

interface PlacedOrder {
  readonly id: string;
  readonly idempotencyKey: string;
  readonly status: string;
  readonly subOrders: readonly { supplier: string; state: string; supplierOrderId: string | null }[];
}

export interface GatewaySigtermObservations {
  readonly row: FaultRow;
  readonly budgetMs: number;
  readonly drainBoundMs: number;
  /** Product queries and placeOrder mutations that were running when SIGTERM was sent, as the client got them. */
  readonly reads: readonly Answer[];
  readonly orders: readonly Answer[];
  readonly keys: readonly string[];
  /** SIGTERM to process exit, and the exit code. */
  readonly drainMs: number;
  readonly exitCode: number | null;
  /** The live subscription's close codes (1012: the server restarts, reconnect). */
  readonly subscriptionCloses: readonly number[];
  /** A new connection after SIGTERM (the process draining or gone) — must be refused, not served half. */
  readonly afterSigterm: Answer;
  /** Process exit to the new process's gateway listening, and SIGTERM to its first clean product answer. */
  readonly restartMs: number;
  readonly recoveryMs: number;
  /** Orders by key in the new process once every sub-order was submitted (resumed there if it had to be). */
  readonly stored: readonly PlacedOrder[];
  /** The client's retry of each key on the new process. */
  readonly retries: readonly Answer[];
  /** Supplier orders created during the row, counted at the sandboxes, and their distinct supplier order ids. */
  readonly supplierOrdersCreated: number;
  /** The old process's log lines about its shutdown. */
  readonly shutdownLog: readonly Record<string, unknown>[];
}

export async function measureGatewaySigterm(): Promise<GatewaySigtermObservations> {
  const setting = await startOutageSetting('sigterm', { OFFER_CACHE_TTL_MS: '0', SHUTDOWN_DRAIN_MS: String(DRAIN_MS), LOG_LEVEL: 'info' });
  try {
    const { skus } = setting;
    const first = setting.stack;
    await readFor(1_000, (i) => readProduct(first.graphqlUrl, skus[i % skus.length]!));
    const supplierOrdersBefore = setting.supplierOrders();

    // A live subscriber on the process about to stop.
    const client = openClient(first.graphqlUrl);
    const subscription = subscribe(client, 'subscription($skus: [ID!]) { stockChanged(skus: $skus) { sku } }', { skus: [...skus] });
    await new Promise((r) => setTimeout(r, 500));

    await Promise.all([...setting.sandboxes.values()].map((s) => faults(s, { latencyMs: SUPPLIER_LATENCY_MS })));
    const started = performance.now();
    const keys = Array.from({ length: ORDERS_IN_FLIGHT }, (_, i) => `sigterm-${Date.now()}-${i}`);
    const reads = Array.from({ length: READS_IN_FLIGHT }, (_, i) => settled(readProduct(first.graphqlUrl, skus[i % skus.length]!), started));
    const orders = keys.map((key) => settled(placeOrder(first.graphqlUrl, key, setting.orderSku), started));
    // Every request has reached the gateway and waits on a supplier.
    await new Promise((r) => setTimeout(r, 400));

    const sigterm = performance.now();
    const stopping = first.stop();
    await new Promise((r) => setTimeout(r, 100));
    const afterSigterm = await settled(readProduct(first.graphqlUrl, skus[0]!), performance.now());
    const exitCode = await stopping;
    const drainMs = performance.now() - sigterm;
    const [readAnswers, orderAnswers] = await Promise.all([Promise.all(reads), Promise.all(orders)]);
    const subscriptionCloses = client.closes.map((c) => c.code);
    subscription.dispose();
    await client.dispose();
    const shutdownLog = first.logs.filter((l) => /shut|drain|gateway stopped/i.test(String(l['msg'])));

    // The deploy's next process, on the same stores; the suppliers answer at their usual pace again.
    await Promise.all([...setting.sandboxes.values()].map((s) => faults(s, null)));
    const exited = performance.now();
    const second = await setting.restartStack();
    const restartMs = performance.now() - exited;
    const recovery = await recoveredAfter(sigterm, () => readProduct(second.graphqlUrl, skus[0]!), (a) => a.status === 200 && a.codes.length === 0, 60_000);

    // Each order by its key: the new process's order loop resumes what the old one left SUBMITTING.
    let stored: PlacedOrder[] = [];
    const deadline = performance.now() + 30_000;
    for (;;) {
      const nodes = ((await readOrders(second.graphqlUrl)).json.data?.orders?.nodes ?? []) as PlacedOrder[];
      stored = nodes.filter((o) => keys.includes(o.idempotencyKey));
      const done = stored.length === keys.length && stored.every((o) => o.subOrders.every((s) => s.supplierOrderId !== null));
      if (done || performance.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const retries = await Promise.all(keys.map((key) => placeOrder(second.graphqlUrl, key, setting.orderSku)));
    const supplierOrdersCreated = setting.supplierOrders() - supplierOrdersBefore;

    // An unexpected error in an answer is shown with its message, so a table with one explains itself.
    const unexpected = [...readAnswers, ...orderAnswers].flatMap((a) => ((a.json?.errors ?? []) as { message: string; extensions?: { code?: string } }[]).filter((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR').map((e) => e.message));
    const row = summarize(
      `gateway SIGTERM with ${READS_IN_FLIGHT} queries, ${ORDERS_IN_FLIGHT} orders and a subscription in flight (suppliers at ${SUPPLIER_LATENCY_MS} ms), drain bound ${DRAIN_MS} ms`,
      [...readAnswers, ...orderAnswers],
      recovery.ms,
      `orders answered ${orderAnswers.map((a) => a.json?.data?.placeOrder?.status ?? a.codes.join('+')).join(', ')}; drained and exited ${exitCode} in ${Math.round(drainMs)} ms; subscription closed ${subscriptionCloses.join(', ') || 'not'}; new process listening ${Math.round(restartMs)} ms after the exit; recovery counted from SIGTERM${unexpected.length > 0 ? `; unexpected: ${[...new Set(unexpected)].join(' | ').slice(0, 300)}` : ''}`,
    );
    return {
      row,
      budgetMs: BUDGET_MS,
      drainBoundMs: DRAIN_MS,
      reads: readAnswers,
      orders: orderAnswers,
      keys,
      drainMs,
      exitCode,
      subscriptionCloses,
      afterSigterm,
      restartMs,
      recoveryMs: recovery.ms,
      stored,
      retries,
      supplierOrdersCreated,
      shutdownLog,
    };
  } finally {
    await setting.close();
  }
}

export const gatewaySigtermRow: FaultRowRunner = { name: 'gateway-sigterm', run: async () => [(await measureGatewaySigterm()).row] };
