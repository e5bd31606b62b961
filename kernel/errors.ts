/**
 * The one error registry: every code a client (or a supplier posting a webhook) can see, with its class, HTTP
 * status, meaning and whether it is a refusal (docs/errors.md lists them all; test/schema/error-docs.test.ts and
 * test/schema/error-codes-in-source.test.ts hold the code to it). Every error a connector, store or resolver raises
 * on purpose is a `RegistryError` with a code from this table; the gateway's and the HTTP handlers' own answers
 * name their code from it too (`CODE.FORBIDDEN`). The class decides what happens next:
 * - transient: worth retrying with backoff, but only for idempotent calls;
 * - logical:   the caller's request cannot succeed as is; reaches the client with its code;
 * - critical:  something is broken on our side or the supplier's; masked to the client, logged, trips breakers.
 */
export type ErrorClass = 'transient' | 'logical' | 'critical';

/**
 * Who answers with the code: `service` — raised as a RegistryError by a connector, store or resolver; `access` —
 * the gateway's authentication, authorisation and operation limits; `gateway` — the gateway's own field errors and
 * subscription limits; `protocol` — GraphQL over HTTP (Apollo Server's codes and our HTTP handlers'); `webhook` —
 * the webhook intake's answers to a supplier.
 */
export type ErrorOrigin = 'service' | 'access' | 'gateway' | 'protocol' | 'webhook';

interface ErrorDefinition {
  readonly errorClass: ErrorClass;
  /**
   * The HTTP status this code means when it is the only error of a response (docs/errors.md). Field errors in a
   * partial GraphQL answer leave the response at 200; a request refused as a whole uses this status.
   */
  readonly httpStatus: number;
  readonly description: string;
  /**
   * A refusal is a definite "no" to the request as sent: it was understood, nothing was done, and sending it again
   * unchanged gets the same answer — the caller has to change the request (or its credential). Not a failure of ours
   * or a supplier's: it is never retried, never trips a breaker, and the order workflow re-routes a line a supplier
   * refused. Transient and critical codes are never refusals; a logical code that is a protocol step (APQ's
   * PERSISTED_QUERY_NOT_FOUND) is not one either.
   */
  readonly refusal: boolean;
  readonly origin: ErrorOrigin;
}

const def = (origin: ErrorOrigin, errorClass: ErrorClass, httpStatus: number, refusal: boolean, description: string): ErrorDefinition => ({
  errorClass,
  httpStatus,
  description,
  refusal,
  origin,
});
const REFUSAL = true;
const NOT_REFUSAL = false;

