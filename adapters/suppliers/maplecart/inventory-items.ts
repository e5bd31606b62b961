/**
 * Resolves maplecart inventory item ids (what its inventory webhooks carry) to SKUs (what our catalog maps).
 * An inventory item belongs to one variant for its whole life in Shopify, so answers are remembered for the
 * process's lifetime (bounded); only ids the shop does not know are asked again. One search of up to 50 ids per
 * call, costing 2 + 2 points per id, so steady-state ingest costs nothing here.
 */
import { z } from 'zod';
import type { CallContext } from '../../core/connector.ts';
import { createGraphqlClient, type FetchLike } from '../../graphql/index.ts';
import { SUPPLIER } from './connector.ts';

/** Shopify's search accepts at most this many terms of one field. */
export const MAX_IDS_PER_CALL = 50;

export const INVENTORY_ITEM_SKUS_QUERY = /* GraphQL */ `
  query MaplecartInventoryItemSkus($first: Int!, $query: String!) {
    productVariants(first: $first, query: $query) {
      nodes { sku inventoryItem { id } }
    }
  }
`;

const dataSchema = z.object({
  productVariants: z.object({
    nodes: z.array(z.object({ sku: z.string().nullable(), inventoryItem: z.object({ id: z.string() }) })),
  }),
});

export interface InventoryItemResolverOptions {
  /** Shop base URL, as for the connector. */
  readonly baseUrl: string;
  readonly accessToken: string;
  /** @default '2025-01' */
  readonly apiVersion?: string;
  /** Deadline of one call. @default 10000 */
  readonly timeoutMs?: number;
  /** Most ids remembered; the oldest are forgotten first. @default 100000 */
  readonly maxRemembered?: number;
  /** @default global fetch */
  readonly fetch?: FetchLike;
}

export interface InventoryItemResolver {
  /** SKU per id; ids the shop does not know (or variants without a SKU) are absent. */
  skusOf(itemRefs: readonly string[], ctx: CallContext): Promise<Map<string, string>>;
}

/** The numeric id at the end of a gid (`gid://shopify/InventoryItem/46100000007` → `46100000007`). */
export const numericIdOf = (gid: string): string | undefined => /(\d+)$/.exec(gid)?.[1];

export function createInventoryItemResolver(options: InventoryItemResolverOptions): InventoryItemResolver {
  const client = createGraphqlClient({
    endpoint: `${options.baseUrl.replace(/\/+$/, '')}/admin/api/${options.apiVersion ?? '2025-01'}/graphql.json`,
    supplier: SUPPLIER,
    headers: { 'X-Shopify-Access-Token': options.accessToken },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const known = new Map<string, string>();
  const maxRemembered = options.maxRemembered ?? 100_000;

  const remember = (id: string, sku: string) => {
    if (known.size >= maxRemembered) known.delete(known.keys().next().value!);
    known.set(id, sku);
  };

  return {
    async skusOf(itemRefs, ctx) {
      const wanted = [...new Set(itemRefs.filter((id) => /^\d+$/.test(id)))];
      const missing = wanted.filter((id) => !known.has(id));
      for (let i = 0; i < missing.length; i += MAX_IDS_PER_CALL) {
        const batch = missing.slice(i, i + MAX_IDS_PER_CALL);
        const { data } = await client.request({
          query: INVENTORY_ITEM_SKUS_QUERY,
          operationName: 'MaplecartInventoryItemSkus',
          variables: { first: batch.length, query: batch.map((id) => `inventory_item_id:${id}`).join(' OR ') },
          schema: dataSchema,
          signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(options.timeoutMs ?? 10_000)]),
          operation: 'resolveInventoryItems',
          log: ctx.log,
        });
        const asked = new Set(batch);
        for (const node of data.productVariants.nodes) {
          const id = numericIdOf(node.inventoryItem.id);
          // Keep exact hits only: a search may match more loosely than asked.
          if (id !== undefined && asked.has(id) && node.sku) remember(id, node.sku);
        }
      }
      const out = new Map<string, string>();
      for (const id of wanted) {
        const sku = known.get(id);
        if (sku !== undefined) out.set(id, sku);
      }
      return out;
    },
  };
}
