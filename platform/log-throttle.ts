import type { Logger } from './logger.ts';

type Level = 'warn' | 'info' | 'error';

export interface LogThrottle {
  /**
   * Logs `msg` with `fields` the first time `key` is seen in a window; later occurrences in the same window are only
   * counted, and the next line logged for that key says how many were held back (`suppressed`) since when.
   */
  log(level: Level, log: Logger, key: string, fields: Record<string, unknown>, msg: string): void;
  warn(log: Logger, key: string, fields: Record<string, unknown>, msg: string): void;
}

export interface LogThrottleOptions {
  /** One line per key per window. @default 60_000 */
  readonly windowMs?: number;
  /** Keys remembered at once; the oldest is forgotten past this (a key is e.g. supplier + error code). @default 1_000 */
  readonly maxKeys?: number;
  readonly now?: () => number;
}

/**
 * Repeated identical warnings — a supplier that is down fails every read and every poll the same way — are logged
 * once per window per key with a count, not once per occurrence. No timers: the count rides on the key's next line.
 */
export function createLogThrottle(options: LogThrottleOptions = {}): LogThrottle {
  const windowMs = options.windowMs ?? 60_000;
  const maxKeys = options.maxKeys ?? 1_000;
  const now = options.now ?? Date.now;
  const seen = new Map<string, { loggedAt: number; suppressed: number }>();

  const throttle: LogThrottle = {
    log(level, log, key, fields, msg) {
      const at = now();
      const entry = seen.get(key);
      if (entry && at - entry.loggedAt < windowMs) {
        entry.suppressed += 1;
        return;
      }
      const held = entry?.suppressed ?? 0;
      seen.delete(key);
      seen.set(key, { loggedAt: at, suppressed: 0 });
      if (seen.size > maxKeys) seen.delete(seen.keys().next().value as string);
      log[level](held > 0 ? { ...fields, suppressed: held, suppressedSinceMs: at - entry!.loggedAt } : fields, msg);
    },
    warn: (log, key, fields, msg) => throttle.log('warn', log, key, fields, msg),
  };
  return throttle;
}

/**
 * An expected failure (a supplier down, throttled, timing out) as log fields without a stack trace: its code,
 * class, supplier and message. Unexpected errors keep `{ err }` with the stack.
 */
export function briefError(error: unknown): Record<string, unknown> {
  if (typeof error !== 'object' || error === null) return { error: String(error) };
  const e = error as { name?: unknown; code?: unknown; errorClass?: unknown; supplier?: unknown; message?: unknown };
  return {
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.errorClass === 'string' ? { errorClass: e.errorClass } : {}),
    ...(typeof e.supplier === 'string' ? { supplier: e.supplier } : {}),
    error: typeof e.message === 'string' ? e.message : String(error),
  };
}