export const ERRORS = {
  SUPPLIER_TIMEOUT: def('service', 'transient', 504, NOT_REFUSAL, 'Supplier did not answer before the deadline'),
  SUPPLIER_THROTTLED: def('service', 'transient', 503, NOT_REFUSAL, '429, THROTTLED or quota exhausted; honour Retry-After'),
  SUPPLIER_UNAVAILABLE: def('service', 'transient', 503, NOT_REFUSAL, 'Supplier unreachable or answered 5xx'),
  CALL_ABORTED: def('service', 'transient', 503, NOT_REFUSAL, 'The caller aborted the call before it finished'),
  // The two below are decided by our own traffic layer: the call was never sent to the supplier.
  SUPPLIER_CIRCUIT_OPEN: def('service', 'transient', 503, NOT_REFUSAL, "The supplier's circuit breaker is open; serve the last known value"),
  RATE_LIMITED_LOCALLY: def('service', 'transient', 503, NOT_REFUSAL, "No room in the supplier's budget before the call's deadline; honour retryAfterMs"),
  SUPPLIER_REJECTED: def('service', 'logical', 422, REFUSAL, '4xx, SOAP Client fault or supplier GraphQL user error'),
  SUPPLIER_NOT_FOUND: def('service', 'logical', 404, REFUSAL, 'The supplier does not know the requested order or item'),
  ORDER_NOT_CANCELLABLE: def('service', 'logical', 409, REFUSAL, 'The supplier no longer allows cancelling this order'),
  INVALID_INPUT: def('service', 'logical', 400, REFUSAL, 'The request failed validation'),
  NOT_FOUND: def('service', 'logical', 404, REFUSAL, 'The requested record does not exist'),
  OUT_OF_STOCK: def('service', 'logical', 409, REFUSAL, 'Not enough available stock to reserve'),
  RESERVATION_NOT_HELD: def('service', 'logical', 409, REFUSAL, 'The reservation is no longer (or not yet) held: released, committed, expired or failed'),
  // A partner limited to some suppliers named another one (docs/security.md); nothing was written.
  SUPPLIER_NOT_ALLOWED: def('service', 'logical', 403, REFUSAL, 'The caller may not use this supplier'),
  CONTRACT_VIOLATION: def('service', 'critical', 502, NOT_REFUSAL, 'Supplier response does not match the mapped schema'),
  MISCONFIGURED: def('service', 'critical', 500, NOT_REFUSAL, 'Our credentials were refused, or configuration is invalid'),
  // Fails closed: the certificate a supplier presented is not one we pinned (docs/security.md). Never retried.
  TLS_PIN_MISMATCH: def('service', 'critical', 502, NOT_REFUSAL, "The supplier's TLS certificate does not match any pinned public key"),
  // A store (MongoDB, Redis) did not answer in time or is unreachable: the request failed fast instead of hanging.
  STORE_UNAVAILABLE: def('service', 'transient', 503, NOT_REFUSAL, 'A backing store (MongoDB, Redis) is unreachable or did not answer in time; retry later'),
  STORE_FAILURE: def('service', 'critical', 500, NOT_REFUSAL, 'A backing store (MongoDB, Redis) failed'),
  INTERNAL: def('service', 'critical', 500, NOT_REFUSAL, 'An unexpected failure inside the gateway'),

  // Access (gateway/auth/auth-errors.ts): decided before any subgraph runs (docs/security.md, "Access error codes").
  UNAUTHENTICATED: def('access', 'logical', 401, REFUSAL, 'No credential, or a refused one (`reason` says which)'),
  AUTHENTICATION_UNAVAILABLE: def('access', 'transient', 503, NOT_REFUSAL, "The identity provider's keys or the token store cannot be reached"),
  AUTHENTICATION_THROTTLED: def('access', 'transient', 429, NOT_REFUSAL, 'Too many failed authentications from this address or with this credential'),
  FORBIDDEN: def('access', 'logical', 403, REFUSAL, 'A scope is missing, or the record belongs to another tenant'),
  RATE_LIMITED: def('access', 'transient', 429, NOT_REFUSAL, "The tenant's request rate is used up; honour retryAfterMs"),
  OPERATION_LIMIT_EXCEEDED: def('access', 'logical', 400, REFUSAL, 'Depth, aliases, root fields or cost over the limit'),
  VARIABLES_TOO_LARGE: def('access', 'logical', 413, REFUSAL, 'The variables are over the size limit'),
  INTROSPECTION_DISABLED: def('access', 'logical', 403, REFUSAL, 'Introspection is not available to partner tokens'),
  PERSISTED_OPERATION_REQUIRED: def('access', 'logical', 403, REFUSAL, "A partner sent an operation outside the safelist"),

  // The gateway's own: a subgraph's part of the answer is missing (field errors, the response stays 200).
  SUBGRAPH_TIMEOUT: def('gateway', 'transient', 200, NOT_REFUSAL, 'A subgraph did not answer within the request budget plus grace'),
  SUBGRAPH_UNREACHABLE: def('gateway', 'transient', 200, NOT_REFUSAL, 'The connection to a subgraph failed outright'),
  // Sent over WebSocket as the subscribe's `error`; the status is what it would be over HTTP.
  TOO_MANY_SUBSCRIPTIONS: def('gateway', 'logical', 400, REFUSAL, 'At most the configured number of subscriptions per connection'),
  // Adaptive admission (platform/http/admission-gate.ts): the operation never started; nothing was done.
  GATEWAY_SATURATED: def('gateway', 'transient', 503, NOT_REFUSAL, "The gateway's CPU is saturated and the operation waited half its budget for its turn; retry after Retry-After"),

  // GraphQL over HTTP: Apollo Server's codes and our HTTP handlers' refusals.
  GRAPHQL_PARSE_FAILED: def('protocol', 'logical', 400, REFUSAL, 'The document does not parse'),
  GRAPHQL_VALIDATION_FAILED: def('protocol', 'logical', 400, REFUSAL, 'The document does not validate against the schema'),
  BAD_USER_INPUT: def('protocol', 'logical', 400, REFUSAL, 'A variable or argument does not fit its type or range'),
  OPERATION_RESOLUTION_FAILURE: def('protocol', 'logical', 400, REFUSAL, 'operationName names no operation of the document'),
  BAD_REQUEST: def('protocol', 'logical', 400, REFUSAL, 'Not a GraphQL request we serve (no query, not JSON, a batch, a wrong method)'),
  // Automatic Persisted Queries use these two as a protocol step, not as a refusal: the client sends the query next.
  PERSISTED_QUERY_NOT_FOUND: def('protocol', 'logical', 200, NOT_REFUSAL, 'An APQ hash the server does not know yet'),
  PERSISTED_QUERY_NOT_SUPPORTED: def('protocol', 'logical', 200, NOT_REFUSAL, 'APQ sent to a server with it turned off'),
  PAYLOAD_TOO_LARGE: def('protocol', 'logical', 413, REFUSAL, 'A body over the size limit'),
  UNSUPPORTED_MEDIA_TYPE: def('protocol', 'logical', 415, REFUSAL, 'A POST that is not application/json'),
  METHOD_NOT_ALLOWED: def('protocol', 'logical', 405, REFUSAL, 'An HTTP method the endpoint does not take'),
  INTERNAL_SERVER_ERROR: def('protocol', 'critical', 500, NOT_REFUSAL, 'An unexpected failure before execution'),

  // The webhook intake's answers to a supplier (docs/inventory-sync.md, "Answers"); suppliers retry every non-2xx.
  INVALID_SIGNATURE: def('webhook', 'logical', 401, REFUSAL, 'A delivery without a valid signature'),
  STALE_TIMESTAMP: def('webhook', 'logical', 401, REFUSAL, 'A genuine signature with a timestamp outside the replay window'),
  MALFORMED_PAYLOAD: def('webhook', 'logical', 400, REFUSAL, 'Not JSON, not the event schema, or no delivery id'),
  UNKNOWN_SUPPLIER: def('webhook', 'logical', 404, REFUSAL, 'No webhooks are received for this supplier'),
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERRORS;

/** Each code by name, for the answers built outside a RegistryError: `extensions: { code: CODE.FORBIDDEN }`. */
export const CODE: { readonly [K in ErrorCode]: K } = Object.freeze(Object.fromEntries(Object.keys(ERRORS).map((k) => [k, k]))) as {
  readonly [K in ErrorCode]: K;
};

/** Whether a code is in the registry (a string from the wire, a test, a log). */
export const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && Object.hasOwn(ERRORS, code);

/** Whether an error code is a refusal (ERRORS[code].refusal); unknown codes are not. */
export const isRefusalCode = (code: unknown): boolean => isErrorCode(code) && ERRORS[code].refusal;

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
