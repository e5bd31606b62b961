/**
 * A short memory of one supplier's calls in this process, a bucket per minute: how many were sent, how many failed,
 * and a sample of their durations. The operators' `suppliers` query reads the p95 latency and error rate of the last
 * minutes from it, and the console charts the minutes. Bounded: 15 buckets, each keeping at most 500 durations
 * (a uniform reservoir sample past that, so a busy minute's p95 stays an estimate of the whole minute).
 */
export interface CallMinute {
  /** Epoch ms of the minute's start. */
  readonly at: number;
  readonly calls: number;
  readonly errors: number;
  /** Null when no call of the minute reported a duration. */
  readonly p95Ms: number | null;
}

export interface CallWindow {
  /** One sent call: failed or not, and how long it took (seconds), when known. */
  record(failed: boolean, seconds?: number): void;
  /** The last `minutes` minutes (this one included), oldest first, empty minutes included. */
  minutes(minutes?: number): CallMinute[];
  /** Over the last `minutes`: the p95 duration (ms) and the failed share of calls; null without calls. */
  summary(minutes?: number): { readonly calls: number; readonly p95Ms: number | null; readonly errorRate: number | null };
}

const MINUTE_MS = 60_000;
export const WINDOW_MINUTES = 15;
const MAX_SAMPLES = 500;

interface Bucket {
  at: number;
  calls: number;
  errors: number;
  timed: number;
  samples: number[];
}

/** The 95th percentile of `values` (nearest rank), or null when empty. */
export function p95(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
}

const ms = (value: number): number => Math.round(value * 10) / 10;

export function createCallWindow(now: () => number = Date.now, random: () => number = Math.random): CallWindow {
  const buckets: Bucket[] = [];

  const current = (): Bucket => {
    const at = Math.floor(now() / MINUTE_MS) * MINUTE_MS;
    let bucket = buckets[buckets.length - 1];
    if (bucket === undefined || bucket.at !== at) {
      bucket = { at, calls: 0, errors: 0, timed: 0, samples: [] };
      buckets.push(bucket);
      while (buckets.length > 0 && buckets[0]!.at <= at - WINDOW_MINUTES * MINUTE_MS) buckets.shift();
    }
    return bucket;
  };

  const lastMinutes = (minutes: number): Bucket[] => {
    const from = Math.floor(now() / MINUTE_MS) * MINUTE_MS - (minutes - 1) * MINUTE_MS;
    return buckets.filter((b) => b.at >= from);
  };

  return {
    record(failed, seconds) {
      const bucket = current();
      bucket.calls += 1;
      if (failed) bucket.errors += 1;
      if (seconds === undefined || !Number.isFinite(seconds)) return;
      bucket.timed += 1;
      const value = seconds * 1000;
      if (bucket.samples.length < MAX_SAMPLES) bucket.samples.push(value);
      else {
        const slot = Math.floor(random() * bucket.timed);
        if (slot < MAX_SAMPLES) bucket.samples[slot] = value;
      }
    },

    minutes(minutes = WINDOW_MINUTES) {
      const count = Math.min(Math.max(1, minutes), WINDOW_MINUTES);
      const start = Math.floor(now() / MINUTE_MS) * MINUTE_MS - (count - 1) * MINUTE_MS;
      const byStart = new Map(lastMinutes(count).map((b) => [b.at, b]));
      return Array.from({ length: count }, (_, i) => {
        const at = start + i * MINUTE_MS;
        const b = byStart.get(at);
        const q = b === undefined ? null : p95(b.samples);
        return { at, calls: b?.calls ?? 0, errors: b?.errors ?? 0, p95Ms: q === null ? null : ms(q) };
      });
    },

    summary(minutes = 5) {
      const recent = lastMinutes(Math.min(Math.max(1, minutes), WINDOW_MINUTES));
      const calls = recent.reduce((n, b) => n + b.calls, 0);
      const errors = recent.reduce((n, b) => n + b.errors, 0);
      const q = p95(recent.flatMap((b) => b.samples));
      return { calls, p95Ms: q === null ? null : ms(q), errorRate: calls === 0 ? null : Math.round((errors / calls) * 10_000) / 10_000 };
    },
  };
}
