/**
 * Fault knobs every sandbox honours, settable per test in-process or over HTTP (POST /__sandbox/faults).
 * Each sandbox maps a knob onto its own protocol: a 429 storm is HTTP 429 + Retry-After for REST and SOAP,
 * and a THROTTLED GraphQL error for the GraphQL supplier; a rejection is a 4xx, a SOAP Client fault, or a
 * GraphQL user error.
 */
export interface FaultKnobs {
  /** Extra latency added before every answer, in ms. */
  latencyMs: number;
  /**
   * Latency added after the answer is made, in ms: the supplier read its data when the request arrived and the answer
   * was slow on the wire, so it lands describing the supplier as it was when asked (a poll whose answer lands after a
   * later live read's). Decided when the request arrives, like every knob. REST sandbox (brightline) only.
   */
  answerDelayMs: number;
  /** Probability (0..1) that a request fails with a server error (5xx / SOAP Server fault). */
  errorRate: number;
  /** The next `count` requests are throttled, each told to retry after `retryAfterSeconds`. */
  throttle: { count: number; retryAfterSeconds: number } | null;
  /** While true the sandbox refuses service: connections are destroyed without an answer. */
  down: boolean;
  /** Probability (0..1) that a 200 answer's body is truncated into something unparseable. */
  malformedRate: number;
  /** Probability (0..1) that a request is rejected as a client error (4xx / SOAP Client fault / user error). */
  rejectRate: number;
  /**
   * A lost acknowledgement: the next `count` orders the sandbox creates are stored (stock taken, order book
   * updated, webhooks sent) and then their answer is lost — the connection is destroyed without a response, or,
   * with `delayMs`, the response is sent only that much later (after the caller's deadline). A resend of the same
   * order then meets the supplier's duplicate answer. `thenDown`: the sandbox goes down right after (as a supplier
   * that crashed after committing), so resends get no answer at all until `down` is cleared.
   */
  lostAck: { count: number; delayMs?: number; thenDown?: boolean } | null;
}

export const NO_FAULTS: Readonly<FaultKnobs> = Object.freeze({
  latencyMs: 0,
  answerDelayMs: 0,
  errorRate: 0,
  throttle: null,
  down: false,
  malformedRate: 0,
  rejectRate: 0,
  lostAck: null,
});

export type FaultDecision = 'down' | 'throttle' | 'error' | 'reject' | 'ok';

export class FaultController {
  #knobs: FaultKnobs = { ...NO_FAULTS };
  readonly #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  get knobs(): Readonly<FaultKnobs> {
    return this.#knobs;
  }

  set(partial: Partial<FaultKnobs>): void {
    this.#knobs = { ...this.#knobs, ...partial };
  }

  reset(): void {
    this.#knobs = { ...NO_FAULTS };
  }

  /** Decides the fate of one request; consumes one throttle slot when throttling. */
  decide(): { decision: FaultDecision; retryAfterSeconds: number } {
    const k = this.#knobs;
    if (k.down) return { decision: 'down', retryAfterSeconds: 0 };
    if (k.throttle && k.throttle.count > 0) {
      const retryAfterSeconds = k.throttle.retryAfterSeconds;
      this.#knobs = { ...k, throttle: k.throttle.count > 1 ? { ...k.throttle, count: k.throttle.count - 1 } : null };
      return { decision: 'throttle', retryAfterSeconds };
    }
    if (k.errorRate > 0 && this.#random() < k.errorRate) return { decision: 'error', retryAfterSeconds: 0 };
    if (k.rejectRate > 0 && this.#random() < k.rejectRate) return { decision: 'reject', retryAfterSeconds: 0 };
    return { decision: 'ok', retryAfterSeconds: 0 };
  }

  /**
   * Called by a sandbox right after it stored a new order: whether to lose that order's answer (consumes one
   * `lostAck` slot). `delayMs` null: destroy the connection; else answer that much later.
   */
  takeLostAck(): { delayMs: number | null } | null {
    const lost = this.#knobs.lostAck;
    if (lost === null || lost.count <= 0) return null;
    this.#knobs = { ...this.#knobs, lostAck: lost.count > 1 ? { ...lost, count: lost.count - 1 } : null, ...(lost.thenDown ? { down: true } : {}) };
    return { delayMs: lost.delayMs ?? null };
  }

  /** Whether this 200 answer should be mangled. */
  shouldMalform(): boolean {
    return this.#knobs.malformedRate > 0 && this.#random() < this.#knobs.malformedRate;
  }

  async delay(): Promise<void> {
    if (this.#knobs.latencyMs > 0) await new Promise((r) => setTimeout(r, this.#knobs.latencyMs));
  }
}

/** Cuts a body roughly in half so no parser can accept it. */
export const malform = (body: string): string => body.slice(0, Math.max(1, Math.floor(body.length / 2))) + '\u0000<<';
