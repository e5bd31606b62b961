/**
 * A circuit breaker per supplier: closed → open on a failure rate over a rolling window (once the window holds
 * a minimum volume) or at once on a few critical errors; open → half-open after `openMs`, letting a few probe
 * calls through; half-open → closed when they succeed, back to open when one fails.
 *
 * Per process, on purpose: each process samples the supplier through its own calls and opens on what it sees,
 * so no Redis round trip is added to every call and a Redis outage cannot open (or hold shut) every breaker.
 * With N processes a dead supplier costs at most N × minimumVolume calls before all are open. Sharing would need
 * a store port for the state; the listener below is where one would hook in.
 */
import { RegistryError, isRegistryError } from '../../../kernel/errors.ts';

export type BreakerState = 'closed' | 'half-open' | 'open';
/** How one call's outcome counts: a failure, a critical failure, a success, or not at all. */
export type CallVerdict = 'success' | 'failure' | 'critical' | 'ignore';

export interface BreakerStateChange {
  readonly supplier: string;
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly reason: 'failure-rate' | 'critical' | 'probe' | 'recovered' | 'probe-failed';
}

export interface CircuitBreakerOptions {
  readonly supplier: string;
  /** Share of failed calls in the window that opens the circuit. @default 0.5 */
  readonly failureRate?: number;
  /** Calls the window must hold before the failure rate counts. @default 10 */
  readonly minimumVolume?: number;
  /** Rolling window, aged out a tenth at a time. @default 30000 */
  readonly windowMs?: number;
  /** Critical errors within the window that open the circuit at once. @default 3 */
  readonly criticalThreshold?: number;
  /** How long the circuit stays open before probing. @default 30000 */
  readonly openMs?: number;
  /** Probes let through at once when half-open; as many successes close the circuit. @default 1 */
  readonly halfOpenProbes?: number;
  /** @default classifyOutcome */
  readonly classify?: (error: unknown) => CallVerdict;
  /** @default Date.now */
  readonly now?: () => number;
}

/** One admitted call: say how it went (`record`, undefined for success) or that it was never sent (`release`). */
export interface BreakerTicket {
  record(error?: unknown): void;
  release(): void;
}

export interface CircuitBreaker {
  readonly supplier: string;
  state(): BreakerState;
  /** Admits a call, or throws SUPPLIER_CIRCUIT_OPEN (transient, retryAfterMs until the next probe). */
  admit(operation: string): BreakerTicket;
  onStateChange(listener: (change: BreakerStateChange) => void): () => void;
}

/**
 * Failures are the supplier's: timeouts and 5xx (transient), malformed answers and refused credentials
 * (critical). A logical error is a supplier that answered, so a success here. Throttling is the rate limiter's
 * business, and our own refusals and the caller's aborts say nothing about the supplier.
 */
export function classifyOutcome(error: unknown): CallVerdict {
  if (error === undefined) return 'success';
  if (!isRegistryError(error)) return 'critical';
  if (['CALL_ABORTED', 'SUPPLIER_THROTTLED', 'SUPPLIER_CIRCUIT_OPEN', 'RATE_LIMITED_LOCALLY'].includes(error.code)) return 'ignore';
  if (error.errorClass === 'logical') return 'success';
  return error.errorClass === 'critical' ? 'critical' : 'failure';
}

interface Slice {
  start: number;
  calls: number;
  failures: number;
  critical: number;
}

const SLICES = 10;

export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const { supplier } = options;
  const failureRate = options.failureRate ?? 0.5;
  const minimumVolume = options.minimumVolume ?? 10;
  const windowMs = options.windowMs ?? 30_000;
  const criticalThreshold = options.criticalThreshold ?? 3;
  const openMs = options.openMs ?? 30_000;
  const probes = options.halfOpenProbes ?? 1;
  const classify = options.classify ?? classifyOutcome;
  const now = options.now ?? (() => Date.now());
  const sliceMs = windowMs / SLICES;
  const listeners = new Set<(change: BreakerStateChange) => void>();

  let state: BreakerState = 'closed';
  let slices: Slice[] = [];
  let openUntil = 0;
  let probesInFlight = 0;
  let probeSuccesses = 0;
  /** Bumped on every transition: a ticket from an earlier state must not steer the current one. */
  let generation = 0;

  function moveTo(to: BreakerState, reason: BreakerStateChange['reason']): void {
    const from = state;
    state = to;
    generation += 1;
    probesInFlight = 0;
    probeSuccesses = 0;
    if (to === 'open') openUntil = now() + openMs;
    if (to === 'closed') slices = [];
    for (const listener of listeners) listener({ supplier, from, to, reason });
  }

  function count(verdict: 'success' | 'failure' | 'critical'): void {
    const t = now();
    slices = slices.filter((s) => s.start > t - windowMs);
    let slice = slices.at(-1);
    if (!slice || slice.start + sliceMs <= t) slices.push((slice = { start: t - (t % sliceMs), calls: 0, failures: 0, critical: 0 }));
    slice.calls += 1;
    if (verdict !== 'success') slice.failures += 1;
    if (verdict === 'critical') slice.critical += 1;
    const totals = slices.reduce((sum, s) => ({ calls: sum.calls + s.calls, failures: sum.failures + s.failures, critical: sum.critical + s.critical }), { calls: 0, failures: 0, critical: 0 });
    if (totals.critical >= criticalThreshold) moveTo('open', 'critical');
    else if (totals.calls >= minimumVolume && totals.failures / totals.calls >= failureRate) moveTo('open', 'failure-rate');
  }

  function ticket(probe: boolean): BreakerTicket {
    const admittedIn = generation;
    let done = false;
    const finish = (verdict: CallVerdict): void => {
      if (done) return;
      done = true;
      if (admittedIn !== generation) return;
      if (!probe) {
        if (verdict !== 'ignore' && state === 'closed') count(verdict);
        return;
      }
      probesInFlight -= 1;
      if (verdict === 'success' && ++probeSuccesses >= probes) moveTo('closed', 'recovered');
      else if (verdict === 'failure' || verdict === 'critical') moveTo('open', 'probe-failed');
    };
    return { record: (error) => finish(classify(error)), release: () => finish('ignore') };
  }

  const openError = (operation: string, retryAfterMs: number | undefined): RegistryError =>
    new RegistryError('SUPPLIER_CIRCUIT_OPEN', `${supplier} circuit is ${state}; ${operation} not sent`, {
      supplier,
      operation,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      details: { breaker: state },
    });

  return {
    supplier,
    state: () => {
      if (state === 'open' && now() >= openUntil) moveTo('half-open', 'probe');
      return state;
    },
    admit(operation) {
      if (state === 'open' && now() >= openUntil) moveTo('half-open', 'probe');
      if (state === 'closed') return ticket(false);
      if (state === 'open') throw openError(operation, Math.max(0, openUntil - now()));
      if (probesInFlight >= probes) throw openError(operation, undefined);
      probesInFlight += 1;
      return ticket(true);
    },
    onStateChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
