/**
 * Turns whatever the `soap` package (and our http client under it) throws into a registry error. The rules, in
 * order: our caller aborted → CALL_ABORTED; HTTP 429 → SUPPLIER_THROTTLED; a SOAP fault → by faultcode (Client →
 * SUPPLIER_REJECTED, Server → SUPPLIER_UNAVAILABLE); any other HTTP status by the shared table
 * (adapters/http/status-codes.ts) with the URL as the service's one endpoint (401/403/404 → MISCONFIGURED, 5xx →
 * SUPPLIER_UNAVAILABLE, other 4xx → SUPPLIER_REJECTED, a 2xx or 3xx body that is not a SOAP envelope →
 * CONTRACT_VIOLATION); socket failures → SUPPLIER_UNAVAILABLE (or SUPPLIER_TIMEOUT). A 429 or 503 carries the wait
 * its headers ask for (adapters/http/retry-after.ts), read in GMT like every HTTP-date.
 *
 * The message is ours only: supplier slug, operation and the kind of failure, never a word the supplier wrote (a
 * fault string may be a megabyte of markup). What the supplier said travels in `details` for the operator log —
 * HTTP status, fault code and fault text, the socket error code — cut out of our secrets first (`redact`: a
 * supplier may echo a request), then clipped and cleaned (`cleanSupplierText`).
 */
import { RegistryError, isRegistryError, type ErrorCode } from '../../kernel/errors.ts';
import { cleanSupplierText, MAX_SUPPLIER_TEXT } from '../core/supplier-text.ts';
import { waitForStatus } from '../http/retry-after.ts';
import { codeForHttpStatus } from '../http/status-codes.ts';

interface SoapLikeError {
  message?: string;
  code?: string;
  name?: string;
  response?: { status?: number; headers?: Record<string, unknown> };
  root?: { Envelope?: { Body?: { Fault?: { faultcode?: unknown; faultstring?: unknown } } } };
}

/** The local part of a SOAP 1.1 faultcode (soap:Client → Client; also dotted subcodes like Client.Auth). */
export function faultKind(faultcode: unknown): string {
  const text = typeof faultcode === 'string' ? faultcode : String((faultcode as { $value?: unknown })?.$value ?? '');
  return (text.split(':').pop() ?? '').split('.')[0] ?? '';
}

/** `<password>…</password>` in any namespace, as a supplier fault may echo our request. */
const PASSWORD_ELEMENT = /(<(?:[\w-]+:)?password>)[^<]*/gi;
const MAX_TEXT = 300;

/** A text for logs: without the given secrets or any password element, and short. */
export function redactSupplierText(text: string, secrets: readonly string[] = [], max = MAX_TEXT): string {
  let out = text.replace(PASSWORD_ELEMENT, '$1[redacted]');
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out.length > max ? `${out.slice(0, max)}…` : out;
}

/**
 * Supplier text for `details`: our secrets cut out, then clipped and cleaned. Only a bounded window of a long text
 * is redacted (linear in `max`, not in the supplier's length); when the window cut the text, its tail — where a
 * secret could have been cut in two — is dropped too.
 */
export function supplierTextForDetails(value: unknown, secrets: readonly string[] = [], max = MAX_SUPPLIER_TEXT): string | undefined {
  if (typeof value !== 'string') return cleanSupplierText(value, max);
  const longest = secrets.reduce((n, s) => Math.max(n, s.length), 0);
  const window = 2 * max + 2 * longest + 64;
  if (value.length <= window) return cleanSupplierText(redactSupplierText(value, secrets, Infinity), max);
  const redacted = redactSupplierText(value.slice(0, window), secrets, Infinity);
  const kept = cleanSupplierText(redacted.slice(0, Math.max(0, redacted.length - longest)), max);
  return kept === undefined ? undefined : kept.endsWith('…') ? kept : `${kept}…`;
}

/** The SOAP 1.1/1.2 fault kinds we name in a message; anything else a supplier writes is just "SOAP fault". */
const KNOWN_FAULT_KINDS = new Set(['Client', 'Server', 'VersionMismatch', 'MustUnderstand', 'Sender', 'Receiver']);

/**
 * The cause kept on our error, without supplier text: `soap` puts the whole fault text in its own message, and a
 * cause is logged. Keeps the error's name, code and stack frames (our code's, not the supplier's words).
 */
