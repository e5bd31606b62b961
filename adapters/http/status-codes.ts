/**
 * The one table from a supplier's HTTP status to a registry code, for all three protocols (docs/errors.md,
 * "Supplier HTTP statuses"). A protocol reads what it understands first — a SOAP fault, GraphQL errors in a 200 —
 * and comes here for the status of an answer it cannot read otherwise.
 *
 * The one row that depends on the protocol is 404, and it depends on what the URL names:
 * - `resource` (REST): the URL names the record (`/orders/{id}`), so 404 is the supplier saying it does not know
 *   it — SUPPLIER_NOT_FOUND, a logical answer for the client;
 * - `endpoint` (GraphQL, SOAP): every operation goes to the one URL in our configuration, so 404 means that URL is
 *   wrong (shop, API version, service path) — MISCONFIGURED: critical, masked, trips the breaker. A GraphQL or SOAP
 *   supplier says "not found" inside a readable answer (a NOT_FOUND error code, a fault), never with a 404.
 */
import type { ErrorCode } from '../../kernel/errors.ts';

/** What the request URL names: one record (REST) or the service's one endpoint (GraphQL, SOAP). */
export type HttpTarget = 'resource' | 'endpoint';

export function codeForHttpStatus(status: number, target: HttpTarget): ErrorCode {
  if (status === 429) return 'SUPPLIER_THROTTLED';
  if (status >= 500 && status <= 599) return 'SUPPLIER_UNAVAILABLE';
  // Our credentials were refused: nothing the client can change, and every call after it fails the same way.
  if (status === 401 || status === 403) return 'MISCONFIGURED';
  if (status === 404) return target === 'resource' ? 'SUPPLIER_NOT_FOUND' : 'MISCONFIGURED';
  if (status >= 400 && status <= 499) return 'SUPPLIER_REJECTED';
  // 1xx, a 3xx we do not follow (it would carry our credentials elsewhere), a 2xx the caller could not read,
  // or a number outside HTTP: not the answer the supplier's contract promises.
  return 'CONTRACT_VIOLATION';
}
