/**
 * Fault rows: Redis stopped (SIGKILL) under read and order traffic, then restarted (issue 12, point 2); and Redis
 * hung (SIGSTOP: connections open, nothing answered), then resumed — the case the command timeout and the client
 * breaker are for. Measured on a
 * stack child process over a private Redis and FerretDB (test/fault/store-outage-harness.ts); the fault test
 * (test/fault/redis-outage.fault.test.ts) asserts on these observations, bench:faults prints the row.
 */
import { BUDGET_MS, placeOrder, readFor, readiness, readOrders, readProduct, recoveredAfter, startOutageSetting, type Answer } from '../../test/fault/store-outage-harness.ts';
import { summarize, type FaultRow, type FaultRowRunner } from './row.ts';

/** How long product reads run while Redis is down. */
const FAULT_MS = 5_000;
/** How long product reads run while Redis is hung. */
const HUNG_MS = 5_000;

export interface RedisOutageObservations {
  /** Stopped, then hung. */
  readonly rows: readonly [FaultRow, FaultRow];
  readonly budgetMs: number;
  readonly before: readonly Answer[];
  /** Product reads (with `viewer`, stock and offers) while Redis was down. */
  readonly during: readonly Answer[];
  readonly after: readonly Answer[];
  readonly readyBefore: Awaited<ReturnType<typeof readiness>>;
  readonly readyDuring: Awaited<ReturnType<typeof readiness>>;
  readonly readyAfter: Awaited<ReturnType<typeof readiness>>;
  /** placeOrder while Redis was down, then the client's retry with the same key. */
  readonly order: Answer;
  readonly orderRetry: Answer;
  /** Orders stored under the key (after recovery), and supplier orders created by it, counted at the sandboxes. */
  readonly ordersWithKey: number;
  readonly hungOrdersWithKey: number;
  readonly hungSupplierOrdersCreated: number;
  readonly supplierOrdersCreated: number;
  readonly recoveryMs: number;
  /** Product reads while Redis was hung, /readyz then, and the recovery after it was resumed. */
  readonly hung: readonly Answer[];
  readonly readyHung: Awaited<ReturnType<typeof readiness>>;
  /** placeOrder while Redis was hung (another key). */
  readonly hungOrder: Answer;
  readonly hungRecoveryMs: number;
  /** The stack's log lines mentioning Redis, by message (the outage must be logged, and not once per request). */
  readonly redisLogLines: Readonly<Record<string, number>>;
}

export async function measureRedisOutage(): Promise<RedisOutageObservations> {
  const setting = await startOutageSetting('redis');
  try {
    const { stack, skus } = setting;
    const url = stack.graphqlUrl;
    const read = (i: number) => readProduct(url, skus[i % skus.length]!);
    // Warm: every offer read once, so the cache holds them when Redis goes.
    const before = await readFor(1_500, read);
    const readyBefore = await readiness(stack.gatewayUrl);
    const supplierOrdersBefore = setting.supplierOrders();

    await setting.redis.stop();
    const key = `redis-outage-${Date.now()}`;
    const [during, order, readyDuring] = await Promise.all([
      readFor(FAULT_MS, read),
      placeOrder(url, key, setting.orderSku),
      readiness(stack.gatewayUrl),
    ]);
    // The client's retry, still during the outage: the same key must give the same order, never a second one.
    const orderRetry = await placeOrder(url, key, setting.orderSku);

    await setting.redis.start();
    const restarted = performance.now();
    // Recovered: /readyz says ready again (every Redis connection back, breakers closed) and a read is clean.
    const recovery = await recoveredAfter(
      restarted,
      async () => {
        const ready = await readiness(stack.gatewayUrl);
        const answer = await read(0);
        return ready.body.status === 'ready' ? answer : { ...answer, codes: [...answer.codes, `READYZ_${ready.body.status}`] };
      },
      (a) => a.status === 200 && a.codes.length === 0,
      30_000,
    );
    const after = await readFor(1_000, read);
    const readyAfter = await readiness(stack.gatewayUrl);
    const supplierOrdersCreated = setting.supplierOrders() - supplierOrdersBefore;

    // Hung: every Redis command now waits for its timeout until each client's breaker opens.
    setting.redis.pause();
    const [hung, readyHung, hungOrder] = await Promise.all([
      readFor(HUNG_MS, read),
      new Promise<void>((r) => setTimeout(r, HUNG_MS / 2)).then(() => readiness(stack.gatewayUrl)),
      placeOrder(url, `${key}-hung`, setting.orderSku),
    ]);
    setting.redis.resume();
    const resumed = performance.now();
    const hungRecovery = await recoveredAfter(
      resumed,
      async () => {
        const ready = await readiness(stack.gatewayUrl);
        const answer = await read(0);
        return ready.body.status === 'ready' ? answer : { ...answer, codes: [...answer.codes, `READYZ_${ready.body.status}`] };
      },
      (a) => a.status === 200 && a.codes.length === 0,
      30_000,
    );
    // The order loop may still be finishing a SUBMITTING sub-order in the background: give it its cycle.
    await new Promise((r) => setTimeout(r, 1_000));
    const orders = (await readOrders(url)).json.data?.orders?.nodes ?? [];
    const redisLogLines: Record<string, number> = {};
    for (const line of stack.logs) {
      const msg = String(line['msg']);
      if (/redis|store|claim|cache|rate-limit|event/i.test(msg)) redisLogLines[msg] = (redisLogLines[msg] ?? 0) + 1;
    }
    const rows = [
      summarize('Redis stopped (SIGKILL), then restarted', during, recovery.ms, 'reads and orders keep working: offers from the supplier (cache misses), local rate-limit buckets, per-process gateway claims; /readyz 200 "degraded" naming redis'),
      summarize('Redis hung (SIGSTOP), then resumed (SIGCONT)', hung, hungRecovery.ms, 'commands end at REDIS_COMMAND_TIMEOUT_MS (500 ms) until each client\'s breaker opens (3 in a row); then refused at once, one probe a second'),
    ] as const;
    return {
      rows,
      budgetMs: BUDGET_MS,
      before,
      during,
      after,
      readyBefore,
      readyDuring,
      readyAfter,
      order,
      orderRetry,
      ordersWithKey: orders.filter((o: { idempotencyKey: string }) => o.idempotencyKey === key).length,
      hungOrdersWithKey: orders.filter((o: { idempotencyKey: string }) => o.idempotencyKey === `${key}-hung`).length,
      supplierOrdersCreated,
      hungSupplierOrdersCreated: setting.supplierOrders() - supplierOrdersBefore - supplierOrdersCreated,
      recoveryMs: recovery.ms,
      hung,
      readyHung,
      hungOrder,
      hungRecoveryMs: hungRecovery.ms,
      redisLogLines,
    };
  } finally {
    await setting.close();
  }
}

export const redisOutageRow: FaultRowRunner = { name: 'redis', run: async () => [...(await measureRedisOutage()).rows] };
