import type { Logger } from '../platform/logger.ts';

/** What closing the stores and loops may take after the drain, before a stuck shutdown is given up. */
const AFTER_DRAIN_MS = 5_000;

/**
 * A shutdown that hangs (a store that never answers its close) must not keep the process, and its port, forever:
 * after the drain bound and a margin the process exits 1, so the supervisor sees the shutdown was not clean.
 */
export function exitIfStuck(drainMs: number, log: Logger): void {
  setTimeout(() => {
    log.error({ afterMs: drainMs + AFTER_DRAIN_MS }, 'shutdown did not finish; exiting');
    process.exit(1);
  }, drainMs + AFTER_DRAIN_MS).unref();
}
