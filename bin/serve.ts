/**
 * `npm run serve -- <role>` (compiled: `node dist/bin/serve.js <role>`): one role of the product in this process,
 * for running each as its own service (docs/architecture.md "Roles", docs/configuration.md). `--help` lists the
 * roles of the configured suppliers file. `npm start` runs every role in one process instead.
 */
import { loadConfig, ConfigError } from '../platform/config.ts';
import { assertDurableKey } from '../platform/service-config.ts';
import { createLogger } from '../platform/logger.ts';
import { roleNames, startRole } from '../stack/roles/roles.ts';
import { exitIfStuck } from './exit-if-stuck.ts';

const USAGE = 'usage: serve <role>\n  roles:';

async function main(): Promise<void> {
  const role = process.argv[2];
  const config = loadConfig();
  if (role === undefined || role === '--help' || role === '-h') {
    const out = role === undefined ? console.error : console.log;
    out(`${USAGE}\n${roleNames(config).map((r) => `    ${r}`).join('\n')}`);
    process.exit(role === undefined ? 2 : 0);
  }
  // An unknown flag or role is the caller's mistake, said before anything about the configuration's contents.
  if (!roleNames(config).includes(role)) {
    console.error(`${role.startsWith('-') ? `unknown flag ${role}` : `unknown role ${role}`}\n${USAGE}\n${roleNames(config).map((r) => `    ${r}`).join('\n')}`);
    process.exit(2);
  }
  // With MONGO_URL, no start without SECRETS_KEK: data sealed with a per-process key dies with the process.
  assertDurableKey(config);
  const log = createLogger({ level: config.logLevel, name: role, format: config.logFormat });
  const running = await startRole(role, { config, log });
  // Supervisors and the test harness wait for this line, so it is written whatever LOG_LEVEL hides.
  if (log.isLevelEnabled('info')) log.info({ role, url: running.url, pid: process.pid }, 'role listening');
  else process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), name: role, role, url: running.url, pid: process.pid, msg: 'role listening' })}\n`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ role, signal, drainBoundMs: config.shutdownDrainMs }, 'shutting down: draining requests in flight');
    exitIfStuck(config.shutdownDrainMs, log);
    await running.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
