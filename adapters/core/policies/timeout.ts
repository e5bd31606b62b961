import { RegistryError, isRegistryError } from '../../../kernel/errors.ts';

/**
 * Request budgets (docs/architecture.md, "Data flow of a read"): a caller with a deadline hands its connector a
 * signal made here. The deadline travels with the signal (CallContext has only `signal`), so every policy inside
 * — retry, rate-limit wait, slot wait, attempt deadline — can ask how much time is left without another parameter.
 */
const deadlines = new WeakMap<AbortSignal, number>();

/** The reason a deadline signal aborts with: the time was spent, not a caller giving up (no last known value lost). */
export class BudgetSpent extends Error {
  override readonly name = 'BudgetSpent';
}

/**
 * A signal that aborts at `deadlineAt` (epoch ms) with a BudgetSpent reason, or earlier when `parent` aborts.
 * `timeLeftMs` knows its deadline.
 */
export function deadlineSignal(deadlineAt: number, parent?: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const left = deadlineAt - Date.now();
  const spent = () => controller.abort(new BudgetSpent(`the request's time budget ran out`));
  if (left <= 0) spent();
  else setTimeout(spent, left).unref?.();
  const signal = parent ? AbortSignal.any([parent, controller.signal]) : controller.signal;
  deadlines.set(signal, deadlineAt);
  return signal;
}

/** Milliseconds left before the signal's deadline; undefined for a signal without one. */
export function timeLeftMs(signal: AbortSignal): number | undefined {
  const at = deadlines.get(signal);
  return at === undefined ? undefined : Math.max(0, at - Date.now());
}

/** True when the signal aborted because its budget ran out (rather than because its caller gave up). */
export const budgetSpent = (signal: AbortSignal): boolean => signal.aborted && signal.reason instanceof BudgetSpent;

/**
 * Runs `fn` with a signal that aborts when the caller's signal aborts or after `timeoutMs`, and settles as soon
 * as either happens, even if `fn` ignores its signal. Timeouts become SUPPLIER_TIMEOUT (transient), and so does the
 * caller's budget running out (the supplier was too slow for the time left: a last known value may be served); a
 * caller's abort becomes CALL_ABORTED.
 */
export async function withDeadline<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  opts: { readonly signal: AbortSignal; readonly timeoutMs: number; readonly supplier: string; readonly operation: string },
): Promise<T> {
  const timer = new AbortController();
  const handle = setTimeout(() => timer.abort(new Error('deadline')), opts.timeoutMs);
  const combined = AbortSignal.any([opts.signal, timer.signal]);
  const abortError = (): RegistryError =>
    opts.signal.aborted && !budgetSpent(opts.signal)
      ? new RegistryError('CALL_ABORTED', `${opts.supplier} ${opts.operation} aborted by caller`, {
          supplier: opts.supplier,
          operation: opts.operation,
        })
      : budgetSpent(opts.signal)
        ? new RegistryError('SUPPLIER_TIMEOUT', `${opts.supplier} ${opts.operation} did not answer within the request's time budget`, {
            supplier: opts.supplier,
            operation: opts.operation,
            details: { budgetSpent: true },
          })
        : new RegistryError('SUPPLIER_TIMEOUT', `${opts.supplier} ${opts.operation} exceeded ${opts.timeoutMs} ms`, {
            supplier: opts.supplier,
            operation: opts.operation,
          });
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError());
    if (combined.aborted) onAbort();
    else combined.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([
      fn(combined).catch((error: unknown) => {
        // A transport that surfaces our abort as its own error is reported as the abort it was.
        if (combined.aborted && !(isRegistryError(error) && error.code !== 'CALL_ABORTED')) throw abortError();
        throw error;
      }),
      aborted,
    ]);
  } finally {
    clearTimeout(handle);
    if (onAbort) combined.removeEventListener('abort', onAbort);
  }
}
