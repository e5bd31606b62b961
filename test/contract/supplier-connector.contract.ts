/**
 * One contract for every SupplierConnector, run unchanged against each connector and its sandbox
 * (test/contract/supplier-connector.<protocol>.test.ts). It drives the sandbox's fault knobs and checks what
 * the sandbox saw on the wire, not only what the connector returned.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext, SupplierConnector } from '../../adapters/core/connector.ts';
import { isRegistryError, type ErrorClass, type ErrorCode } from '../../kernel/errors.ts';
import type { CallPolicyOptions } from '../../adapters/core/policies/with-call-policies.ts';
import type { SupplierOrder } from '../../kernel/model.ts';
import type { SupplierSandbox } from '../../sandboxes/shared/sandbox.ts';
import { silentLogger } from '../../platform/logger.ts';

export interface ConnectorContractEnv {
  /** The connector as production builds it: protocol layer + mapping + call policies. */
  readonly connector: SupplierConnector;
  readonly sandbox: SupplierSandbox;
  close(): Promise<void>;
}

export interface ConnectorContractFactoryOptions {
  readonly policies: CallPolicyOptions;
  /** Build the connector with credentials the sandbox will refuse. */
  readonly badCredentials?: boolean;
}

export type ConnectorContractFactory = (options: ConnectorContractFactoryOptions) => Promise<ConnectorContractEnv>;

const POLICIES: CallPolicyOptions = {
  timeoutMs: 800,
  // The production budget (DEFAULT_RETRY_POLICY): a catalog walk that drains a cost-based bucket (maplecart, 352
  // points a page of 50 since variants carry images) waits out the supplier's Retry-After (~6 s) as an import does.
  retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100, budgetMs: 15_000 },
};

export const testContext = (overrides: Partial<CallContext> = {}): CallContext => ({
  signal: new AbortController().signal,
  log: silentLogger(),
  requestId: 'contract-test',
  lane: 'sync',
  ...overrides,
});

