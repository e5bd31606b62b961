/**
 * maplecart inventory item ids (what its inventory webhooks carry) → SKUs (what our catalog maps).
 *
 * The supplier read is the connector's `lookupItems` (connector.ts): one search of up to 50 ids per call, costing
 * 2 + 2 points per id, on the connector's own GraphQL client, so it spends the shared cost bucket and is refused by
 * an open stock breaker like any other maplecart call. An inventory item belongs to one variant for its whole life
 * in Shopify, so `createInventoryItemResolver` remembers answers for the process's lifetime (bounded) in front of
 * the connector; only ids the shop does not know are asked again, and steady-state ingest costs nothing.
 */
import { z } from 'zod';
import type { CallContext, SupplierConnector } from '../../core/connector.ts';
import { SUPPLIER_RANGES, checkIdentifier, type RangeSource } from '../../core/supplier-ranges.ts';

const SOURCE: RangeSource = { supplier: 'maplecart', label: 'maplecart' };

/** Shopify's search accepts at most this many terms of one field. */
export const MAX_IDS_PER_CALL = 50;

export const INVENTORY_ITEM_SKUS_QUERY = /* GraphQL */ `
  query MaplecartInventoryItemSkus($first: Int!, $query: String!) {
    productVariants(first: $first, query: $query) {
      nodes { sku inventoryItem { id } }
    }
  }
`;

export const inventoryItemSkusDataSchema = z.object({
  productVariants: z.object({
    nodes: z.array(z.object({ sku: z.string().nullable(), inventoryItem: z.object({ id: z.string() }) })),
  }),
});
export type InventoryItemSkusData = z.infer<typeof inventoryItemSkusDataSchema>;

/** Only numeric ids are ever put in a search: anything else could widen the query, and the shop has no such item. */
export const isItemId = (id: string): boolean => id.length <= SUPPLIER_RANGES.maxIdentifierChars && /^\d+$/.test(id);

/** The search for one batch of ids (at most MAX_IDS_PER_CALL). */
export const inventoryItemSearch = (batch: readonly string[]) => ({
  first: batch.length,
  query: batch.map((id) => `inventory_item_id:${id}`).join(' OR '),
});

/**
 * The numeric id at the end of a gid (`gid://shopify/InventoryItem/46100000007` → `46100000007`). One pass back
 * from the end, on a length-bounded gid: the former `/(\d+)$/` retried from every digit of a long digit run
 * followed by a non-digit, quadratic in the supplier's text (3 s for 100,000 digits).
 */
export function numericIdOf(gid: string): string | undefined {
  if (gid.length > SUPPLIER_RANGES.maxIdentifierChars) return undefined;
  let start = gid.length;
  while (start > 0 && gid.charCodeAt(start - 1) >= 48 && gid.charCodeAt(start - 1) <= 57) start--;
  return start === gid.length ? undefined : gid.slice(start);
}

/** SKU per asked id from one search answer; exact hits only (a search may match more loosely than asked). */
export function skusOfItems(data: InventoryItemSkusData, asked: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  data.productVariants.nodes.forEach((node, i) => {
    const id = numericIdOf(node.inventoryItem.id);
    if (id !== undefined && asked.has(id) && node.sku) out.set(id, checkIdentifier(node.sku, SOURCE, `productVariants.nodes[${i}].sku`));
  });
  return out;
}

export interface InventoryItemResolverOptions {
  /** The supplier connector, already behind maplecart's traffic policies; it must implement `lookupItems`. */
  readonly connector: Pick<SupplierConnector, 'supplier' | 'lookupItems'>;
  /** Most ids remembered; the oldest are forgotten first. @default 100000 */
  readonly maxRemembered?: number;
}

export interface InventoryItemResolver {
  /** SKU per id; ids the shop does not know (or variants without a SKU) are absent. */
  skusOf(itemRefs: readonly string[], ctx: CallContext): Promise<Map<string, string>>;
}

export function createInventoryItemResolver(options: InventoryItemResolverOptions): InventoryItemResolver {
  const { connector } = options;
  if (!connector.lookupItems) throw new Error(`${connector.supplier}: the connector has no lookupItems operation`);
  const lookupItems = connector.lookupItems.bind(connector);
  const known = new Map<string, string>();
  const maxRemembered = options.maxRemembered ?? 100_000;

  const remember = (id: string, sku: string) => {
    if (known.size >= maxRemembered) known.delete(known.keys().next().value!);
    known.set(id, sku);
  };

  return {
    async skusOf(itemRefs, ctx) {
      const wanted = [...new Set(itemRefs.filter(isItemId))];
      const missing = wanted.filter((id) => !known.has(id));
      if (missing.length > 0) for (const [id, sku] of await lookupItems(missing, ctx)) remember(id, sku);
      const out = new Map<string, string>();
      for (const id of wanted) {
        const sku = known.get(id);
        if (sku !== undefined) out.set(id, sku);
      }
      return out;
    },
  };
}
