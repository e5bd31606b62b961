/**
 * No ghost orders, and orders within the budget (issues 11 and 12), through the gateway on real sandboxes:
 * - a lost acknowledgement at each of the three suppliers (REST, SOAP, GraphQL): the supplier stores the order, the
 *   answer is lost (connection dropped, or sent after our deadline), the resend meets the supplier's duplicate
 *   answer (409, PromoStandards Error 300, userError TAKEN) → the order ends submitted with the supplier's order id,
 *   one order at the supplier, two sends in all, never REJECTED;
 * - a supplier slower than the request's budget: placeOrder answers in time with the order id and the sub-order
 *   SUBMITTING, the call completes in the background, and a retry with the same key returns the same order.
 * Runs on MongoDB and Redis when MONGO_URL / REDIS_URL are set, else on the embedded stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderRecord } from '../../platform/ports/order-store.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { SupplierSandbox } from '../../sandboxes/shared/sandbox.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { newProduct } from '../contract/catalog-store.contract.ts';
import { postGraphql, testConfig } from '../support/stack-env.ts';
import { cleanUpTestData } from '../support/test-data.ts';

const SHIP_TO = { name: 'Grace Hopper', line1: '1 Compiler Row', city: 'Arlington', region: 'VA', postalCode: '22201', country: 'US', email: 'grace@example.com' };
const ORDER_FIELDS = `id idempotencyKey status placement { inProgress retryWithSameKeyIsSafe }
  lines { lineNumber status needsAttention unitCost { amount currency } }
  subOrders { id supplier state status supplierOrderId idempotencyKey lastError }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { ${ORDER_FIELDS} } }`;
const ORDER = `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
/** What each sandbox counts a create-order request as (its stats().byOperation key). */
const CREATE_OP: Record<string, string> = { brightline: 'orders.create', harborpromo: 'sendPO', maplecart: 'orderCreate' };
const SUBMIT_TIMEOUT_MS = 3_000;

