/**
 * One time budget per request (docs/architecture.md, "Time budget of a request"). The gateway starts it — the
 * configured default, or what the client asked for in `x-request-budget-ms`, capped — and hands what is left to each
 * subgraph fetch in the same header. A subgraph takes the header from the gateway only (every /graphql request must
 * carry the gateway's signature, and the gateway never forwards client headers to subgraphs), caps it again, and
 * derives each inner deadline from it, keeping a reserve to answer degraded.
 */

/** Milliseconds the request may still take; set by clients (gateway) and by the gateway (subgraphs). */
export const REQUEST_BUDGET_HEADER = 'x-request-budget-ms';

export interface BudgetSettings {
  /** A request's budget when the client asks for none. */
  readonly defaultMs: number;
  /** The most a client may ask for; larger asks are capped. */
  readonly maxMs: number;
  /** Kept back at each subgraph to answer degraded (last known figures, errors) once the inner work is cut. */
  readonly reserveMs: number;
  /** The gateway waits this much longer than the budget it hands a subgraph, so the subgraph answers first. */
  readonly graceMs: number;
}

export const DEFAULT_BUDGET_SETTINGS: BudgetSettings = { defaultMs: 10_000, maxMs: 30_000, reserveMs: 300, graceMs: 1_000 };

/** The smallest budget a client may ask for: less cannot even reach a subgraph. */
export const MIN_BUDGET_MS = 100;

export interface RequestBudget {
  /** Epoch ms. */
  readonly deadlineAt: number;
  /** The budget this request started with. */
  readonly totalMs: number;
  remainingMs(): number;
}

export function startBudget(totalMs: number, now = Date.now()): RequestBudget {
  const deadlineAt = now + totalMs;
  return { deadlineAt, totalMs, remainingMs: () => Math.max(0, deadlineAt - Date.now()) };
}

export class InvalidBudgetHeader extends Error {
  override readonly name = 'InvalidBudgetHeader';
}

/**
 * The budget a client asked for: absent → the default; an integer number of milliseconds → clamped to
 * [MIN_BUDGET_MS, maxMs]; anything else → InvalidBudgetHeader (the gateway answers 400).
 */
export function requestedBudgetMs(header: string | string[] | undefined, settings: BudgetSettings): number {
  if (header === undefined) return settings.defaultMs;
  if (typeof header !== 'string' || !/^\d{1,9}$/.test(header.trim())) {
    throw new InvalidBudgetHeader(`${REQUEST_BUDGET_HEADER} must be a whole number of milliseconds`);
  }
  return Math.min(settings.maxMs, Math.max(MIN_BUDGET_MS, Number(header.trim())));
}

/**
 * The budget a subgraph received from the gateway: what was left when the fetch was sent, capped at the maximum
 * (plus the gateway's grace). A request without the header (the gateway's own probes) gets the default.
 */
export function receivedBudgetMs(header: string | string[] | undefined, settings: BudgetSettings): number {
  if (typeof header !== 'string' || !/^\d{1,9}$/.test(header.trim())) return settings.defaultMs;
  return Math.min(settings.maxMs + settings.graceMs, Number(header.trim()));
}
