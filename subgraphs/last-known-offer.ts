/**
 * A supplier's answer for one SKU kept as the offer's last known value (`offer-last:<slug>:<supplierSku>`), written by
 * the supplier subgraphs' offer loader (live product pages) and by the sync's OfferRecorder (polls, snapshots,
 * reconciliation, webhook read-backs, the orders' stock refresher) — one shape, one ordering rule, defined here.
 *
 * Each entry carries `observedAt`: the moment we asked the supplier (epoch ms). Its answer describes the supplier at
 * some moment between asking and receiving, so the asking moment is the bound we can trust: an answer asked for after
 * another one was received is never older than it. Entries are written with Cache.setManyIfNewer on that field, so an
 * answer asked for earlier never replaces one asked for later — a poll whose slow answer lands after a product page's
 * live answer keeps its hands off it (docs/storefront.md "Prices"). The supplier's own `asOf` is no order: suppliers
 * stamp a stock figure with when stock last moved, not when the answer (or its cost) was read. Processes compare their
 * wall clocks: hosts keep NTP time, and a skew of milliseconds matters only to answers asked for that close together.
 */
import type { CallContext, SupplierConnector } from '../adapters/core/connector.ts';
import type { SupplierStock } from '../kernel/model.ts';
import { lastKnownOfferKey } from './offer-cache-key.ts';

/** The field of a cached offer its write order is read from (Cache.setManyIfNewer's `orderField`). */
export const OBSERVED_AT_FIELD = 'observedAt';

/** A cached offer: the supplier's figures, or "not listed"; `observedAt` on every entry written since it was added. */
export type CachedOffer = ({ readonly found: true; readonly stock: SupplierStock } | { readonly found: false }) & { readonly observedAt?: number };

/** Supplier answers with the moment they were asked for. */
export interface ObservedStock {
  readonly stock: SupplierStock[];
  /** Epoch ms, taken right before the call: every figure in `stock` describes the supplier at or after it. */
  readonly observedAt: number;
}

/** One getStock call, stamped with the moment it was made: what every writer of a last known offer reads through. */
export async function observeStock(connector: Pick<SupplierConnector, 'getStock'>, skus: readonly string[], ctx: CallContext): Promise<ObservedStock> {
  const observedAt = Date.now();
  return { stock: await connector.getStock(skus, ctx), observedAt };
}

/** The value cached for one SKU: its figures, or not listed when the supplier left it out of its answer. */
export function cachedOffer(stock: SupplierStock | undefined, observedAt: number): CachedOffer {
  return stock ? { found: true, stock, observedAt } : { found: false, observedAt };
}

/** A last known offer as a Cache.setManyIfNewer entry (key, JSON value, order). */
export function lastKnownOfferEntry(supplier: string, supplierSku: string, stock: SupplierStock | undefined, observedAt: number): readonly [string, string, number] {
  return [lastKnownOfferKey(supplier, supplierSku), JSON.stringify(cachedOffer(stock, observedAt)), observedAt];
}
