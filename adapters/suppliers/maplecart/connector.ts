/**
 * maplecart: a Shopify-Admin-style GraphQL supplier. Stock by SKU search in batches of 50 (one ~160-point
 * call each: variant totals, no per-location levels), catalog by cursor,
 * orders through `orderCreate @idempotent(key:)` with our idempotency key also as `sourceIdentifier`, status
 * from `order`, cancellation through `orderCancel`, webhook inventory item ids to SKUs through `lookupItems`. Mapping lives in mapping.ts; wire mechanics in adapters/graphql.
 */
import type { CallContext, SupplierConnector } from '../../core/connector.ts';
import { RegistryError, isRegistryError } from '../../../kernel/errors.ts';
import { cleanSupplierText } from '../../core/supplier-text.ts';
import type { CatalogPage, HealthReport, SupplierOrder, SupplierOrderAck, SupplierOrderRef, SupplierStock } from '../../../kernel/model.ts';
import type { RetryPolicy } from '../../core/policies/retry.ts';
import { withCallPolicies, type CallPolicyOptions } from '../../core/policies/with-call-policies.ts';
import { createGraphqlClient, userErrorsError, type FetchLike, type GraphqlClientOptions, type GraphqlRequest, type ObservedThrottleStatus, type UserError } from '../../graphql/index.ts';
import {
  ARCHIVED_PROBE_SIZE,
  ARCHIVED_QUERY,
  CATALOG_QUERY,
  HEALTH_QUERY,
  ORDER_BY_ID_QUERY,
  ORDER_BY_SOURCE_QUERY,
  ORDER_CANCEL_MUTATION,
  ORDER_CREATE_MUTATION,
  ORDER_STATE_QUERY,
  STOCK_QUERY,
  archivedDataSchema,
  catalogDataSchema,
  healthDataSchema,
  idempotencyExtensionSchema,
  orderByIdDataSchema,
  orderBySourceDataSchema,
  orderCancelDataSchema,
  orderCreateDataSchema,
  orderStateDataSchema,
  stockDataSchema,
  type MaplecartOrder,
  type SkuPage,
} from './documents.ts';
import { INVENTORY_ITEM_SKUS_QUERY, MAX_IDS_PER_CALL, inventoryItemSearch, inventoryItemSkusDataSchema, isItemId, skusOfItems } from './inventory-items.ts';
import {
  archivedSkuSearchQuery,
  canonicalStatus,
  mapCatalogItem,
  mapOrderStatus,
  mapStock,
  orderCreateInput,
  rawStatusOf,
  skuSearchQuery,
  sourceIdentifierQuery,
} from './mapping.ts';

export const SUPPLIER = 'maplecart';
export const MAX_STOCK_BATCH = 50;

/** Call policies (deadline, retry, rate limit, breaker, concurrency, metrics) are applied once, here. */
export interface MaplecartConnectorOptions extends CallPolicyOptions {
  /** Shop base URL, e.g. https://maplecart.myshopify.com (the Admin API path is appended). */
  readonly baseUrl: string;
  /** Admin API access token, sent as X-Shopify-Access-Token. */
  readonly accessToken: string;
  /** Admin API version in the path. @default '2025-01' */
  readonly apiVersion?: string;
  /** Catalog page size; 50 costs 352 points a page (documents.ts CATALOG_QUERY). @default 50 */
  readonly catalogPageSize?: number;
  /**
   * Archived variants asked for in each stock read (2 + n points); a batch holding more costs one more call.
   * @default ARCHIVED_PROBE_SIZE (5)
   */
  readonly archivedProbeSize?: number;
  /** @default global fetch */
  readonly fetch?: FetchLike;
  /** Largest answer read per operation (suppliers file `maxAnswerBytes`). @default 8 MiB each */
  readonly answerLimits?: GraphqlClientOptions['answerLimits'];
}