function sanitisedCause(error: unknown): unknown {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  const copy = new Error(`${error.name}${typeof code === 'string' ? ` ${cleanSupplierText(code, 40) ?? ''}` : ''} (message withheld: may carry supplier text)`);
  copy.name = error.name;
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 20);
  copy.stack = [`${copy.name}: ${copy.message}`, ...frames.map((f) => `    ${cleanSupplierText(f, 300) ?? ''}`)].join('\n');
  if (typeof code === 'string') Object.assign(copy, { code: cleanSupplierText(code, 40) });
  return copy;
}

export function toSoapRegistryError(
  error: unknown,
  context: {
    readonly supplier: string;
    readonly operation: string;
    readonly signal?: AbortSignal;
    readonly secrets?: readonly string[];
    /** Our own facts about the answer (why it was not parsed), added to details. */
    readonly details?: Readonly<Record<string, unknown>>;
  },
): RegistryError {
  if (isRegistryError(error)) return error;
  const e = (error ?? {}) as SoapLikeError;
  const secrets = context.secrets ?? [];
  const status = typeof e.response?.status === 'number' ? e.response.status : undefined;
  // undici's fetch throws TypeError('fetch failed') with the socket error as its cause.
  const socketCode = typeof e.code === 'string' ? e.code : (e as { cause?: { code?: unknown } }).cause?.code;
  const networkError = typeof socketCode === 'string' ? cleanSupplierText(socketCode, 40) : undefined;
  const cause = sanitisedCause(error);
  /** `message` is ours: a fixed phrase with our numbers, never supplier text. */
  const make = (code: ErrorCode, message: string, extra: { retryAfterMs?: number; details?: Record<string, unknown> } = {}) =>
    new RegistryError(code, `${context.supplier} ${context.operation}: ${message}`, {
      supplier: context.supplier,
      operation: context.operation,
      ...(cause === undefined ? {} : { cause }),
      ...extra,
      details: {
        supplier: context.supplier,
        ...(status === undefined ? {} : { httpStatus: status }),
        ...(networkError ? { networkError } : {}),
        ...context.details,
        ...extra.details,
      },
    });
  if (context.signal?.aborted || e.code === 'ERR_CANCELED' || e.name === 'CanceledError' || e.name === 'AbortError') {
    return make('CALL_ABORTED', 'aborted');
  }
  const wait = status === undefined ? undefined : waitForStatus(status, e.response?.headers ?? {});
  const waitExtra = wait === undefined ? {} : { retryAfterMs: wait };
  if (status === 429) return make('SUPPLIER_THROTTLED', 'throttled (HTTP 429)', waitExtra);
  const fault = e.root?.Envelope?.Body?.Fault;
  if (fault) {
    const kind = faultKind(fault.faultcode);
    const named = KNOWN_FAULT_KINDS.has(kind) ? `soap:${kind} fault` : 'SOAP fault';
    const rawString = typeof fault.faultstring === 'string' ? fault.faultstring : (fault.faultstring as { $value?: unknown } | undefined)?.$value;
    const details = {
      // The local part (Server, Client.Auth → Client), as the supplier wrote it, cleaned.
      faultcode: supplierTextForDetails(kind, secrets, 80),
      faultstring: supplierTextForDetails(rawString, secrets),
    };
    if (kind === 'Server' || kind === 'Receiver') return make('SUPPLIER_UNAVAILABLE', named, { ...waitExtra, details });
    return make('SUPPLIER_REJECTED', named, { details });
  }
  if (status !== undefined) {
    const code = codeForHttpStatus(status, 'endpoint');
    if (code === 'CONTRACT_VIOLATION') return make(code, `unparseable answer (HTTP ${status}): not a SOAP envelope the WSDL describes`);
    if (code === 'MISCONFIGURED') return make(code, status === 404 ? 'no such service at our endpoint (HTTP 404)' : `credentials refused (HTTP ${status})`);
    return make(code, `HTTP ${status} without a SOAP fault`, code === 'SUPPLIER_UNAVAILABLE' ? waitExtra : {});
  }
  if (networkError && /^(ETIMEDOUT|ECONNABORTED|UND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT)$/.test(networkError)) return make('SUPPLIER_TIMEOUT', 'no answer in time');
  // No HTTP answer at all: refused, reset, hung up, DNS. The socket error code is in details.networkError.
  return make('SUPPLIER_UNAVAILABLE', 'no answer (connection failed)');
}
