import { RegistryError, isRegistryError } from '../errors.ts';

/**
 * Runs `fn` with a signal that aborts when the caller's signal aborts or after `timeoutMs`, and settles as soon
 * as either happens, even if `fn` ignores its signal. Timeouts become SUPPLIER_TIMEOUT (transient); a caller's
 * abort becomes CALL_ABORTED.
 */
export async function withDeadline<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  opts: { readonly signal: AbortSignal; readonly timeoutMs: number; readonly supplier: string; readonly operation: string },
): Promise<T> {
  const timer = new AbortController();
  const handle = setTimeout(() => timer.abort(new Error('deadline')), opts.timeoutMs);
  const combined = AbortSignal.any([opts.signal, timer.signal]);
  const abortError = (): RegistryError =>
    opts.signal.aborted
      ? new RegistryError('CALL_ABORTED', `${opts.supplier} ${opts.operation} aborted by caller`, {
          supplier: opts.supplier,
          operation: opts.operation,
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
