/** The `stock.changed` event: published once per accepted change of a (product, supplier) stock row. */
export const STOCK_CHANGED_TOPIC = 'stock.changed';

export type StockChangeSource = 'webhook' | 'poll' | 'reconcile' | 'reservation' | 'import';

export interface StockChangedEvent {
  readonly type: 'stock.changed';
  readonly sku: string;
  readonly supplier: string;
  readonly supplierSku: string;
  /** Sellable units before the change; null when this is the first figure we hold. */
  readonly oldAvailable: number | null;
  readonly newAvailable: number;
  readonly onHand: number;
  /** The stock row's version after the change. */
  readonly version: number;
  readonly source: StockChangeSource;
  /** When we accepted it (ISO 8601). */
  readonly at: string;
}
