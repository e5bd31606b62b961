/**
 * Turns whatever the `soap` package (and axios under it) throws into a registry error. The rules, in order:
 * our caller aborted → CALL_ABORTED; HTTP 429 → SUPPLIER_THROTTLED with Retry-After; a SOAP fault → by faultcode
 * (Client → SUPPLIER_REJECTED, Server → SUPPLIER_UNAVAILABLE); 401/403 → MISCONFIGURED; other 5xx and socket
 * failures → SUPPLIER_UNAVAILABLE; other 4xx → SUPPLIER_REJECTED; a 2xx body that is not a SOAP envelope →
 * CONTRACT_VIOLATION.
 *
 * What the supplier said travels in `details` for the operator log: HTTP status, fault code and fault text, the
 * socket error code — each text cut short and cleaned of our secrets (`redact`), since a supplier may echo a request.
 */
import { RegistryError, isRegistryError, type ErrorCode } from '../core/errors.ts';

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

/** The cause kept on our error, with the same redaction: `soap` puts the whole fault text in its own message. */
function redactedCause(error: unknown, secrets: readonly string[]): unknown {
  if (!(error instanceof Error)) return error;
  const copy = new Error(redactSupplierText(error.message, secrets, 2_000));
  copy.name = error.name;
  copy.stack = redactSupplierText(error.stack ?? '', secrets, 8_000);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  return copy;
}

export function toSoapRegistryError(
  error: unknown,
  context: { readonly supplier: string; readonly operation: string; readonly signal?: AbortSignal; readonly secrets?: readonly string[] },
): RegistryError {
  if (isRegistryError(error)) return error;
  const e = (error ?? {}) as SoapLikeError;
  const clean = (text: string) => redactSupplierText(text, context.secrets);
  const status = e.response?.status;
  const make = (code: ErrorCode, message: string, extra: { retryAfterMs?: number; details?: Record<string, unknown> } = {}) =>
    new RegistryError(code, `${context.supplier} ${context.operation}: ${clean(message)}`, {
      supplier: context.supplier,
      operation: context.operation,
      cause: redactedCause(error, context.secrets ?? []),
      ...extra,
      details: {
        supplier: context.supplier,
        ...(status === undefined ? {} : { httpStatus: status }),
        ...(e.code ? { networkError: e.code } : {}),
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
    const text = clean(typeof fault.faultstring === 'string' ? fault.faultstring : 'SOAP fault');
    const details = { faultcode: kind, faultstring: text };
    if (kind === 'Server') return make('SUPPLIER_UNAVAILABLE', `soap:Server fault: ${text}`, { details });
    return make('SUPPLIER_REJECTED', `soap:${kind || 'Client'} fault: ${text}`, { details });
  }
  if (status === 401 || status === 403) return make('MISCONFIGURED', `credentials refused (HTTP ${status})`);
  if (status !== undefined && status >= 500) return make('SUPPLIER_UNAVAILABLE', `HTTP ${status} without a SOAP fault`);
  if (status !== undefined && status >= 400) return make('SUPPLIER_REJECTED', `HTTP ${status} without a SOAP fault`);
  if (status !== undefined) return make('CONTRACT_VIOLATION', `unparseable answer (HTTP ${status}): ${e.message ?? 'not a SOAP envelope'}`);
  if (e.code === 'ETIMEDOUT' || e.code === 'ECONNABORTED') return make('SUPPLIER_TIMEOUT', `no answer in time: ${e.code}`);
  // No HTTP answer at all: refused, reset, hung up, DNS.
  return make('SUPPLIER_UNAVAILABLE', `no answer: ${e.code ?? e.message ?? 'connection failed'}`);
}
