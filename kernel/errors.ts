/**
 * The one error registry. Every error a connector, store or resolver raises on purpose is a
 * `RegistryError` with a code from this table; the class decides what happens next:
 * - transient: worth retrying with backoff, but only for idempotent calls;
 * - logical:   the caller's request cannot succeed as is; reaches the client with its code;
 * - critical:  something is broken on our side or the supplier's; masked to the client, logged, trips breakers.
 */
export type ErrorClass = 'transient' | 'logical' | 'critical';

interface ErrorDefinition {
  readonly errorClass: ErrorClass;
  /**
   * The HTTP status this code means when it is the only error of a response (docs/errors.md). Field errors in a
   * partial GraphQL answer leave the response at 200; a request refused as a whole uses this status.
   */
  readonly httpStatus: number;
  readonly description: string;
}

const def = (errorClass: ErrorClass, httpStatus: number, description: string): ErrorDefinition => ({ errorClass, httpStatus, description });

export const ERRORS = {
  SUPPLIER_TIMEOUT: def('transient', 504, 'Supplier did not answer before the deadline'),
  SUPPLIER_THROTTLED: def('transient', 503, '429, THROTTLED or quota exhausted; honour Retry-After'),
  SUPPLIER_UNAVAILABLE: def('transient', 503, 'Supplier unreachable or answered 5xx'),
  CALL_ABORTED: def('transient', 503, 'The caller aborted the call before it finished'),
  // The two below are decided by our own traffic layer: the call was never sent to the supplier.
  SUPPLIER_CIRCUIT_OPEN: def('transient', 503, "The supplier's circuit breaker is open; serve the last known value"),
  RATE_LIMITED_LOCALLY: def('transient', 503, "No room in the supplier's budget before the call's deadline; honour retryAfterMs"),
  SUPPLIER_REJECTED: def('logical', 422, '4xx, SOAP Client fault or supplier GraphQL user error'),
  SUPPLIER_NOT_FOUND: def('logical', 404, 'The supplier does not know the requested order or item'),
  ORDER_NOT_CANCELLABLE: def('logical', 409, 'The supplier no longer allows cancelling this order'),
  INVALID_INPUT: def('logical', 400, 'The request failed validation'),
  NOT_FOUND: def('logical', 404, 'The requested record does not exist'),
  OUT_OF_STOCK: def('logical', 409, 'Not enough available stock to reserve'),
  RESERVATION_NOT_HELD: def('logical', 409, 'The reservation is no longer (or not yet) held: released, committed, expired or failed'),
  // A partner limited to some suppliers named another one (docs/security.md); nothing was written.
  SUPPLIER_NOT_ALLOWED: def('logical', 403, 'The caller may not use this supplier'),
  CONTRACT_VIOLATION: def('critical', 502, 'Supplier response does not match the mapped schema'),
  MISCONFIGURED: def('critical', 500, 'Our credentials were refused, or configuration is invalid'),
  // Fails closed: the certificate a supplier presented is not one we pinned (docs/security.md). Never retried.
  TLS_PIN_MISMATCH: def('critical', 502, "The supplier's TLS certificate does not match any pinned public key"),
  // A store (MongoDB, Redis) did not answer in time or is unreachable: the request failed fast instead of hanging.
  STORE_UNAVAILABLE: def('transient', 503, 'A backing store (MongoDB, Redis) is unreachable or did not answer in time; retry later'),
  STORE_FAILURE: def('critical', 500, 'A backing store (MongoDB, Redis) failed'),
  INTERNAL: def('critical', 500, 'An unexpected failure inside the gateway'),
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERRORS;

export interface RegistryErrorOptions {
  readonly supplier?: string;
  readonly operation?: string;
  /** Set for SUPPLIER_THROTTLED when the supplier said how long to wait. */
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
  /** Safe, non-secret facts for logs and (for logical errors) clients. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  readonly code: ErrorCode;
  readonly errorClass: ErrorClass;
  readonly supplier: string | undefined;
  readonly operation: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options: RegistryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.errorClass = ERRORS[code].errorClass;
    this.supplier = options.supplier;
    this.operation = options.operation;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
  }
}

export const registryError = (code: ErrorCode, message: string, options?: RegistryErrorOptions): RegistryError =>
  new RegistryError(code, message, options);

/** Duck-typed on purpose: errors cross module copies and worker boundaries where `instanceof` lies. */
export function isRegistryError(value: unknown): value is RegistryError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'RegistryError' &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code in ERRORS
  );
}

/** Anything that is not already a registry error is an internal (critical) failure. */
export function toRegistryError(value: unknown, options: RegistryErrorOptions = {}): RegistryError {
  if (isRegistryError(value)) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new RegistryError('INTERNAL', message, { ...options, cause: value });
}
