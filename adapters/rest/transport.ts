/**
 * One HTTP exchange on Node's global fetch, with the caller's AbortSignal. Only transport failures are mapped
 * here (abort → CALL_ABORTED, connection errors → SUPPLIER_UNAVAILABLE); statuses are the caller's business.
 */
import { RegistryError, isRegistryError } from '../core/errors.ts';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpExchange {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal: AbortSignal;
  readonly supplier: string;
  readonly operation: string;
  /** Safe description for messages: method and path, never the query or headers. */
  readonly label: string;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

function transportError(exchange: HttpExchange, cause: unknown): RegistryError {
  // The outbound policy's own verdicts (refused URL, TLS pin mismatch) are critical: keep them as they are.
  if (isRegistryError(cause)) return cause;
  const options = { supplier: exchange.supplier, operation: exchange.operation, cause };
  if (exchange.signal.aborted) return new RegistryError('CALL_ABORTED', `${exchange.supplier} ${exchange.label} aborted`, options);
  return new RegistryError('SUPPLIER_UNAVAILABLE', `${exchange.supplier} ${exchange.label} failed: ${describe(cause)}`, options);
}

/** undici hides the socket error under `cause`; name it so logs say "ECONNREFUSED", not "fetch failed". */
function describe(cause: unknown): string {
  const inner = (cause as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof inner?.code === 'string') return inner.code;
  if (typeof inner?.message === 'string') return inner.message;
  return cause instanceof Error ? cause.message : String(cause);
}

export async function exchange(request: HttpExchange, fetchImpl: FetchLike = fetch): Promise<HttpAnswer> {
  let response: Response;
  try {
    response = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: request.signal,
      // A redirect would re-send our Authorization header somewhere we did not choose: treat it as an answer.
      redirect: 'manual',
    });
  } catch (error) {
    throw transportError(request, error);
  }
  try {
    // The body is read in full here: a connection cut mid-body is a transport failure, not a bad payload.
    return { status: response.status, headers: response.headers, text: await response.text() };
  } catch (error) {
    throw transportError(request, error);
  }
}
