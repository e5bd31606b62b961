/**
 * The events subscriptions are told about, as they arrive from the event bus (JSON from another process, so
 * checked here, not trusted). The gateway imports no subgraph code: these are the wire shapes of
 * subgraphs/inventory/stock-events.ts (`stock.changed`) and of the orders workflow (`order.status_changed`).
 */
export const STOCK_TOPIC = 'stock.changed';
export const ORDER_TOPIC = 'order.status_changed';
/** `{ tokenId }`: an API token was revoked (published by the stack around the token store's revoke). */
export const TOKEN_REVOKED_TOPIC = 'token.revoked';

export interface StockEvent {
  readonly sku: string;
  readonly supplier: string;
  readonly oldAvailable: number | null;
  readonly newAvailable: number;
  readonly version: number;
  /** Upper case, as the GraphQL enum StockChangeSource. */
  readonly source: string;
  readonly at: string;
}

export interface OrderEvent {
  readonly tenant: string;
  readonly orderId: string;
  readonly status: string;
  readonly previousStatus: string | null;
  /** The order's version after the change (OrderRecord.version: one more with every stored change). */
  readonly version: number;
  readonly at: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === 'string' && v !== '';
const int = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** A `stock.changed` payload, or null when it is not one (dropped, never half-delivered). */
export function readStockEvent(payload: unknown): StockEvent | null {
  if (!isRecord(payload)) return null;
  const { sku, supplier, oldAvailable, newAvailable, version, source, at } = payload;
  if (!str(sku) || !str(supplier) || !int(newAvailable) || !int(version) || !str(source) || !str(at)) return null;
  if (oldAvailable !== null && oldAvailable !== undefined && !int(oldAvailable)) return null;
  return { sku, supplier, oldAvailable: oldAvailable ?? null, newAvailable, version, source: source.toUpperCase(), at };
}

/** An `order.status_changed` payload (`{ tenant, orderId, status, previousStatus?, version, at }`), or null. */
export function readOrderEvent(payload: unknown): OrderEvent | null {
  if (!isRecord(payload)) return null;
  const { tenant, orderId, status, previousStatus, version, at } = payload;
  if (!str(tenant) || !str(orderId) || !str(status) || !int(version) || !str(at)) return null;
  if (previousStatus !== null && previousStatus !== undefined && !str(previousStatus)) return null;
  // Canonical statuses are lower case (`shipped`); the GraphQL enum OrderStatus is upper case.
  return { tenant, orderId, status: status.toUpperCase(), previousStatus: previousStatus ? previousStatus.toUpperCase() : null, version, at };
}

/** The revoked token's id from a `token.revoked` payload, or null. */
export function readTokenRevoked(payload: unknown): string | null {
  return isRecord(payload) && str(payload['tokenId']) ? payload['tokenId'] : null;
}

/** `stockChanged` arguments, as given (null/absent = no filter). */
export interface StockFilter {
  readonly skus?: readonly string[] | null;
  readonly suppliers?: readonly string[] | null;
  readonly minChange?: number | null;
  readonly crossingZero?: boolean | null;
}

/**
 * Whether a subscriber with these arguments (and, for a partner limited to some suppliers, that list) hears this
 * change. A first figure (oldAvailable null) counts as a change from 0.
 */
export function stockEventMatches(event: StockEvent, filter: StockFilter, allowedSuppliers: readonly string[] | undefined): boolean {
  if (allowedSuppliers !== undefined && !allowedSuppliers.includes(event.supplier)) return false;
  if (filter.skus && !filter.skus.includes(event.sku)) return false;
  if (filter.suppliers && !filter.suppliers.includes(event.supplier)) return false;
  const before = event.oldAvailable ?? 0;
  if (filter.minChange != null && Math.abs(event.newAvailable - before) < filter.minChange) return false;
  if (filter.crossingZero && before > 0 === event.newAvailable > 0) return false;
  return true;
}

/** A subscriber hears only its own tenant's orders; with `orderId`, only that order. */
export function orderEventMatches(event: OrderEvent, tenant: string, orderId: string | null | undefined): boolean {
  return event.tenant === tenant && (orderId == null || orderId === event.orderId);
}
