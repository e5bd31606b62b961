/**
 * Turns whatever the `soap` package (and our http client under it) throws into a registry error. The rules, in
 * order: our caller aborted → CALL_ABORTED; HTTP 429 → SUPPLIER_THROTTLED with Retry-After; a SOAP fault → by
 * faultcode (Client → SUPPLIER_REJECTED, Server → SUPPLIER_UNAVAILABLE); 401/403 → MISCONFIGURED; other 5xx and
 * socket failures → SUPPLIER_UNAVAILABLE; other 4xx → SUPPLIER_REJECTED; a 2xx body that is not a SOAP envelope →
 * CONTRACT_VIOLATION.
 *
 * The message is ours only: supplier slug, operation and the kind of failure, never a word the supplier wrote (a
 * fault string may be a megabyte of markup). What the supplier said travels in `details` for the operator log —
 * HTTP status, fault code and fault text, the socket error code — cut out of our secrets first (`redact`: a
 * supplier may echo a request), then clipped and cleaned (`cleanSupplierText`).
 */
import { RegistryError, isRegistryError, type ErrorCode } from '../core/errors.ts';
import { cleanSupplierText, MAX_SUPPLIER_TEXT } from '../core/supplier-text.ts';

interface SoapLikeError {
  message?: string;
  code?: string;
  name?: string;
  response?: { status?: number; headers?: Record<string, unknown> };
  root?: { Envelope?: { Body?: { Fault?: { faultcode?: unknown; faultstring?: unknown } } } };
}

/** Retry-After as delta-seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: unknown, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
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
  if (status === 429) {
    const wait = retryAfterMs(e.response?.headers?.['retry-after']);
    return make('SUPPLIER_THROTTLED', 'throttled (HTTP 429)', wait === undefined ? {} : { retryAfterMs: wait });
  }
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
    if (kind === 'Server' || kind === 'Receiver') return make('SUPPLIER_UNAVAILABLE', named, { details });
    return make('SUPPLIER_REJECTED', named, { details });
  }
  if (status === 401 || status === 403) return make('MISCONFIGURED', `credentials refused (HTTP ${status})`);
  if (status !== undefined && status >= 500) return make('SUPPLIER_UNAVAILABLE', `HTTP ${status} without a SOAP fault`);
  if (status !== undefined && status >= 400) return make('SUPPLIER_REJECTED', `HTTP ${status} without a SOAP fault`);
  if (status !== undefined) return make('CONTRACT_VIOLATION', `unparseable answer (HTTP ${status}): not a SOAP envelope the WSDL describes`);
  if (networkError && /^(ETIMEDOUT|ECONNABORTED|UND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT)$/.test(networkError)) return make('SUPPLIER_TIMEOUT', 'no answer in time');
  // No HTTP answer at all: refused, reset, hung up, DNS. The socket error code is in details.networkError.
  return make('SUPPLIER_UNAVAILABLE', 'no answer (connection failed)');
}
