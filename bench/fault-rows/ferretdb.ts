/**
 * Fault rows: the MongoDB-protocol server (FerretDB) stopped (SIGKILL) under traffic, then restarted (issue 12,
 * point 6); and hung (SIGSTOP: connections open, nothing answered), then resumed: until the driver's heartbeat
 * fails nothing at the driver ends such a read, so each store call of a request is bounded by the request's budget
 * less the reserve (subgraphs/store-deadline.ts) and fails STORE_UNAVAILABLE; then the pool is cleared and reads
 * fail STORE_UNAVAILABLE as when stopped. Measured on a stack child process over a private FerretDB and Redis (test/fault/store-outage-harness.ts);
 * test/fault/mongo-outage.fault.test.ts asserts on these observations, bench:faults prints the row.
 */
import { BUDGET_MS, placeOrder, readFor, readiness, readOrders, readProduct, readSupplierOnly, recoveredAfter, startOutageSetting, type Answer } from '../../test/fault/store-outage-harness.ts';
import { summarize, type FaultRow, type FaultRowRunner } from './row.ts';

const FAULT_MS = 6_000;
const HUNG_MS = 5_000;

export interface FerretdbOutageObservations {
  /** Product reads (they need the catalog), reads that need no database, and product reads while hung. */
  readonly rows: readonly [FaultRow, FaultRow, FaultRow];
  /** Product reads and database-free reads while FerretDB was hung (SIGSTOP), and the recovery once resumed. */
  readonly hungProductReads: readonly Answer[];
  readonly hungSupplierReads: readonly Answer[];
  readonly hungRecoveryMs: number;
  readonly budgetMs: number;
  /** Product reads (viewer, product, stock, offers) while FerretDB was down. */
  readonly productReads: readonly Answer[];
  /** Reads that need no database (viewer, a supplier's offer by its own SKU, suppliers' status) while it was down. */
  readonly supplierReads: readonly Answer[];
  readonly readyDuring: Awaited<ReturnType<typeof readiness>>;
  readonly readyAfter: Awaited<ReturnType<typeof readiness>>;
  /** placeOrder while FerretDB was down, and the same key again after recovery. */
  readonly orderDuring: Answer;
  readonly orderAfter: Answer;
  /** Supplier orders created while it was down (must be 0: nothing half-written), and by the order after recovery. */
  readonly supplierOrdersDuringOutage: number;
  readonly supplierOrdersAfter: number;
  /** Every order stored at the end, with its sub-orders. */
  readonly orders: readonly { id: string; idempotencyKey: string; status: string; subOrders: { state: string; supplierOrderId: string | null }[] }[];
  readonly key: string;
  readonly recoveryMs: number;
  readonly mongoLogLines: Readonly<Record<string, number>>;
}

export async function measureFerretdbOutage(): Promise<FerretdbOutageObservations> {
  const setting = await startOutageSetting('ferretdb');
  try {
    const { stack, skus } = setting;
    const url = stack.graphqlUrl;
    const product = (i: number) => readProduct(url, skus[i % skus.length]!);
    const supplierOnly = () => readSupplierOnly(url, setting.brightlineSku);
    await readFor(1_000, product);
    const suppliersBefore = setting.supplierOrders();

    await setting.mongo.stop();
    const key = `mongo-outage-${Date.now()}`;
    const [productReads, supplierReads, orderDuring, readyDuring] = await Promise.all([
      readFor(FAULT_MS, product, 2),
      readFor(FAULT_MS, supplierOnly, 1),
      placeOrder(url, key, setting.orderSku),
      // Mid-fault: /readyz reads the driver's heartbeats (every 2 s), so it may say "ready" for the first moments.
      new Promise<void>((r) => setTimeout(r, FAULT_MS / 2)).then(() => readiness(stack.gatewayUrl)),
    ]);
    // Let any background step of that order (none should exist) have its chance to reach a supplier.
    await new Promise((r) => setTimeout(r, 500));
    const supplierOrdersDuringOutage = setting.supplierOrders() - suppliersBefore;

    await setting.mongo.start();
    const restarted = performance.now();
    const recovery = await recoveredAfter(restarted, () => product(0), (a) => a.status === 200 && a.codes.length === 0 && a.json.data?.product !== null, 30_000);
    const readyAfter = await readiness(stack.gatewayUrl);
    const orderAfter = await placeOrder(url, key, setting.orderSku);
    await new Promise((r) => setTimeout(r, 1_000));
    const orders = (await readOrders(url)).json.data?.orders?.nodes ?? [];

    // Hung: nothing fails at the driver until the socket timeout; the gateway cuts each read at budget + grace.
    setting.mongo.pause();
    const [hungProductReads, hungSupplierReads] = await Promise.all([readFor(HUNG_MS, product, 2), readFor(HUNG_MS, supplierOnly, 1)]);
    setting.mongo.resume();
    const resumed = performance.now();
    const hungRecovery = await recoveredAfter(resumed, () => product(0), (a) => a.status === 200 && a.codes.length === 0 && a.json.data?.product !== null, 30_000);

    const mongoLogLines: Record<string, number> = {};
    for (const line of stack.logs) {
      const msg = String(line['msg']);
      mongoLogLines[msg] = (mongoLogLines[msg] ?? 0) + 1;
    }
    const rows = [
      summarize(
        'FerretDB stopped (SIGKILL), then restarted: product reads',
        productReads,
        recovery.ms,
        'product null with STORE_UNAVAILABLE within the server selection timeout (1.5 s in this row), viewer answered; placeOrder refused STORE_UNAVAILABLE with nothing stored or sent; /readyz 200 "degraded" naming mongodb',
      ),
      summarize('FerretDB stopped: reads that need no database', supplierReads, null, 'viewer, brightlineOffer(supplierSku:) and suppliers: answered, no error'),
      summarize(
        'FerretDB hung (SIGSTOP), then resumed: product reads',
        hungProductReads,
        hungRecovery.ms,
        'until the driver\'s heartbeat fails (2 s interval + 2 s timeout) a catalog read waits on the silent socket: the catalog subgraph stops waiting at the budget less REQUEST_BUDGET_RESERVE_MS (STORE_UNAVAILABLE, product null, viewer answered); after that, STORE_UNAVAILABLE at once as when stopped; reads that need no database unaffected',
      ),
    ] as const;
    return {
      rows,
      budgetMs: BUDGET_MS,
      productReads,
      supplierReads,
      readyDuring,
      readyAfter,
      orderDuring,
      orderAfter,
      supplierOrdersDuringOutage,
      supplierOrdersAfter: setting.supplierOrders() - suppliersBefore,
      orders,
      key,
      recoveryMs: recovery.ms,
      hungProductReads,
      hungSupplierReads,
      hungRecoveryMs: hungRecovery.ms,
      mongoLogLines,
    };
  } finally {
    await setting.close();
  }
}

export const ferretdbOutageRow: FaultRowRunner = { name: 'ferretdb', run: async () => [...(await measureFerretdbOutage()).rows] };
