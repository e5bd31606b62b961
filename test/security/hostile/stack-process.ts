/**
 * The process under attack in the hostile-supplier suite: the whole product in one process, embedded stores, as
 * `npm start` runs it (bin/start.ts), except that every port is picked by the OS (several suites and engineers share
 * the machine). Configured from its environment only: SUPPLIERS_FILE points each supplier at a hostile server.
 * Prints one JSON line `{ graphqlUrl, webhookBase }` on stdout once everything listens; logs (JSON lines) go to
 * stderr, where the suite counts them. Over IPC it answers 'loop-delay' with its longest event-loop stall since the
 * last question. SIGTERM closes it.
 *
 *   node --import tsx test/security/hostile/stack-process.ts
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { loadConfig } from '../../../platform/config.ts';
import { createLogger } from '../../../platform/logger.ts';
import { startStack } from '../../../stack/start-stack.ts';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger({ level: config.logLevel, name: 'hostile-suite-stack', destination: pino.destination(2) });
  const stack = await startStack({ config, log, subgraphPorts: 'random' });
  const inventory = stack.subgraphs.get('inventory');
  if (!inventory) throw new Error('no inventory subgraph');
  // The suite asks for the longest event-loop stall since its last question (IPC): it tells a stall of this
  // process from a probe slowed by the machine.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  process.on('message', (message: unknown) => {
    if (message !== 'loop-delay') return;
    process.send?.({ loopDelayMaxMs: loop.max / 1e6 });
    loop.reset();
  });
  process.stdout.write(`${JSON.stringify({ graphqlUrl: stack.gateway.graphqlUrl, webhookBase: `${inventory.url}/webhooks/`, pendingSuppliers: stack.initialSync.pending() })}\n`);
  let stopping = false;
  process.on('SIGTERM', () => {
    if (stopping) return;
    stopping = true;
    void stack.close().finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error('hostile-suite stack process failed to start:', error);
  process.exit(1);
});
