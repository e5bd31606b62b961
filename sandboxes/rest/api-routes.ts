/**
 * The Brightline v1 API routes. Each route names its operation (for stats) and answers one already-authorised
 * request; faults, auth and stats are the server's job (server.ts).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { apiError, type JsonAnswer } from './http.ts';
import type { Inventory } from './inventory.ts';
import type { OrderBook } from './orders.ts';
import { availabilityOf, catalogEntryOf, orderOf } from './representation.ts';

export const MAX_PARTS_PER_REQUEST = 50;
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

export interface ApiDeps {
  readonly inventory: Inventory;
  readonly orders: OrderBook;
  /** Records how many part numbers one availability request asked for. */
  readonly onStockBatch: (size: number) => void;
}

export interface ApiRoute {
  readonly operation: string;
  readonly handle: (url: URL, rawBody: string) => JsonAnswer;
}

function parseJson(rawBody: string): { ok: true; value: unknown } | { ok: false; answer: JsonAnswer } {
  try {
    return { ok: true, value: JSON.parse(rawBody) as unknown };
  } catch {
    return { ok: false, answer: apiError(400, 'INVALID_JSON', 'Request body is not valid JSON') };
  }
}

const fieldErrors = (error: z.ZodError) => error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));

const AvailabilityRequest = z.object({ partNumbers: z.array(z.string().min(1).max(64)).min(1) });

function availability(deps: ApiDeps, rawBody: string): JsonAnswer {
  const json = parseJson(rawBody);
  if (!json.ok) return json.answer;
  const asked = (json.value as { partNumbers?: unknown } | null)?.partNumbers;
  if (Array.isArray(asked)) deps.onStockBatch(asked.length);
  const parsed = AvailabilityRequest.safeParse(json.value);
  if (!parsed.success) return apiError(400, 'INVALID_REQUEST', 'partNumbers must be a non-empty array of strings', { fieldErrors: fieldErrors(parsed.error) });
  if (parsed.data.partNumbers.length > MAX_PARTS_PER_REQUEST) {
    return apiError(400, 'TOO_MANY_PARTS', `At most ${MAX_PARTS_PER_REQUEST} part numbers per request`, { limit: MAX_PARTS_PER_REQUEST });
  }
  const unique = [...new Set(parsed.data.partNumbers)];
  const results = [];
  const notFound: string[] = [];
  for (const partNumber of unique) {
    const item = deps.inventory.get(partNumber);
    if (item) results.push(availabilityOf(deps.inventory, item));
    else notFound.push(partNumber);
  }
  return { status: 200, body: { requestId: randomUUID(), timestamp: new Date().toISOString(), results, notFound } };
}

/** Page tokens are opaque to clients: base64url JSON of the next offset, versioned so the format can change. */
const encodePageToken = (offset: number): string => Buffer.from(JSON.stringify({ v: 1, o: offset })).toString('base64url');
function decodePageToken(token: string): number | null {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: unknown; o?: unknown };
    return decoded.v === 1 && Number.isInteger(decoded.o) && (decoded.o as number) >= 0 ? (decoded.o as number) : null;
  } catch {
    return null;
  }
}

