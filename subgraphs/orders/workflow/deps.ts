import type { SupplierConnector } from '../../../adapters/core/connector.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { CatalogStore } from '../../../platform/ports/catalog-store.ts';
import type { OrderRecord, OrderStore } from '../../../platform/ports/order-store.ts';
import type { StockReservations } from '../../../platform/ports/stock-reservations.ts';
import type { StockStore } from '../../../platform/ports/stock-store.ts';
import type { Kms } from '../../../platform/secrets/envelope.ts';
import type { RoutingPolicy } from '../routing.ts';

/** What the order workflow needs; built once per process (stack/start-stack.ts). */
export interface OrderDeps {
  readonly orders: OrderStore;
  readonly catalog: CatalogStore;
  readonly stock: StockStore;
  /** Stock holds (the inventory's reservation service, wired by stack/: orders never import inventory). */
  readonly reservations: StockReservations;
  readonly connectors: ReadonlyMap<string, SupplierConnector>;
  /** Seals customer personal data field by field. */
  readonly kms: Kms;
  readonly log: Logger;
  readonly policy: RoutingPolicy;
  readonly now: () => number;
  readonly newId: () => string;
  /** How long a sub-order's reservation holds before the sweeper may return it. */
  readonly reservationTtlMs: number;
  /** Deadline of one supplier submit; a timeout is retried with the same idempotency key. */
  readonly submitTimeoutMs: number;
  /**
   * The resume loop leaves an order alone until it has not changed for this long, so it does not race a run that
   * is still in progress in another process (harmless — every step is idempotent — but wasteful).
   */
  readonly resumeAfterMs: number;
  /** Submit attempts in one run before leaving the sub-order to the resume loop. */
  readonly submitAttempts: number;
  /**
   * How long `placeOrder` may take before it answers with the order as stored (pending sub-orders `submitting`)
   * while the supplier calls go on in the background, when the caller gives no budget of its own. Through the
   * gateway the request's budget decides instead (REQUEST_BUDGET_MS; docs/orders.md, "Orders within the budget").
   */
  readonly placementBudgetMs: number;
  /** Told after every stored change of an order's status (outbound webhooks). */
  readonly onStatusChange: (order: OrderRecord, previous: OrderRecord['status']) => void;
  /**
   * Test seam: called with each workflow step just before it is stored (`submitted:<subOrderId>`, …); a throw
   * simulates the process dying after the step's effect and before its record.
   */
  readonly beforeSave: (step: string, order: OrderRecord) => void | Promise<void>;
  /**
   * Reads these SKUs' stock from the supplier now and applies it through the inventory's one update path; true when
   * every SKU got a figure. Lets an accepted order of a supplier that allocates on accept leave `committed` only
   * once our on-hand reflects the allocation (docs/orders.md). Absent (or false, or a throw): those units stay
   * committed until shipment — the safe side. Wired in stack/orders.ts; the orders domain never reaches into
   * inventory internals.
   */
  readonly refreshStock?: (supplier: string, items: readonly { readonly sku: string; readonly supplierSku: string }[]) => Promise<boolean>;
}
