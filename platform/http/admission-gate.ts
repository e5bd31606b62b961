/**
 * Adaptive admission of GraphQL operations (docs/configuration.md "Admission"; docs/benchmarks.md "Gateway speed").
 *
 * Why: when the event loop is the bottleneck, every operation admitted makes all the others slower — 50 deep queries
 * interleaved each wait behind 49 others at every stage of their plan, and together keep 50 half-built answers alive
 * across young-generation collections, so they are promoted and the old generation fills. Measured on the bench's
 * deep query: with 50 interleaved operations the gateway spent 8.2 CPU ms per operation, with 8 at a time 6.5 ms
 * (24 % of the CPU was the garbage collector), and the p99 halved. A fixed limit would starve a gateway whose
 * operations mostly wait on slow suppliers, so the limit adapts to the event loop's utilisation:
 * - saturated (utilisation ≥ `saturatedUtilization` over a sample): the limit comes down to 90 % of what is running,
 *   never under `minLimit`; later operations wait their turn in arrival order;
 * - spare CPU while operations wait (utilisation < `spareUtilization`): the limit doubles, up to `maxLimit`.
 * An operation that does not get its turn within its wait bound is refused (the caller answers 503, transient), so a
 * saturated gateway sheds load instead of answering everything late.
 */
import { performance } from 'node:perf_hooks';

export interface AdmissionGateOptions {
  /** Operations always allowed at once, however busy the loop. @default 4 */
  readonly minLimit?: number;
  /** @default 4096 */
  readonly maxLimit?: number;
  /** How often the utilisation is sampled and the limit moved. @default 100 */
  readonly sampleMs?: number;
  /** @default 0.97 */
  readonly saturatedUtilization?: number;
  /** @default 0.92 */
  readonly spareUtilization?: number;
  /** The event loop's utilisation since the previous call, 0..1 (tests drive it). @default from performance.eventLoopUtilization */
  readonly utilization?: () => number;
}

export interface AdmissionSnapshot {
  readonly limit: number;
  readonly running: number;
  readonly waiting: number;
}

/** Released exactly once when the operation's answer is written. */
export type Release = () => void;

export class AdmissionTimeout extends Error {
  constructor(readonly waitedMs: number) {
    super(`not admitted within ${waitedMs} ms`);
  }
}

export interface AdmissionGate {
  /** The operation's turn: at once when there is room, else in arrival order; AdmissionTimeout after `maxWaitMs`. */
  enter(maxWaitMs: number): Release | Promise<Release>;
  snapshot(): AdmissionSnapshot;
  /** Moves the limit from one utilisation sample (the timer calls it; exposed for tests). */
  adjust(utilization: number): void;
  close(): void;
}

interface Waiter {
  readonly admit: (release: Release) => void;
  readonly timer: NodeJS.Timeout;
  done: boolean;
}

export function createAdmissionGate(options: AdmissionGateOptions = {}): AdmissionGate {
  const minLimit = options.minLimit ?? 4;
  const maxLimit = Math.max(minLimit, options.maxLimit ?? 4096);
  const saturated = options.saturatedUtilization ?? 0.97;
  const spare = options.spareUtilization ?? 0.92;
  const utilization = options.utilization ?? loopUtilization();
  let limit = maxLimit;
  let running = 0;
  const queue: Waiter[] = [];
  let queueHead = 0;
  let waiting = 0;

  const release = (): Release => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      running--;
      admitWaiting();
    };
  };

  function admitWaiting(): void {
    while (running < limit && queueHead < queue.length) {
      const waiter = queue[queueHead++]!;
      if (waiter.done) continue;
      waiter.done = true;
      waiting--;
      clearTimeout(waiter.timer);
      running++;
      waiter.admit(release());
    }
    if (queueHead > 1024 && queueHead * 2 > queue.length) {
      queue.splice(0, queueHead);
      queueHead = 0;
    }
  }

  function adjust(sample: number): void {
    if (sample >= saturated) {
      limit = Math.max(minLimit, Math.floor(Math.min(limit, running) * 0.9));
    } else if (sample < spare && waiting > 0) {
      limit = Math.min(maxLimit, limit * 2);
      admitWaiting();
    }
  }

  utilization();
  const sampler = setInterval(() => adjust(utilization()), options.sampleMs ?? 100);
  sampler.unref();

  return {
    enter(maxWaitMs) {
      if (running < limit && waiting === 0) {
        running++;
        return release();
      }
      const started = Date.now();
      return new Promise<Release>((resolve, reject) => {
        const waiter: Waiter = {
          admit: resolve,
          done: false,
          timer: setTimeout(() => {
            if (waiter.done) return;
            waiter.done = true;
            waiting--;
            reject(new AdmissionTimeout(Date.now() - started));
          }, Math.max(0, maxWaitMs)),
        };
        queue.push(waiter);
        waiting++;
      });
    },
    snapshot: () => ({ limit, running, waiting }),
    adjust,
    close() {
      clearInterval(sampler);
    },
  };
}

/** Utilisation of this process's event loop since the previous call. */
function loopUtilization(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const sample = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    return sample;
  };
}
