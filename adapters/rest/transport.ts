/**
 * One HTTP exchange on Node's global fetch, with the caller's AbortSignal. Only transport failures are mapped
 * here (abort → CALL_ABORTED, connection errors → SUPPLIER_UNAVAILABLE); statuses are the caller's business.
 * The body is read bounded (docs/security.md, "Bounded reads"): a 2xx answer up to the caller's cap, past which it
 * is CONTRACT_VIOLATION `answer-too-large`; an error answer up to MAX_ERROR_ANSWER_BYTES, past which it is left
 * unread (`text` empty) — the status alone then decides the error.
 */
import { MAX_ERROR_ANSWER_BYTES, readCappedText } from '../core/answer-cap.ts';
import { RegistryError, isRegistryError } from '../../kernel/errors.ts';

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
  /** Largest 2xx body read, in bytes (the supplier's answer limit for `operation`). */
  readonly maxAnswerBytes: number;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  /** The body; empty for an error answer larger than MAX_ERROR_ANSWER_BYTES (left unread). */
  readonly text: string;
}

function transportError(exchange: HttpExchange, cause: unknown): RegistryError {
  // The outbound policy's own verdicts (refused URL, TLS pin mismatch) and the answer cap are ours: keep them.
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

const isAnswerTooLarge = (error: unknown): boolean => isRegistryError(error) && error.details?.['reason'] === 'answer-too-large';

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
  const ok = response.status >= 200 && response.status < 300;
  const cap = { supplier: request.supplier, operation: request.operation, label: request.label };
  try {
    // The body is read here: a connection cut mid-body is a transport failure, not a bad payload.
    const text = await readCappedText(response, ok ? request.maxAnswerBytes : MAX_ERROR_ANSWER_BYTES, cap);
    return { status: response.status, headers: response.headers, text };
  } catch (error) {
    // An error page too large to be worth reading: its status still says what happened.
    if (!ok && isAnswerTooLarge(error)) return { status: response.status, headers: response.headers, text: '' };
    throw transportError(request, error);
  }
}
