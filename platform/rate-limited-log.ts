import { Counter, type Registry } from 'prom-client';
import type { Logger } from './logger.ts';

type Level = 'warn' | 'info' | 'error';

export interface RateLimitedLog {
  /**
   * Logs `msg` with `fields` the first time `key` is seen; repeats within the interval are only counted, and at the
   * end of an interval that had repeats ONE summary line says how many (`repeated`) over how long (`overMs`). Under
   * a flood that is the first line, then at most one line per interval per key, whatever the rate. `via`: the
   * logger for a first line (a request's, bound to its id); summaries go to the one given at creation.
   */
  log(level: Level, key: string, fields: Record<string, unknown>, msg: string, via?: Logger): void;
  /** Writes the pending summaries now (at shutdown, so no count is lost). */
  flush(): void;
  /** flush(), and stops the timer. */
  close(): void;
}

export interface RateLimitedLogOptions {
  readonly log: Logger;
  /** At most one summary line per key per interval. @default 60_000 */
  readonly intervalMs?: number;
  /**
   * Keys tracked at once. Past this, new keys share one overflow key (`key: "*"`), so a sender that varies whatever
   * the key is made of still gets one line per interval. Keys should be bounded anyway (supplier × fixed reason).
   * @default 1_000
   */
  readonly maxKeys?: number;
  /** @default Date.now */
  readonly now?: () => number;
  /**
   * Counts every occurrence, logged or held back, in `log_events_total{event}` on this registry (shared by every
   * rate-limited log of the process, one `event` label value each).
   */
  readonly metrics?: { readonly registry: Registry; readonly event: string };
}

const EVENTS_METRIC = 'log_events_total';

/** One counter per registry, however many logs count into it. */
function eventCounter(registry: Registry): Counter<'event'> {
  const known = registry.getSingleMetric(EVENTS_METRIC);
  if (known !== undefined) return known as Counter<'event'>;
  return new Counter({ name: EVENTS_METRIC, help: 'Occurrences of log events any sender can cause (rate-limited in the log), by event', labelNames: ['event'], registers: [registry] });
}

interface Entry {
  level: Level;
  fields: Record<string, unknown>;
  msg: string;
  since: number;
  repeated: number;
}

/**
 * For log lines any unauthenticated sender can cause (forged webhooks, refused upgrades, failed authentication while
 * a store is down): 10,000 forgeries are one line and a count, not 10,000 lines. Unlike platform/log-throttle.ts
 * (whose count rides on the key's next line, fine for a supplier that fails again), the count here is written by a
 * timer when the interval ends, so a flood that stops is still reported whole. The timer is unref'd and runs only
 * while there are counts to write.
 */
export function createRateLimitedLog(options: RateLimitedLogOptions): RateLimitedLog {
  const intervalMs = options.intervalMs ?? 60_000;
  const maxKeys = options.maxKeys ?? 1_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let timer: NodeJS.Timeout | undefined;
  let lastFullSweep = Number.NEGATIVE_INFINITY;
  const counter = options.metrics ? eventCounter(options.metrics.registry) : undefined;
  const event = options.metrics?.event ?? '';

  const summarise = (key: string, entry: Entry, at: number): void => {
    options.log[entry.level]({ ...entry.fields, ...(key === '*' ? { key: '*' } : {}), repeated: entry.repeated, overMs: at - entry.since }, `${entry.msg} (repeated)`);
  };

  /** Ends every interval that is over: its summary if it had repeats; a quiet key is forgotten. */
  const sweep = (force = false): void => {
    const at = now();
    for (const [key, entry] of entries) {
      if (!force && at - entry.since < intervalMs) continue;
      if (entry.repeated > 0) {
        summarise(key, entry, at);
        // A new interval starts now: its repeats are counted into the next summary, never a first line again.
        entry.since = at;
        entry.repeated = 0;
      } else {
        entries.delete(key);
      }
    }
    if (entries.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  return {
    log(level, key, fields, msg, via = options.log) {
      counter?.inc({ event });
      const at = now();
      let entry = entries.get(key);
      if (entry !== undefined && entry.repeated === 0 && at - entry.since >= intervalMs) {
        entries.delete(key); // seen once, long ago: this is a first line again
        entry = undefined;
      }
      if (entry === undefined && entries.size >= maxKeys) {
        if (at - lastFullSweep >= intervalMs / 4) {
          lastFullSweep = at;
          sweep();
        }
        if (entries.size >= maxKeys) entry = entries.get((key = '*'));
      }
      if (entry !== undefined) {
        entry.repeated += 1;
        if (timer === undefined) {
          timer = setInterval(() => sweep(), Math.max(10, Math.floor(intervalMs / 4)));
          timer.unref();
        }
        return;
      }
      entries.set(key, { level, fields, msg, since: at, repeated: 0 });
      via[level](key === '*' ? { ...fields, key: '*' } : fields, msg);
    },
    flush: () => sweep(true),
    close() {
      sweep(true);
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      entries.clear();
    },
  };
}
