/** Redis key of one supplier's cached live offer; shared by the supplier subgraphs (readers) and stock updates (invalidation). */
export const offerCacheKey = (supplier: string, supplierSku: string): string => `offer:${supplier}:${supplierSku}`;

/**
 * The last answer the supplier gave for a SKU, kept much longer than the fresh entry: served, marked stale with its
 * age, only when the supplier cannot answer now (throttled, open circuit, down).
 */
export const lastKnownOfferKey = (supplier: string, supplierSku: string): string => `offer-last:${supplier}:${supplierSku}`;

/** How long the last known answer is kept: the offer loader's default and the sync's (subgraphs/inventory/offer-record.ts). */
export const LAST_KNOWN_OFFER_TTL_MS = 86_400_000;
