import type { StockRecord } from '../../platform/ports/stock-store.ts';

/** A Product as the inventory subgraph sees it: only the key; stock and offers are resolved from it. */
export interface ProductRef {
  readonly sku: string;
}

/** Every supplier's canonical stock row for one product. */
export type StockRows = readonly StockRecord[];