function catalog(deps: ApiDeps, url: URL): JsonAnswer {
  const sizeParam = url.searchParams.get('pageSize');
  const pageSize = sizeParam === null ? DEFAULT_PAGE_SIZE : Number(sizeParam);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    return apiError(400, 'INVALID_PAGE_SIZE', `pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  const token = url.searchParams.get('pageToken');
  const offset = token === null || token === '' ? 0 : decodePageToken(token);
  if (offset === null) return apiError(400, 'INVALID_PAGE_TOKEN', 'pageToken is not a token this API issued');
  const items = deps.inventory.items.slice(offset, offset + pageSize);
  const next = offset + pageSize;
  return {
    status: 200,
    body: {
      items: items.map(catalogEntryOf),
      totalCount: deps.inventory.items.length,
      nextPageToken: next < deps.inventory.items.length ? encodePageToken(next) : null,
    },
  };
}

const optionalText = z.string().max(100).nullish().transform((v) => v ?? null);
const OrderRequest = z.object({
  customerOrderNumber: z.string().trim().min(1).max(40),
  shippingMethod: z.enum(['GROUND', 'TWO_DAY', 'OVERNIGHT']).default('GROUND'),
  shipTo: z.object({
    name: z.string().min(1).max(100),
    company: optionalText,
    address1: z.string().min(1).max(100),
    address2: optionalText,
    city: z.string().min(1).max(60),
    state: optionalText,
    postalCode: z.string().min(1).max(20),
    country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 country code'),
    phone: optionalText,
    email: optionalText,
  }),
  lines: z
    .array(z.object({ lineNumber: z.number().int().positive(), itemNumber: z.string().min(1), quantity: z.number().int().positive().max(100_000) }))
    .min(1)
    .max(200),
});

function createOrder(deps: ApiDeps, rawBody: string): JsonAnswer {
  const json = parseJson(rawBody);
  if (!json.ok) return json.answer;
  const parsed = OrderRequest.safeParse(json.value);
  if (!parsed.success) return apiError(400, 'INVALID_ORDER', 'The order failed validation', { fieldErrors: fieldErrors(parsed.error) });
  const input = parsed.data;
  const problems = input.lines.flatMap((line, i) => [
    ...(deps.inventory.get(line.itemNumber) ? [] : [{ field: `lines.${i}.itemNumber`, message: `Unknown item ${line.itemNumber}` }]),
    ...(input.lines.findIndex((l) => l.lineNumber === line.lineNumber) === i ? [] : [{ field: `lines.${i}.lineNumber`, message: 'Duplicate line number' }]),
  ]);
  if (problems.length > 0) return apiError(400, 'INVALID_ORDER', 'The order failed validation', { fieldErrors: problems });
  const { order, created } = deps.orders.create(input);
  if (!created) {
    // The customer order number is the idempotency key: a repeat never books a second order.
    return apiError(409, 'DUPLICATE_CUSTOMER_ORDER_NUMBER', `Customer order number already used by order ${order.orderId}`, { orderId: order.orderId });
  }
  return { status: 201, body: orderOf(order), headers: { location: `/v1/orders/${order.orderId}` } };
}

function findOrder(deps: ApiDeps, url: URL): JsonAnswer {
  const number = url.searchParams.get('customerOrderNumber');
  if (!number) return apiError(400, 'INVALID_REQUEST', 'customerOrderNumber is required');
  const order = deps.orders.byCustomerOrderNumber(number);
  return order ? { status: 200, body: orderOf(order) } : apiError(404, 'ORDER_NOT_FOUND', 'No order with this customer order number');
}

function getOrder(deps: ApiDeps, orderId: string): JsonAnswer {
  const order = deps.orders.byId(orderId);
  return order ? { status: 200, body: orderOf(order) } : apiError(404, 'ORDER_NOT_FOUND', `No order ${orderId}`);
}

function cancelOrder(deps: ApiDeps, orderId: string): JsonAnswer {
  const order = deps.orders.byId(orderId);
  if (!order) return apiError(404, 'ORDER_NOT_FOUND', `No order ${orderId}`);
  if (deps.orders.cancel(order) === 'not_cancellable') {
    return apiError(409, 'ORDER_NOT_CANCELLABLE', `Order ${orderId} is ${order.status} and can no longer be cancelled`, { status: order.status });
  }
  return { status: 200, body: orderOf(order) };
}

/** Finds the route for a request, or null for an unknown path or method. */
export function matchApiRoute(deps: ApiDeps, method: string, pathname: string): ApiRoute | null {
  const orderPath = /^\/v1\/orders\/([A-Za-z0-9_-]+)(\/cancel)?$/.exec(pathname);
  if (method === 'POST' && pathname === '/v1/availability') return { operation: 'availability', handle: (_, body) => availability(deps, body) };
  if (method === 'GET' && pathname === '/v1/catalog') return { operation: 'catalog', handle: (url) => catalog(deps, url) };
  if (method === 'POST' && pathname === '/v1/orders') return { operation: 'orders.create', handle: (_, body) => createOrder(deps, body) };
  if (method === 'GET' && pathname === '/v1/orders') return { operation: 'orders.find', handle: (url) => findOrder(deps, url) };
  if (method === 'GET' && pathname === '/v1/health') {
    return { operation: 'health', handle: () => ({ status: 200, body: { status: 'UP', time: new Date().toISOString() } }) };
  }
  if (orderPath && method === 'GET' && !orderPath[2]) return { operation: 'orders.get', handle: () => getOrder(deps, orderPath[1]!) };
  if (orderPath && method === 'POST' && orderPath[2]) return { operation: 'orders.cancel', handle: () => cancelOrder(deps, orderPath[1]!) };
  return null;
}
