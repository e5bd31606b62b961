/** Redis key of one supplier's cached live offer; shared by the supplier subgraphs (readers) and stock updates (invalidation). */
export const offerCacheKey = (supplier: string, supplierSku: string): string => `offer:${supplier}:${supplierSku}`;
