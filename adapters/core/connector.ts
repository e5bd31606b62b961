import type { Logger } from '../../platform/logger.ts';
import type {
  CatalogPage,
  HealthReport,
  SupplierOrder,
  SupplierOrderAck,
  SupplierOrderRef,
  SupplierOrderStatus,
  SupplierStock,
} from '../../kernel/model.ts';

export type Protocol = 'rest' | 'soap' | 'graphql';
/**
 * order: placing and cancelling; interactive: a client's live read; tracking: status reads of open orders (polls and
 * webhook read-backs); sync: stock polling, reconciliation, catalog import. Each lane has a guaranteed share of the
 * supplier's budget (docs/traffic-control.md, "Lanes").
 */
export type Lane = 'order' | 'interactive' | 'tracking' | 'sync';

export interface CallContext {
  readonly signal: AbortSignal;
  readonly log: Logger;
  readonly requestId: string;
  /** Order traffic is served before sync traffic when a supplier's budget is short. */
  readonly lane: Lane;
}

/**
 * The one port every supplier implements. Connectors throw only registry errors (kernel/errors.ts).
 * Reads are idempotent and may be retried by policy; writes are idempotent only through the order's
 * `idempotencyKey`, which each connector sends as that supplier's natural key.
 */
export interface SupplierConnector {
  readonly supplier: string;
  readonly protocol: Protocol;
  /** Largest number of SKUs the supplier accepts in one stock call; callers batch to this. */
  readonly maxStockBatch: number;
  /**
   * Whether the supplier takes an order's units out of its on-hand figure once it has accepted the order (its
   * stock reads drop then, not at shipment). For such a supplier the accepted, not backordered units leave our
   * `committed` after a fresh stock read has been applied; otherwise they would be subtracted twice (docs/orders.md).
   * False is the safe side: units stay committed until shipment (we under-sell a little, never oversell).
   */
  readonly allocatesStockOnAccept: boolean;
  /**
   * Live stock for up to `maxStockBatch` supplier SKUs, in one supplier call (a connector may split a larger
   * list into `maxStockBatch`-sized calls). SKUs the supplier does not know are absent from the result.
   */
  getStock(supplierSkus: readonly string[], ctx: CallContext): Promise<SupplierStock[]>;
  /** One page of the supplier catalog; pass the previous page's `nextCursor`, or null to start. */
  listCatalog(cursor: string | null, ctx: CallContext): Promise<CatalogPage>;
  placeOrder(order: SupplierOrder, ctx: CallContext): Promise<SupplierOrderAck>;
  getOrderStatus(ref: SupplierOrderRef, ctx: CallContext): Promise<SupplierOrderStatus>;
  /**
   * Optional: the status of many orders in one supplier call, where its API has one (PromoStandards Order Status
   * `allOpen`). Keyed by `idempotencyKey`; refs absent from the map (closed at the supplier, or not in its answer)
   * are read one by one with `getOrderStatus`. Counted and rate-limited as one `getOrderStatus`.
   */
  getOrderStatuses?(refs: readonly SupplierOrderRef[], ctx: CallContext): Promise<ReadonlyMap<string, SupplierOrderStatus>>;
  cancelOrder(ref: SupplierOrderRef, ctx: CallContext): Promise<void>;
  /**
   * Optional, for suppliers whose webhooks name their own item ids rather than SKUs (maplecart's inventory item
   * ids): the supplier SKU of each id, read from the supplier. Ids it does not know (or without a SKU) are absent.
   * A read of the stock group, under the same traffic policies as every other call (no caching here: the caller
   * remembers answers, so a remembered id costs no tokens).
   */
  lookupItems?(itemIds: readonly string[], ctx: CallContext): Promise<ReadonlyMap<string, string>>;
  health(ctx: CallContext): Promise<HealthReport>;
  close(): Promise<void>;
}

/**
 * A supplier's service groups: each has its own circuit breaker and health (docs/traffic-control.md), so Product
 * Data failing does not block stock reads or order tracking. PromoStandards publishes them as separate services.
 */
export const SERVICE_GROUPS = ['catalog', 'stock', 'orders'] as const;
export type ServiceGroup = (typeof SERVICE_GROUPS)[number];

/**
 * Per operation: whether it is a read (the only ones retried blindly) and which service group it belongs to.
 * Declared, never guessed from names. `health` is the catalog group's: a supplier's health probe is a metadata call.
 */
export const CONNECTOR_OPERATIONS = {
  getStock: { kind: 'read', group: 'stock' },
  listCatalog: { kind: 'read', group: 'catalog' },
  getOrderStatus: { kind: 'read', group: 'orders' },
  health: { kind: 'read', group: 'catalog' },
  placeOrder: { kind: 'write', group: 'orders' },
  cancelOrder: { kind: 'write', group: 'orders' },
  // Optional (only suppliers whose webhooks carry item ids); declared so its buckets, breaker and retries are known.
  lookupItems: { kind: 'read', group: 'stock' },
} as const satisfies Record<Exclude<keyof SupplierConnector, 'supplier' | 'protocol' | 'maxStockBatch' | 'allocatesStockOnAccept' | 'close' | 'getOrderStatuses'>, { kind: 'read' | 'write'; group: ServiceGroup }>;

export type ConnectorOperation = keyof typeof CONNECTOR_OPERATIONS;

/** The service group an operation belongs to. */
export const groupOf = (operation: ConnectorOperation): ServiceGroup => CONNECTOR_OPERATIONS[operation].group;
