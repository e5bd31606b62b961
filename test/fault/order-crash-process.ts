/**
 * One stack process of the order crash test (order-crash.fault.test.ts): a whole stack from this process's
 * environment, like stack-process.ts, with two test-only switches on the command line:
 *
 *   node --import tsx test/fault/order-crash-process.ts [--kill-after-place <supplier>] [--loop-ms N] [--resume-after-ms N]
 *
 * `--kill-after-place` wraps that supplier's connector so that the process SIGKILLs itself the moment the supplier's
 * placeOrder has returned its acknowledgement — after the supplier holds the order, before the workflow can store
 * the ack. Nothing runs after the signal (no finally, no exit handler, no flush): the OS ends the process as a
 * crash or an OOM kill would. `--loop-ms` / `--resume-after-ms` make the resume loop run often and pick up orders
 * young enough for a test.
 *
 * stdout: one JSON line `{ graphqlUrl }` once listening; with the switch, one line `{ killing: <supplier key>,
 * supplierOrderId }` just before the kill (stdout is a pipe, written synchronously on Linux). Logs go to stderr.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import { loadConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/logger.ts';
import { startStack } from '../../stack/start-stack.ts';

/** The test-only decorator: the supplier answers, then this process dies before anyone can record the answer. */
function killAfterPlace(inner: SupplierConnector): SupplierConnector {
  return {
    ...inner,
    async placeOrder(order, ctx) {
      const ack = await inner.placeOrder(order, ctx);
      process.stdout.write(`${JSON.stringify({ killing: order.idempotencyKey, supplierOrderId: ack.supplierOrderId })}\n`);
      process.kill(process.pid, 'SIGKILL');
      return new Promise<never>(() => {}); // never reached: the signal is delivered synchronously to ourselves
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'kill-after-place': { type: 'string' }, 'loop-ms': { type: 'string' }, 'resume-after-ms': { type: 'string' } },
  });
  const config = loadConfig(process.env);
  const log = createLogger({ level: config.logLevel, name: `order-crash-${process.pid}`, destination: pino.destination(2) });
  const stack = await startStack({
    config,
    log,
    subgraphPorts: 'random',
    seed: false,
    orderLoopMs: Number(values['loop-ms'] ?? 5_000),
    orderOptions: { resumeAfterMs: Number(values['resume-after-ms'] ?? 30_000) },
  });
  const victim = values['kill-after-place'];
  if (victim !== undefined) {
    // The stack offers no connector hook, and product code should not grow one for a test: the order service reads
    // connectors from this very Map at each call, so replacing the entry decorates every later placement.
    const connectors = stack.connectors;
    const inner = connectors.get(victim);
    if (!(connectors instanceof Map) || inner === undefined) throw new Error(`cannot decorate supplier ${victim}`);
    (connectors as Map<string, SupplierConnector>).set(victim, killAfterPlace(inner));
  }
  process.stdout.write(`${JSON.stringify({ graphqlUrl: stack.gateway.graphqlUrl })}\n`);

  let stopping = false;
  process.on('SIGTERM', () => {
    if (stopping) return;
    stopping = true;
    void stack.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error('order crash stack process failed to start:', error);
  process.exit(1);
});
