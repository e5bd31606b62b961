/**
 * Reservations end to end: through the gateway, reserve, release and commit stock of a real imported product and
 * watch Product.stock change; errors reach the client with their registry code. Runs on MongoDB and Redis when
 * MONGO_URL / REDIS_URL are set, else on the embedded stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../platform/logger.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { newProduct } from '../contract/catalog-store.contract.ts';
import { postGraphql, testConfig } from '../support/stack-env.ts';
import { cleanUpTestData } from '../support/test-data.ts';

const STOCK = `query($sku: ID!) { product(sku: $sku) { sku title stock { available reserved committed
  bySupplier { supplier onHand reserved committed buffer available } } } }`;
const RESERVATION = `id state expiresAt createdAt settledAt idempotencyKey items { sku supplier quantity product { sku title } }`;
const RESERVE = `mutation($input: ReserveStockInput!) { reserveStock(input: $input) { ${RESERVATION} } }`;
const RELEASE = `mutation($id: ID!) { releaseReservation(id: $id) { ${RESERVATION} } }`;
const COMMIT = `mutation($id: ID!) { commitReservation(id: $id) { ${RESERVATION} } }`;

interface SupplierLevel {
  supplier: string;
  onHand: number;
  reserved: number;
  committed: number;
  buffer: number;
  available: number;
}

describe('reservations through the gateway (e2e)', () => {
  let stack: Stack;
  let url: string;
  let sku: string;
  let supplier: string;
  const config = testConfig();

  const gql = async (query: string, variables: Record<string, unknown>) => (await postGraphql(url, { query, variables })).json;
  const level = async (): Promise<{ total: { available: number; reserved: number; committed: number }; row: SupplierLevel }> => {
    const json = await gql(STOCK, { sku });
    expect(json.errors).toBeUndefined();
    const stock = json.data.product.stock;
    return { total: stock, row: stock.bySupplier.find((l: SupplierLevel) => l.supplier === supplier) };
  };

  beforeAll(async () => {
    // No catalog import: one product of our own keeps start-up quick on the MongoDB-protocol test server (which
    // scans collections). Its supplier SKU is unknown to the sandbox, and pollers only run after their interval,
    // so nothing but this test changes its stock.
    stack = await startStack({ config, log: silentLogger(), subgraphPorts: 'random', seed: false });
    url = stack.gateway.graphqlUrl;
    sku = 'DS-E2E-RESERVATIONS';
    supplier = 'brightline';
    await stack.stores.catalog.insert(newProduct(sku, { title: 'Reservation test tee', suppliers: [{ supplier, supplierSku: 'BL-E2E-RES' }] }));
    const seeded = await stack.updater.applyReport({ sku, supplier, supplierSku: 'BL-E2E-RES', onHand: 6, supplierAsOf: new Date().toISOString() }, 'import');
    expect(seeded.outcome).toBe('applied');
  }, 120_000);

  afterAll(async () => {
    if (!stack) return;
    await stack.close();
    await cleanUpTestData(config);
  });

  it('reserve lowers available and raises reserved in Product.stock; release gives the units back', async () => {
    const before = await level();
    const reserved = await gql(RESERVE, { input: { items: [{ sku, supplier, quantity: 2 }], ttlSeconds: 300 } });
    expect(reserved.errors).toBeUndefined();
    const r = reserved.data.reserveStock;
    expect(r).toMatchObject({ state: 'HELD', settledAt: null, idempotencyKey: null, items: [{ sku, supplier, quantity: 2, product: { sku } }] });
    expect(r.items[0].product.title).toBe('Reservation test tee'); // resolved by the catalog subgraph
    expect(Date.parse(r.expiresAt) - Date.parse(r.createdAt)).toBe(300_000);

    const during = await level();
    expect(during.row.reserved).toBe(before.row.reserved + 2);
    expect(during.row.available).toBe(before.row.available - 2);
    expect(during.total.reserved).toBe(before.total.reserved + 2);
    expect(during.total.available).toBe(before.total.available - 2);

    const query = await gql(`query($id: ID!) { reservation(id: $id) { id state } }`, { id: r.id });
    expect(query.data.reservation).toEqual({ id: r.id, state: 'HELD' });

    const released = await gql(RELEASE, { id: r.id });
    expect(released.errors).toBeUndefined();
    expect(released.data.releaseReservation).toMatchObject({ id: r.id, state: 'RELEASED' });
    expect(Date.parse(released.data.releaseReservation.settledAt)).not.toBeNaN();
    const after = await level();
    expect(after.row).toMatchObject({ reserved: before.row.reserved, available: before.row.available });
  });

  it('commit moves the units to committed; a committed reservation cannot be released', async () => {
    const before = await level();
    const { data } = await gql(RESERVE, { input: { items: [{ sku, supplier, quantity: 1 }], ttlSeconds: 60, idempotencyKey: 'e2e-order-1' } });
    const id = data.reserveStock.id;
    const replay = await gql(RESERVE, { input: { items: [{ sku, supplier, quantity: 1 }], ttlSeconds: 60, idempotencyKey: 'e2e-order-1' } });
    expect(replay.data.reserveStock.id).toBe(id);
    const committed = await gql(COMMIT, { id });
    expect(committed.data.commitReservation.state).toBe('COMMITTED');
    const after = await level();
    expect(after.row.committed).toBe(before.row.committed + 1);
    expect(after.row.reserved).toBe(before.row.reserved);
    expect(after.row.available).toBe(before.row.available - 1);
    const release = await gql(RELEASE, { id });
    expect(release.data).toBeNull();
    expect(release.errors[0].extensions).toMatchObject({ code: 'RESERVATION_NOT_HELD', errorClass: 'logical' });
  });

  it('reports OUT_OF_STOCK, NOT_FOUND and INVALID_INPUT with their codes, holding nothing', async () => {
    const before = await level();
    const tooMany = await gql(RESERVE, { input: { items: [{ sku, supplier, quantity: before.row.available + 1 }], ttlSeconds: 60 } });
    expect(tooMany.data).toBeNull();
    expect(tooMany.errors[0].extensions).toMatchObject({ code: 'OUT_OF_STOCK', errorClass: 'logical' });
    expect(tooMany.errors[0].message).toContain(sku);
    const unknown = await gql(RESERVE, { input: { items: [{ sku, supplier, quantity: 1 }, { sku: 'DS-NOPE', supplier, quantity: 1 }], ttlSeconds: 60 } });
    expect(unknown.errors[0].extensions.code).toBe('NOT_FOUND');
    const badTtl = await gql(RESERVE, { input: { items: [{ sku, supplier, quantity: 1 }], ttlSeconds: 0 } });
    expect(badTtl.errors[0].extensions.code).toBe('INVALID_INPUT');
    const badQuantity = await gql(RESERVE, { input: { items: [{ sku, supplier, quantity: -2 }], ttlSeconds: 60 } });
    expect(badQuantity.errors[0].extensions.code).toBe('INVALID_INPUT');
    const missing = await gql(`query { reservation(id: "nope") { id } }`, {});
    expect(missing).toEqual({ data: { reservation: null } });
    expect((await level()).row).toMatchObject({ reserved: before.row.reserved, available: before.row.available });
  });
});