/** The connector plus what a rate adapter needs: the supplier's last reported cost bucket. */
export interface MaplecartConnector extends SupplierConnector {
  throttleStatus(): ObservedThrottleStatus | null;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const skusOf = (page: SkuPage): string[] => page.nodes.flatMap((n) => (n.sku ? [n.sku] : []));

function createInner(options: MaplecartConnectorOptions, client: ReturnType<typeof createGraphqlClient>): SupplierConnector {
  const pageSize = options.catalogPageSize ?? 50;
  const archivedProbeSize = Math.max(1, options.archivedProbeSize ?? ARCHIVED_PROBE_SIZE);

  const call = <T>(operation: string, ctx: CallContext, request: Omit<GraphqlRequest<T>, 'signal' | 'operation' | 'log'>) =>
    client.request({ ...request, operation, signal: ctx.signal, log: ctx.log });

  const errorContext = (operation: string, operationName: string) => ({ supplier: SUPPLIER, operation, operationName });

  const notFound = (operation: string, ref: SupplierOrderRef): RegistryError =>
    new RegistryError('SUPPLIER_NOT_FOUND', `${SUPPLIER} has no order ${ref.supplierOrderId ?? `with source identifier ${ref.idempotencyKey}`}`, {
      supplier: SUPPLIER,
      operation,
    });

  async function findOrder(operation: string, ref: SupplierOrderRef, ctx: CallContext): Promise<MaplecartOrder | null> {
    if (ref.supplierOrderId) {
      const { data } = await call(operation, ctx, { query: ORDER_BY_ID_QUERY, operationName: 'MaplecartOrderById', variables: { id: ref.supplierOrderId }, schema: orderByIdDataSchema });
      return data.order;
    }
    const { data } = await call(operation, ctx, {
      query: ORDER_BY_SOURCE_QUERY,
      operationName: 'MaplecartOrderBySource',
      variables: { query: sourceIdentifierQuery(ref.idempotencyKey) },
      schema: orderBySourceDataSchema,
    });
    // The search is ours to trust only for an exact match; a fuzzy hit on another key is not our order.
    return data.orders.nodes.find((o) => o.sourceIdentifier === ref.idempotencyKey) ?? null;
  }

  const ackOf = (order: MaplecartOrder, alreadyExisted: boolean): SupplierOrderAck => ({
    supplierOrderId: order.id,
    status: canonicalStatus(order),
    rawStatus: rawStatusOf(order),
    alreadyExisted,
  });

  const isTaken = (errors: readonly UserError[]): boolean =>
    errors.length > 0 && errors.every((e) => e.code === 'TAKEN' && (e.field ?? []).includes('sourceIdentifier'));

  return {
    supplier: SUPPLIER,
    protocol: 'graphql',
    maxStockBatch: MAX_STOCK_BATCH,
    // orderCreate decrements inventory (DECREMENT_OBEYING_POLICY); its stock reads drop then (docs/suppliers/maplecart-graphql.md).
    allocatesStockOnAccept: true,

    async getStock(supplierSkus, ctx) {
      const unique = [...new Set(supplierSkus)];
      const out: SupplierStock[] = [];
      // One batch at a time: a batch is cheap (≤ ~160 points), but parallel ones would only race for the bucket.
      for (const batch of chunks(unique, MAX_STOCK_BATCH)) {
        const archivedQuery = archivedSkuSearchQuery(batch);
        const { data } = await call('getStock', ctx, {
          query: STOCK_QUERY,
          operationName: 'MaplecartStock',
          variables: { first: batch.length, query: skuSearchQuery(batch), archivedFirst: Math.min(batch.length, archivedProbeSize), archivedQuery },
          schema: stockDataSchema,
        });
        const readAt = new Date().toISOString();
        const archivedSkus = new Set(skusOf(data.archived));
        const probe = data.archived.pageInfo;
        if (probe.hasNextPage && probe.endCursor) {
          // Rare: more archived variants than the probe asked for. The rest of a batch fit one page of its size.
          const { data: rest } = await call('getStock', ctx, {
            query: ARCHIVED_QUERY,
            operationName: 'MaplecartArchived',
            variables: { first: batch.length, after: probe.endCursor, query: archivedQuery },
            schema: archivedDataSchema,
          });
          for (const sku of skusOf(rest.productVariants)) archivedSkus.add(sku);
        }
        const wanted = new Set(batch);
        for (const variant of data.productVariants.nodes) {
          // Shopify search can match more loosely than we asked; keep exact SKU hits only.
          if (!variant.sku || !wanted.has(variant.sku)) continue;
          const stock = mapStock(variant, { readAt, archivedSkus });
          if (stock) out.push(stock);
          wanted.delete(variant.sku);
        }
      }
      return out;
    },

    async listCatalog(cursor, ctx): Promise<CatalogPage> {
      const { data } = await call('listCatalog', ctx, {
        query: CATALOG_QUERY,
        operationName: 'MaplecartCatalog',
        variables: { first: pageSize, after: cursor },
        schema: catalogDataSchema,
      });
      const page = data.productVariants;
      return {
        items: page.nodes.map(mapCatalogItem).filter((i) => i !== null),
        nextCursor: page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null,
      };
    },

    async placeOrder(order: SupplierOrder, ctx) {
      const result = await call('placeOrder', ctx, {
        query: ORDER_CREATE_MUTATION,
        operationName: 'MaplecartOrderCreate',
        variables: { order: orderCreateInput(order), options: { inventoryBehaviour: 'DECREMENT_OBEYING_POLICY' }, key: order.idempotencyKey },
        schema: orderCreateDataSchema,
      });
      const { order: created, userErrors } = result.data.orderCreate;
      if (userErrors.length > 0) {
        // Our key is already the natural key of an order whose replay record expired: read that order back.
        if (isTaken(userErrors)) {
          const existing = await findOrder('placeOrder', { supplierOrderId: null, idempotencyKey: order.idempotencyKey }, ctx);
          if (existing) return ackOf(existing, true);
        }
        throw userErrorsError(userErrors, errorContext('placeOrder', 'MaplecartOrderCreate'));
      }
      if (!created) {
        throw new RegistryError('CONTRACT_VIOLATION', `${SUPPLIER} orderCreate returned neither an order nor userErrors`, { supplier: SUPPLIER, operation: 'placeOrder' });
      }
      const idempotency = idempotencyExtensionSchema.safeParse(result.extensions['idempotency']);
      return ackOf(created, idempotency.success && idempotency.data.key === order.idempotencyKey && idempotency.data.replayed);
    },

    async getOrderStatus(ref, ctx) {
      const order = await findOrder('getOrderStatus', ref, ctx);
      if (!order) throw notFound('getOrderStatus', ref);
      return mapOrderStatus(order);
    },

    async cancelOrder(ref, ctx) {
      const orderId = ref.supplierOrderId ?? (await findOrder('cancelOrder', ref, ctx))?.id;
      if (!orderId) throw notFound('cancelOrder', ref);
      const { data } = await call('cancelOrder', ctx, {
        query: ORDER_CANCEL_MUTATION,
        operationName: 'MaplecartOrderCancel',
        variables: { orderId },
        schema: orderCancelDataSchema,
      });
      const errors = data.orderCancel.orderCancelUserErrors;
      if (errors.length === 0) return;
      if (errors.some((e) => e.code === 'NOT_FOUND')) throw notFound('cancelOrder', ref);
      if (errors.some((e) => e.code === 'INVALID')) {
        // Shopify says INVALID both for "already cancelled" and "cannot be cancelled": the order tells which.
        // Only its state is read; the full order document would ask 335 points of the bucket to learn this.
        const { data: state } = await call('cancelOrder', ctx, {
          query: ORDER_STATE_QUERY,
          operationName: 'MaplecartOrderState',
          variables: { id: orderId },
          schema: orderStateDataSchema,
        });
        const order = state.order;
        if (order?.cancelledAt) return;
        // Our words in the message; the supplier's own codes and text only in details, clipped and cleaned (issue 14).
        throw new RegistryError('ORDER_NOT_CANCELLABLE', `${SUPPLIER} refused to cancel the order`, {
          supplier: SUPPLIER,
          operation: 'cancelOrder',
          details: {
            supplierOrderId: cleanSupplierText(orderId, 100) ?? null,
            supplierCodes: errors.slice(0, 5).map((e) => cleanSupplierText(e.code ?? '', 40) ?? null),
            supplierMessage: cleanSupplierText(errors.map((e) => e.message).join('; '), 200) ?? null,
            rawStatus: order ? rawStatusOf(order) : null,
          },
        });
      }
      throw userErrorsError(errors, errorContext('cancelOrder', 'MaplecartOrderCancel'));
    },

    // Webhook inventory item ids → SKUs (inventory-items.ts remembers the answers in front of this).
    async lookupItems(itemIds, ctx) {
      const out = new Map<string, string>();
      for (const batch of chunks([...new Set(itemIds.filter(isItemId))], MAX_IDS_PER_CALL)) {
        const { data } = await call('lookupItems', ctx, {
          query: INVENTORY_ITEM_SKUS_QUERY,
          operationName: 'MaplecartInventoryItemSkus',
          variables: inventoryItemSearch(batch),
          schema: inventoryItemSkusDataSchema,
        });
        for (const [id, sku] of skusOfItems(data, new Set(batch))) out.set(id, sku);
      }
      return out;
    },

    async health(ctx): Promise<HealthReport> {
      const started = performance.now();
      const { data } = await call('health', ctx, { query: HEALTH_QUERY, operationName: 'MaplecartHealth', schema: healthDataSchema });
      return { ok: true, latencyMs: Math.round(performance.now() - started), detail: `shop ${cleanSupplierText(data.shop.name, 80) ?? '(unprintable)'}` };
    },

    close: async () => {},
  };
}

export function createMaplecartConnector(options: MaplecartConnectorOptions): MaplecartConnector {
  const base = options.baseUrl.replace(/\/+$/, '');
  const client = createGraphqlClient({
    endpoint: `${base}/admin/api/${options.apiVersion ?? '2025-01'}/graphql.json`,
    supplier: SUPPLIER,
    headers: { 'X-Shopify-Access-Token': options.accessToken },
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.answerLimits ? { answerLimits: options.answerLimits } : {}),
  });
  // The cost bucket the supplier reports after every call keeps the shared limiter in step with it.
  const policed = withCallPolicies(createInner(options, client), { ...options, throttleStatus: () => client.throttleStatus() });
  return {
    ...policed,
    // health() reports supplier failures instead of throwing them; only the caller's own abort propagates.
    async health(ctx) {
      const started = performance.now();
      try {
        return await policed.health(ctx);
      } catch (error) {
        if (isRegistryError(error) && error.code === 'CALL_ABORTED') throw error;
        const code = isRegistryError(error) ? error.code : 'INTERNAL';
        return { ok: false, latencyMs: Math.round(performance.now() - started), detail: `${code}: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
    throttleStatus: () => client.throttleStatus(),
  };
}