async function expectRegistryError(promise: Promise<unknown>, code: ErrorCode, errorClass: ErrorClass): Promise<void> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${code}, but the call succeeded`);
    },
    (e: unknown) => e,
  );
  expect(isRegistryError(error), `expected a registry error, got ${String(error)}`).toBe(true);
  expect({ code: (error as { code: string }).code, errorClass: (error as { errorClass: string }).errorClass }).toEqual({ code, errorClass });
}

let orderCounter = 0;
export function sampleOrder(supplierSkus: readonly string[], quantity = 1): SupplierOrder {
  orderCounter += 1;
  return {
    idempotencyKey: `PO-${Date.now().toString(36)}-${process.pid}-${orderCounter}`.toUpperCase(),
    lines: supplierSkus.map((supplierSku, i) => ({ lineNumber: i + 1, supplierSku, quantity })),
    shipTo: {
      name: 'Ada Lovelace',
      line1: '12 Analytical Row',
      city: 'Portland',
      region: 'OR',
      postalCode: '97201',
      country: 'US',
      phone: '+1 503 555 0100',
      email: 'ada@example.com',
    },
  };
}

export function describeConnectorContract(name: string, make: ConnectorContractFactory): void {
  describe(`SupplierConnector contract: ${name}`, () => {
    let env: ConnectorContractEnv;
    let connector: SupplierConnector;
    let sandbox: SupplierSandbox;
    let inStock: string[];

    beforeAll(async () => {
      env = await make({ policies: POLICIES });
      connector = env.connector;
      sandbox = env.sandbox;
      inStock = sandbox.supplierSkus().filter((sku) => (sandbox.stockOf(sku) ?? 0) >= 20);
      expect(inStock.length).toBeGreaterThan(10);
    });
    afterAll(async () => {
      await env?.close();
    });
    afterEach(() => {
      sandbox.resetFaults();
    });

    it('returns live stock for known SKUs in one supplier call, matching the supplier', async () => {
      const skus = sandbox.supplierSkus().slice(0, Math.min(connector.maxStockBatch, 40));
      sandbox.resetStats();
      const stock = await connector.getStock(skus, testContext());
      expect(sandbox.stats().total).toBe(1);
      expect(stock.map((s) => s.supplierSku).sort()).toEqual([...skus].sort());
      for (const s of stock) {
        expect(s.available).toBe(sandbox.stockOf(s.supplierSku));
        expect(Number.isInteger(s.available) && s.available >= 0).toBe(true);
        expect(s.cost?.currency).toMatch(/^[A-Z]{3}$/);
        expect(s.cost?.amount).toMatch(/^\d+(\.\d+)?$/);
        expect(Number.isNaN(Date.parse(s.asOf))).toBe(false);
      }
    });

    it('leaves out SKUs the supplier does not carry', async () => {
      const known = sandbox.supplierSkus()[0]!;
      const stock = await connector.getStock([known, 'NO-SUCH-SKU-000'], testContext());
      expect(stock.map((s) => s.supplierSku)).toEqual([known]);
    });

    it('splits a list larger than maxStockBatch into maxStockBatch-sized calls', async () => {
      const all = sandbox.supplierSkus();
      const skus = all.slice(0, Math.min(all.length, connector.maxStockBatch + 1));
      sandbox.resetStats();
      const stock = await connector.getStock(skus, testContext());
      expect(stock).toHaveLength(skus.length);
      expect(sandbox.stats().total).toBe(Math.ceil(skus.length / connector.maxStockBatch));
      expect(sandbox.stats().maxStockBatch).toBeLessThanOrEqual(connector.maxStockBatch);
    });

    it('pages through the whole catalog with cursors, with identifiers to match on', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await connector.listCatalog(cursor, testContext());
        for (const item of page.items) {
          expect(item.title.length).toBeGreaterThan(0);
          expect(item.gtin ?? item.mpn).toBeTruthy();
          if (item.gtin) expect(item.gtin).toMatch(/^\d{14}$/);
          seen.push(item.supplierSku);
        }
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 100);
      expect(pages).toBeGreaterThan(1);
      expect(seen.sort()).toEqual([...sandbox.supplierSkus()].sort());
    });

    it('retries a throttled read after Retry-After', async () => {
      sandbox.setFaults({ throttle: { count: 1, retryAfterSeconds: 1 } });
      sandbox.resetStats();
      const started = Date.now();
      const stock = await connector.getStock([inStock[0]!], testContext());
      expect(stock).toHaveLength(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(sandbox.stats().total).toBe(2);
    });

    it('never re-sends a throttled write', async () => {
      sandbox.setFaults({ throttle: { count: 5, retryAfterSeconds: 1 } });
      const before = sandbox.orders().length;
      sandbox.resetStats();
      await expectRegistryError(connector.placeOrder(sampleOrder([inStock[1]!]), testContext({ lane: 'order' })), 'SUPPLIER_THROTTLED', 'transient');
      expect(sandbox.stats().total).toBe(1);
      expect(sandbox.orders().length).toBe(before);
    });

    it('turns a slow supplier into a transient timeout', async () => {
      sandbox.setFaults({ latencyMs: 1_500 });
      await expectRegistryError(connector.getStock([inStock[0]!], testContext()), 'SUPPLIER_TIMEOUT', 'transient');
    });

    it('turns 5xx answers into a transient error once retries are spent', async () => {
      sandbox.setFaults({ errorRate: 1 });
      sandbox.resetStats();
      await expectRegistryError(connector.getStock([inStock[0]!], testContext()), 'SUPPLIER_UNAVAILABLE', 'transient');
      expect(sandbox.stats().total).toBe(3);
    });

    it('turns a supplier that is down into a transient error', async () => {
      sandbox.setFaults({ down: true });
      await expectRegistryError(connector.getStock([inStock[0]!], testContext()), 'SUPPLIER_UNAVAILABLE', 'transient');
    });

    it('turns a malformed body into a critical contract violation, without retrying', async () => {
      sandbox.setFaults({ malformedRate: 1 });
      sandbox.resetStats();
      await expectRegistryError(connector.getStock([inStock[0]!], testContext()), 'CONTRACT_VIOLATION', 'critical');
      expect(sandbox.stats().total).toBe(1);
    });

    it('turns a client error (4xx, SOAP Client fault, GraphQL user error) into a logical rejection', async () => {
      sandbox.setFaults({ rejectRate: 1 });
      sandbox.resetStats();
      await expectRegistryError(connector.getStock([inStock[0]!], testContext()), 'SUPPLIER_REJECTED', 'logical');
      expect(sandbox.stats().total).toBe(1);
    });

    it('honours the caller abort signal promptly', async () => {
      sandbox.setFaults({ latencyMs: 3_000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const started = Date.now();
      await expectRegistryError(connector.getStock([inStock[0]!], testContext({ signal: controller.signal })), 'CALL_ABORTED', 'transient');
      expect(Date.now() - started).toBeLessThan(700);
    });

    it('places an order once per idempotency key, reading back a repeat', async () => {
      const order = sampleOrder([inStock[2]!, inStock[3]!], 2);
      const before = sandbox.orders().length;
      const first = await connector.placeOrder(order, testContext({ lane: 'order' }));
      expect(first.alreadyExisted).toBe(false);
      expect(['submitted', 'accepted']).toContain(first.status);
      const second = await connector.placeOrder(order, testContext({ lane: 'order' }));
      expect(second.supplierOrderId).toBe(first.supplierOrderId);
      expect(second.alreadyExisted).toBe(true);
      expect(sandbox.orders().length).toBe(before + 1);
    });

    it('tracks an order to shipped with carrier and tracking number', async () => {
      const order = sampleOrder([inStock[4]!], 3);
      const ack = await connector.placeOrder(order, testContext({ lane: 'order' }));
      const ref = { supplierOrderId: ack.supplierOrderId, idempotencyKey: order.idempotencyKey };
      const open = await connector.getOrderStatus(ref, testContext({ lane: 'order' }));
      expect(['submitted', 'accepted']).toContain(open.status);
      expect(open.rawStatus.length).toBeGreaterThan(0);
      sandbox.advanceOrder(ack.supplierOrderId, 'shipped');
      const shipped = await connector.getOrderStatus(ref, testContext({ lane: 'order' }));
      expect(shipped.status).toBe('shipped');
      expect(shipped.shipments.length).toBeGreaterThan(0);
      expect(shipped.shipments[0]!.trackingNumber.length).toBeGreaterThan(0);
      expect(shipped.shipments[0]!.carrier.length).toBeGreaterThan(0);
      await expectRegistryError(connector.cancelOrder(ref, testContext({ lane: 'order' })), 'ORDER_NOT_CANCELLABLE', 'logical');
    });

    it('cancels an open order', async () => {
      const order = sampleOrder([inStock[5]!], 1);
      const ack = await connector.placeOrder(order, testContext({ lane: 'order' }));
      const ref = { supplierOrderId: ack.supplierOrderId, idempotencyKey: order.idempotencyKey };
      await connector.cancelOrder(ref, testContext({ lane: 'order' }));
      const status = await connector.getOrderStatus(ref, testContext({ lane: 'order' }));
      expect(['cancelled', 'cancel_requested']).toContain(status.status);
    });

    it('reports an unknown order as a logical not-found', async () => {
      await expectRegistryError(
        connector.getOrderStatus({ supplierOrderId: null, idempotencyKey: 'PO-NEVER-PLACED-1' }, testContext({ lane: 'order' })),
        'SUPPLIER_NOT_FOUND',
        'logical',
      );
    });

    it('reports health, and reports a down supplier as unhealthy without throwing', async () => {
      const ok = await connector.health(testContext());
      expect(ok.ok).toBe(true);
      sandbox.setFaults({ down: true });
      const down = await connector.health(testContext());
      expect(down.ok).toBe(false);
      expect(down.detail).toBeTruthy();
    });

    it('reports refused credentials as a critical misconfiguration', async () => {
      const bad = await make({ policies: POLICIES, badCredentials: true });
      try {
        await expectRegistryError(bad.connector.getStock([bad.sandbox.supplierSkus()[0]!], testContext()), 'MISCONFIGURED', 'critical');
      } finally {
        await bad.close();
      }
    });
  });
}