describe('no ghost orders; orders within the budget (e2e)', () => {
  let stack: Stack;
  let url: string;
  // A short breaker pause: the resume test below lets harborpromo's breaker, opened by the outage, close again.
  const BREAKER_OPEN_MS = 1_000;
  const config = testConfig({ SUPPLIER_BREAKER_OPEN_MS: String(BREAKER_OPEN_MS) });
  let hook: (step: string, order: OrderRecord) => void | Promise<void> = () => {};
  const sku: Record<string, string> = {};
  let keySeq = 0;
  const key = () => `lost-ack-${Date.now()}-${(keySeq += 1)}`;

  const gql = async (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) => (await postGraphql(url, { query, variables }, headers)).json;
  const sandbox = (slug: string): SupplierSandbox => stack.sandboxes.get(slug)!;
  const heldUnder = (slug: string, subOrderKey: string) => sandbox(slug).orders().filter((o) => JSON.stringify(o).includes(subOrderKey));
  const creates = (slug: string) => sandbox(slug).stats().byOperation[CREATE_OP[slug]!] ?? 0;

  async function addProduct(canonical: string, supplier: string, onHand: number): Promise<void> {
    await stack.stores.catalog.insert(newProduct(canonical, { title: `Lost ack ${canonical}`, suppliers: [{ supplier, supplierSku: sku[supplier]! }] }));
    const applied = await stack.updater.applyReport({ sku: canonical, supplier, supplierSku: sku[supplier]!, onHand, supplierAsOf: new Date().toISOString() }, 'import');
    expect(applied.outcome).toBe('applied');
  }

  beforeAll(async () => {
    stack = await startStack({
      config,
      log: silentLogger(),
      subgraphPorts: 'random',
      seed: false,
      orderLoopMs: 0, // the tests drive resume and tracking
      orderOptions: { submitTimeoutMs: SUBMIT_TIMEOUT_MS, beforeSave: (step, order) => hook(step, order) },
    });
    url = stack.gateway.graphqlUrl;
    for (const slug of ['brightline', 'harborpromo', 'maplecart']) {
      const box = sandbox(slug);
      const chosen = box.supplierSkus().find((s) => (box.stockOf(s) ?? 0) > 0);
      expect(chosen, `${slug} carries a SKU`).toBeDefined();
      sku[slug] = chosen!;
      box.driftStock(chosen!, 500);
    }
  }, 120_000);

  afterAll(async () => {
    if (!stack) return;
    await stack.close();
    await cleanUpTestData(config);
  });

  const cases = [
    { supplier: 'brightline', how: 'connection dropped after the order was stored', lostAck: { count: 1 } },
    { supplier: 'harborpromo', how: 'answer sent after our deadline', lostAck: { count: 1, delayMs: SUBMIT_TIMEOUT_MS + 1_000 } },
    { supplier: 'harborpromo', how: 'connection dropped after the PO was stored', lostAck: { count: 1 } },
    { supplier: 'maplecart', how: 'connection dropped after the order was stored', lostAck: { count: 1 } },
  ];

  for (const { supplier, how, lostAck } of cases) {
    it(`lost acknowledgement at ${supplier} (${how}): the resend meets the duplicate answer, the order ends submitted with the supplier's id, one order there`, async () => {
      const canonical = `DS-LOST-${supplier.toUpperCase()}-${lostAck.delayMs ? 'LATE' : 'DROP'}`;
      await addProduct(canonical, supplier, 10);
      const before = creates(supplier);
      sandbox(supplier).setFaults({ lostAck });
      try {
        const placed = await gql(PLACE, { input: { idempotencyKey: key(), shipTo: SHIP_TO, lines: [{ sku: canonical, quantity: 2 }] } });
        expect(placed.errors).toBeUndefined();
        const order = placed.data.placeOrder;
        expect(order.subOrders).toHaveLength(1); // never refused, so never re-routed
        const [sub] = order.subOrders;
        expect(sub).toMatchObject({ supplier, state: 'SUBMITTED', lastError: null });
        expect(['SUBMITTED', 'ACCEPTED']).toContain(sub.status);
        expect(order.status).not.toBe('REJECTED');
        expect(order.lines[0]).toMatchObject({ needsAttention: null });
        expect(order.lines[0].status).not.toBe('REJECTED');
        expect(order.placement).toEqual({ inProgress: false, retryWithSameKeyIsSafe: true });

        // One order at the supplier, under our key, carrying the id we stored; two sends: the lost one and the resend.
        if (lostAck.delayMs) await new Promise((r) => setTimeout(r, lostAck.delayMs)); // the late answer lands too
        const held = heldUnder(supplier, sub.idempotencyKey);
        expect(held).toHaveLength(1);
        expect(JSON.stringify(held[0])).toContain(String(sub.supplierOrderId).replace(/^gid:\/\/shopify\/Order\//, ''));
        expect(creates(supplier) - before).toBe(2);
      } finally {
        sandbox(supplier).resetFaults();
      }
    }, 60_000);
  }

  it('a lost acknowledgement with every resend unanswered: the order stays SUBMITTING (never REJECTED) and the resume finds it at the supplier', async () => {
    await addProduct('DS-LOST-RESUME', 'harborpromo', 10);
    const box = sandbox('harborpromo');
    const before = creates('harborpromo');
    // The first PO is stored and its answer lost; the supplier goes down right after, so the resends get nothing.
    box.setFaults({ lostAck: { count: 1, thenDown: true } });
    try {
      const order = (await gql(PLACE, { input: { idempotencyKey: key(), shipTo: SHIP_TO, lines: [{ sku: 'DS-LOST-RESUME', quantity: 1 }] } })).data.placeOrder;
      expect(order.subOrders[0].state).toBe('SUBMITTING');
      expect(order.status).toBe('SUBMITTING');
      expect(order.placement.inProgress).toBe(true);
      expect(heldUnder('harborpromo', order.subOrders[0].idempotencyKey)).toHaveLength(1);
      box.resetFaults();
      await new Promise((r) => setTimeout(r, BREAKER_OPEN_MS + 200)); // the outage opened our breaker; it half-opens
      // A later run (another process, after a restart): the state says a send may have happened, so the supplier's
      // Error 300 to the resend is checked against Order Status before anything is decided.
      expect(await stack.orders.resumePending({ minAgeMs: 0 })).toBe(1);
      const resumed = (await gql(ORDER, { id: order.id })).data.order;
      expect(resumed.subOrders).toHaveLength(1);
      expect(resumed.subOrders[0]).toMatchObject({ state: 'SUBMITTED', status: 'SUBMITTED', lastError: null });
      expect(resumed.subOrders[0].supplierOrderId).toBe((heldUnder('harborpromo', order.subOrders[0].idempotencyKey)[0] as { salesOrderNumber: string }).salesOrderNumber);
      expect(heldUnder('harborpromo', order.subOrders[0].idempotencyKey)).toHaveLength(1);
      // One sendPO per planned attempt, none hidden in retries: three in the first run (the stored one, two
      // unanswered), one in the resumed run.
      expect(creates('harborpromo') - before).toBe(4);
      expect(await stack.stores.stock.get('DS-LOST-RESUME', 'harborpromo')).toMatchObject({ reserved: 0, committed: 1 });
    } finally {
      box.resetFaults();
    }
  }, 60_000);

  it('a refusal to a first send is still a refusal (no read-back needed); the line needs attention', async () => {
    await addProduct('DS-LOST-REFUSED', 'brightline', 10);
    const box = sandbox('brightline');
    const reads = () => box.stats().byOperation['orders.find'] ?? 0;
    const readsBefore = reads();
    hook = (step) => {
      if (step.startsWith('submitting:')) box.setFaults({ rejectRate: 1 });
    };
    try {
      const order = (await gql(PLACE, { input: { idempotencyKey: key(), shipTo: SHIP_TO, lines: [{ sku: 'DS-LOST-REFUSED', quantity: 1 }] } })).data.placeOrder;
      expect(order.subOrders[0].state).toBe('FAILED');
      expect(order.lines[0].status).toBe('REJECTED');
      expect(reads()).toBe(readsBefore);
    } finally {
      hook = () => {};
      box.resetFaults();
    }
  }, 60_000);

  it('a supplier slower than the budget: placeOrder answers in time with SUBMITTING and the order id; the order completes; a retry returns it', async () => {
    await addProduct('DS-BUDGET-SLOW', 'brightline', 10);
    const box = sandbox('brightline');
    // From the submit on, brightline takes 2 s per answer: beyond the 1.5 s the client gives the request, inside the
    // order's own submit deadline (3 s), so the first send succeeds — in the background.
    const slowMs = 2_000;
    const clientBudgetMs = 1_500;
    hook = (step) => {
      if (step.startsWith('submitting:')) box.setFaults({ latencyMs: slowMs });
    };
    try {
      const input = { idempotencyKey: key(), shipTo: SHIP_TO, lines: [{ sku: 'DS-BUDGET-SLOW', quantity: 1 }] };
      const started = Date.now();
      const placed = await gql(PLACE, { input }, { 'x-request-budget-ms': String(clientBudgetMs) });
      const took = Date.now() - started;
      expect(placed.errors).toBeUndefined();
      expect(took).toBeLessThan(clientBudgetMs * 1.1);
      const order = placed.data.placeOrder;
      expect(order.id).toMatch(/^o[0-9a-f]{12}$/);
      expect(order.subOrders[0].state).toBe('SUBMITTING');
      expect(order.status).toBe('SUBMITTING');
      expect(order.placement).toEqual({ inProgress: true, retryWithSameKeyIsSafe: true });

      // A retry with the same key while the call is still out: the same order, and nothing sent again.
      const retried = (await gql(PLACE, { input }, { 'x-request-budget-ms': String(clientBudgetMs) })).data.placeOrder;
      expect(retried.id).toBe(order.id);

      // The background call completes and is stored; then the order reads SUBMITTED (or further) with the supplier's id.
      const deadline = Date.now() + SUBMIT_TIMEOUT_MS + slowMs;
      let current = order;
      while (current.subOrders[0].state !== 'SUBMITTED' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        current = (await gql(ORDER, { id: order.id })).data.order;
      }
      box.resetFaults();
      expect(current.subOrders[0]).toMatchObject({ state: 'SUBMITTED', lastError: null });
      expect(current.subOrders[0].supplierOrderId).toMatch(/^SO\d+$/);
      expect(current.placement.inProgress).toBe(false);
      expect(current.lines[0].unitCost).toMatchObject({ currency: 'USD' }); // priced by the live quote the PO carried
      expect(heldUnder('brightline', order.subOrders[0].idempotencyKey)).toHaveLength(1);
      const again = (await gql(PLACE, { input })).data.placeOrder;
      expect(again).toMatchObject({ id: order.id, subOrders: [{ state: 'SUBMITTED' }] });
      expect(heldUnder('brightline', order.subOrders[0].idempotencyKey)).toHaveLength(1);
    } finally {
      hook = () => {};
      box.resetFaults();
    }
  }, 60_000);
});
