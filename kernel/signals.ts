/**
 * What a supplier's delivery says, in canonical terms: the signals a webhook scheme (adapters/core/webhook.ts) reads
 * out of a delivery, the webhook inbox (platform/ports/webhook-inbox.ts) stores and the ingest and order triggers
 * act on. Types only, at the bottom, so the store ports can name them without importing an adapter.
 */

/**
 * What a delivery says about stock, in canonical terms.
 * - `figure`: the supplier's full sellable figure for one of its SKUs, with its own timestamp.
 * - `changed`: only that an item changed (e.g. one location of several, keyed by the supplier's internal item
 *   id): the ingest resolves `itemRef` to a supplier SKU and reads the figure back from the supplier.
 */
export type StockSignal =
  | { readonly kind: 'figure'; readonly supplierSku: string; readonly available: number; readonly asOf: string }
  | { readonly kind: 'changed'; readonly itemRef: string; readonly asOf: string };

/**
 * A delivery says a supplier order changed (status, fulfilment). Only a trigger: the orders side reads the order's
 * status back through the connector and moves it along its status machine, so a forged-then-replayed, duplicated
 * or out-of-order delivery can never set a status by itself. At least one of the two keys is present.
 */
export interface OrderSignal {
  /** The supplier's own order id, as our connector reports it (`SupplierOrderStatus.supplierOrderId`). */
  readonly supplierOrderId: string | null;
  /** Our reference on the supplier order (the sub-order's idempotency key), when the payload carries it. */
  readonly reference: string | null;
}
