/**
 * Issue 12, the fault matrix's deploy row: SIGTERM to the gateway process with product queries, placeOrder
 * mutations and a live subscription in flight. Before, the gateway cut every open connection at once on close: a
 * query in flight got a socket error, and an order in flight left the client without its order id.
 *
 * Real processes: a stack child process (stack-process.ts) over a private Redis and FerretDB, the supplier sandboxes
 * slowed so each request is still waiting on a supplier when the signal arrives (bench/fault-rows/gateway-sigterm.ts
 * measures; this file asserts). Every in-flight query answers 200 with its product; every in-flight placeOrder
 * answers with its order id (or, were it cut, is found by its key after the restart); the subscription closes 1012;
 * the process exits 0 within the drain bound; a new process on the same stores completes every order and answers the
 * client's retry with the same order; the suppliers hold exactly one order per sub-order. Drain and restart printed.
 * And, read after the row (order-ledger.ts): each order's reservation committed once, no hold leaked, the graph's
 * stock counters equal to the holds; every status change delivered to a merchant endpoint configured on both processes
 * (ORDER_WEBHOOK_ENDPOINTS: the production dispatcher, signed, retries resumed by the new process) exactly once per
 * (order, status) after dedupe by webhook-id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureGatewaySigterm, type GatewaySigtermObservations } from '../../bench/fault-rows/gateway-sigterm.ts';
import { formatTable } from '../../bench/fault-rows/row.ts';
import { privateServicesAvailable } from './private-services.ts';
import { observeSettings, type Answer, briefAnswer } from './store-outage-harness.ts';
import { ledgerDetail, ledgerProblems, watchOrderLedger, type LedgerWatch } from './order-ledger.ts';

const brief = briefAnswer;

describe.skipIf(!privateServicesAvailable)('gateway SIGTERM with queries, orders and a subscription in flight (real processes)', () => {
  let seen: GatewaySigtermObservations;
  let watch: LedgerWatch;
  /** The stopped process's warnings and errors: an unexpected error in an answer is explained by them. */
  let drainedLog: string[] = [];

  beforeAll(async () => {
    // A merchant endpoint on both processes (ORDER_WEBHOOK_ENDPOINTS), and the orders' ledger read after the row.
    watch = await watchOrderLedger('sigterm-');
    const unobserve = observeSettings(watch.observer);
    const unlog = observeSettings({
      afterRow: async (setting) => {
        drainedLog = setting.stopped.flatMap((p) => p.logs).filter((l) => Number(l['level']) >= 40).map((l) => JSON.stringify(l).slice(0, 1_000));
      },
    });
    try {
      seen = await measureGatewaySigterm();
    } finally {
      unobserve();
      unlog();
    }
  }, 85_000);

  afterAll(async () => {
    await watch?.close();
    if (seen) {
      console.log(`\n${formatTable([seen.row])}`);
      console.log(`gateway SIGTERM: drained and exited ${seen.exitCode} in ${Math.round(seen.drainMs)} ms (bound ${seen.drainBoundMs} ms); new process listening ${Math.round(seen.restartMs)} ms after the exit; first clean answer ${Math.round(seen.recoveryMs)} ms after SIGTERM`);
    }
  });

  it('answers every query in flight at SIGTERM with 200 and its product, within the budget + 10 %', () => {
    expect(seen.reads.length).toBeGreaterThan(0);
    for (const answer of seen.reads) {
      expect(answer.status, brief(answer)).toBe(200);
      expect(answer.ms, brief(answer)).toBeLessThanOrEqual(seen.budgetMs * 1.1);
      expect(answer.json.data.product, brief(answer)).not.toBeNull();
      expect(answer.json.data.product.stock.available, brief(answer)).toEqual(expect.any(Number));
      // A slow supplier may be named (its offer degraded); the shutdown itself never shows as an error.
      expect(answer.codes.filter((c) => c === 'INTERNAL_SERVER_ERROR' || c === 'SUBGRAPH_TIMEOUT' || c === 'CONNECTION_CUT'), `${brief(answer)}\nstopped process's warnings:\n${drainedLog.join('\n')}`).toEqual([]);
    }
  });

  it('answers every placeOrder in flight with its order id, and exits 0 within the drain bound', () => {
    for (const answer of seen.orders) {
      expect(answer.status, brief(answer)).toBe(200);
      expect(answer.codes, brief(answer)).toEqual([]);
      expect(answer.json.data.placeOrder.id, brief(answer)).toEqual(expect.any(String));
    }
    expect(seen.exitCode).toBe(0);
    expect(seen.drainMs).toBeLessThan(seen.drainBoundMs);
    expect(seen.shutdownLog.map((l) => l['msg'])).toContain('gateway stopped; every request in flight was answered');
  });

  it('refuses new connections once draining, and closes the live subscription with 1012', () => {
    expect(seen.afterSigterm.codes, brief(seen.afterSigterm)).toEqual(['CONNECTION_CUT']);
    expect(seen.subscriptionCloses).toContain(1012);
  });

  it('the next process finds every order by its key, completes it, and answers a retry with the same order: one supplier order each', () => {
    expect(seen.stored.map((o) => o.idempotencyKey).sort()).toEqual([...seen.keys].sort());
    const subOrders = seen.stored.flatMap((o) => o.subOrders);
    for (const sub of subOrders) expect(sub.supplierOrderId, JSON.stringify(seen.stored)).not.toBeNull();
    for (const [i, key] of seen.keys.entries()) {
      const retry = seen.retries[i]!;
      expect(retry.codes, brief(retry)).toEqual([]);
      const first = seen.orders[i]!.json.data.placeOrder.id as string;
      expect(retry.json.data.placeOrder.id, key).toBe(first);
      expect(seen.stored.find((o) => o.idempotencyKey === key)!.id).toBe(first);
    }
    // Never two supplier orders for one sub-order: the sandboxes hold exactly as many as there are sub-orders.
    expect(new Set(subOrders.map((s) => `${s.supplier}:${s.supplierOrderId}`)).size).toBe(subOrders.length);
    expect(seen.supplierOrdersCreated).toBe(subOrders.length);
  });

  it('recovers on the new process (restart time printed, bounded)', () => {
    expect(seen.recoveryMs).toBeLessThan(60_000);
  });

  it("commits each order's reservation exactly once, leaks no hold, and delivers every status change to the merchant endpoint once (after dedupe by webhook-id)", () => {
    const ledger = watch.ledger();
    expect(ledgerProblems(ledger, seen.keys.length), ledgerDetail(ledger)).toEqual([]);
    const units = Object.values(ledger!.rows).reduce((n, r) => n + (r?.record.committed ?? 0), 0);
    console.log(`ledger: ${ledger!.orders.length} orders, ${Object.keys(ledger!.reservations).length} reservations committed, ${units} units committed, 0 reserved; ${ledger!.webhooks.length} webhook requests (the first of each refused), ${new Set(ledger!.webhooks.filter((w) => w.accepted).map((w) => w.webhookId)).size} distinct deliveries accepted`);
  });
});
