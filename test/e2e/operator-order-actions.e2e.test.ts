/**
 * Operator actions on orders needing attention (issue 16; docs/orders.md, "Operator actions"), through the gateway in
 * AUTH_MODE=required on the bundled sandboxes: a partner's order every carrier refuses (sandbox fault knobs) is
 * listed for the admin across tenants, re-routed once stock reaches another supplier (the Brightline sandbox's signed
 * webhook) and placed there; another is cancelled for its tenant and leaves the list; a partner may do none of it.
 * Runs on MongoDB and Redis when MONGO_URL / REDIS_URL are set, else embedded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestSandbox } from '../../sandboxes/rest/index.ts';
import { startSecureStack, type SecureStack } from '../security/support.ts';

const SHIP_TO = { name: 'Grace Hopper', line1: '1 Compiler Row', city: 'Arlington', region: 'VA', postalCode: '22201', country: 'US' };
const ORDER = 'id status lines { status needsAttention supplier } subOrders { supplier state }';
const ATTENTION = `query($tenant: String) { ordersNeedingAttention(tenant: $tenant) { tenant reason actions order { id status } } }`;

describe('operator actions on orders needing attention (e2e)', () => {
  let secure: SecureStack;
  let admin: string;
  let partner: string;
  let sku: string;
  let brightlineSku: string;
  let seq = 0;

  const as = async (token: string, query: string, variables: Record<string, unknown> = {}) => (await secure.query(token, { query, variables })).json;
  const brightline = () => secure.stack.sandboxes.get('brightline') as RestSandbox;

  /** Brightline's figure through its signed webhook (the production path), once the canonical row holds it. */
  async function brightlineStock(onHand: number): Promise<void> {
    brightline().setStock(brightlineSku, onHand);
    await brightline().webhooksIdle();
    await expect.poll(async () => (await secure.stack.stores.stock.get(sku, 'brightline'))?.onHand, { timeout: 10_000 }).toBe(onHand);
  }

  /** A partner order that every carrier with stock refuses: REJECTED, its line needing attention. */
  async function refusedOrder(): Promise<{ id: string; status: string }> {
    await brightlineStock(0);
    for (const [slug, box] of secure.stack.sandboxes) if (slug !== 'brightline') box.setFaults({ rejectRate: 1 });
    try {
      const placed = await as(partner, `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { ${ORDER} } }`, {
        input: { idempotencyKey: `operator-${Date.now()}-${(seq += 1)}`, shipTo: SHIP_TO, lines: [{ sku, quantity: 1 }] },
      });
      expect(placed.errors).toBeUndefined();
      expect(placed.data.placeOrder.status).toBe('REJECTED');
      expect(placed.data.placeOrder.lines[0].needsAttention).toMatch(/refused/);
      return placed.data.placeOrder;
    } finally {
      for (const box of secure.stack.sandboxes.values()) box.resetFaults();
    }
  }

  beforeAll(async () => {
    secure = await startSecureStack();
    admin = (await secure.issue('ops', ['admin'])).token;
    partner = (await secure.issue('acme', ['catalog:read', 'inventory:read', 'orders:read', 'orders:write'])).token;
    // A product Brightline carries beside at least one other supplier.
    const products = (await secure.stack.stores.catalog.list(50, null)).items;
    const shared = products.find((p) => p.suppliers.some((m) => m.supplier === 'brightline') && p.suppliers.some((m) => m.supplier !== 'brightline'))!;
    expect(shared, 'a product Brightline shares with another supplier').toBeDefined();
    sku = shared.sku;
    brightlineSku = shared.suppliers.find((m) => m.supplier === 'brightline')!.supplierSku;
  }, 120_000);

  afterAll(async () => {
    await secure?.close();
  }, 30_000);

  it('lists a partner\'s refused order for the admin, and re-routes it once another supplier has stock', async () => {
    const order = await refusedOrder();
    const listed = await as(admin, ATTENTION, { tenant: 'acme' });
    expect(listed.errors).toBeUndefined();
    const entry = listed.data.ordersNeedingAttention.find((a: { order: { id: string } }) => a.order.id === order.id);
    expect(entry).toMatchObject({ tenant: 'acme', actions: ['REROUTE', 'CANCEL'], order: { status: 'REJECTED' } });
    expect(entry.reason).toMatch(/^line 1 .* has no supplier/);
    expect((await as(admin, ATTENTION, { tenant: 'other' })).data.ordersNeedingAttention).toEqual([]);

    // Nothing to retry: no sub-order is left to send.
    const retry = await as(admin, `mutation($id: ID!) { retryOrder(tenant: "acme", id: $id) { id } }`, { id: order.id });
    expect(retry.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', reason: 'NOTHING_TO_RETRY' });

    // Stock reaches Brightline (its webhook); the re-route places the line there.
    await brightlineStock(30);
    const rerouted = await as(admin, `mutation($id: ID!) { rerouteOrder(tenant: "acme", id: $id) { ${ORDER} } }`, { id: order.id });
    expect(rerouted.errors).toBeUndefined();
    const after = rerouted.data.rerouteOrder;
    expect(after.lines[0]).toMatchObject({ needsAttention: null, supplier: 'brightline' });
    expect(after.subOrders.find((s: { supplier: string }) => s.supplier === 'brightline')).toMatchObject({ state: 'SUBMITTED' });
    expect(['SUBMITTED', 'ACCEPTED']).toContain(after.status);
    const still = (await as(admin, ATTENTION)).data.ordersNeedingAttention.map((a: { order: { id: string } }) => a.order.id);
    expect(still).not.toContain(order.id);
    // The partner sees its own order placed.
    expect((await as(partner, `query($id: ID!) { order(id: $id) { status } }`, { id: order.id })).data.order.status).toBe(after.status);
  }, 60_000);

  it('cancels a refused order for its tenant: the line is dropped and the order leaves the list', async () => {
    const order = await refusedOrder();
    const cancelled = await as(admin, `mutation($id: ID!) { cancelOrder(id: $id, tenant: "acme") { ${ORDER} } }`, { id: order.id });
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data.cancelOrder).toMatchObject({ status: 'CANCELLED', lines: [{ status: 'CANCELLED', needsAttention: null }] });
    const listed = (await as(admin, ATTENTION)).data.ordersNeedingAttention.map((a: { order: { id: string } }) => a.order.id);
    expect(listed).not.toContain(order.id);
  }, 60_000);

  it('refuses every operator action to a partner, and another tenant\'s order on cancelOrder', async () => {
    const order = await refusedOrder();
    const list = await secure.query(partner, { query: ATTENTION });
    expect(list.status).toBe(403);
    expect(list.json.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', missingScopes: ['admin'] });
    for (const mutation of ['retryOrder', 'rerouteOrder']) {
      const refused = await secure.query(partner, { query: `mutation($id: ID!) { ${mutation}(tenant: "acme", id: $id) { id } }`, variables: { id: order.id } });
      expect(refused.json.errors[0].extensions.code).toBe('FORBIDDEN');
    }
    const otherTenant = await as(partner, `mutation($id: ID!) { cancelOrder(id: $id, tenant: "ops") { id } }`, { id: order.id });
    expect(otherTenant.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', missingScopes: ['admin'] });
    // Its own tenant named explicitly is its own order, as without the argument.
    const own = await as(partner, `mutation($id: ID!) { cancelOrder(id: $id, tenant: "acme") { status } }`, { id: order.id });
    expect(own.data.cancelOrder.status).toBe('CANCELLED');
  }, 60_000);
});
