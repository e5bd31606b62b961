import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse, type GraphQLSchema } from 'graphql';
import { CODE, isRegistryError } from '../../kernel/errors.ts';
import type { CanonicalOrderStatus } from '../../kernel/model.ts';
import { readSubgraphSdl } from '../../schema/subgraphs.ts';
import type { OrderStore } from '../../platform/ports/order-store.ts';
import type { DeliveryState, WebhookDeliveryLog } from '../../platform/ports/webhook-delivery-log.ts';
import type { SubgraphContext } from '../context.ts';
import { scalarResolvers } from '../scalars.ts';
import type { OrderStatus, OrderWebhookDeliveryState, Resolvers, SubOrderState } from './generated/resolvers-types.ts';
import type { OrderService } from './order-service.ts';
import type { PlaceOrderRequest } from './validation.ts';
import { cleanSupplierText } from '../../adapters/core/supplier-text.ts';
import { MAX_ORDER_REASON, orderReason } from './workflow/order-reasons.ts';
import { attentionOf } from './attention.ts';
import { isAdmin } from '../../platform/auth/principal.ts';

/** Longest supplier status word served (real ones are a word or two: 'Partially Shipped', 'on_hold'). */
const MAX_RAW_STATUS = 100;

const MAX_PAGE = 200;

export const toOrderStatus = (status: CanonicalOrderStatus): OrderStatus => status.toUpperCase() as OrderStatus;
export const fromOrderStatus = (status: OrderStatus): CanonicalOrderStatus => status.toLowerCase() as CanonicalOrderStatus;

/**
 * Logical order errors keep their safe details for the client: which field failed validation, or why a key was
 * refused. (subgraphs/graphql-errors.ts passes only the code for other errors.)
 */
async function withFieldDetails<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isRegistryError(error) || error.errorClass !== 'logical') throw error;
    const { field, reason } = (error.details ?? {}) as { field?: unknown; reason?: unknown };
    throw new GraphQLError(error.message, {
      extensions: {
        code: error.code,
        errorClass: error.errorClass,
        ...(error.supplier ? { supplier: error.supplier } : {}),
        ...(typeof field === 'string' ? { field } : {}),
        ...(typeof reason === 'string' ? { reason } : {}),
      },
    });
  }
}

/** Time kept back, beyond the request's reserve, to read the order as stored and answer after the placement budget. */
const ANSWER_MARGIN_MS = 250;

/** What placeOrder may spend: the rest of the request's budget as the gateway handed it over, less the margins. */
export const placementBudgetMs = (ctx: Pick<SubgraphContext, 'budget' | 'reserveMs'>): number => Math.max(0, ctx.budget.remainingMs() - ctx.reserveMs - ANSWER_MARGIN_MS);

/**
 * Whose order a mutation acts on: the caller's tenant, or — for an admin only (the operator console) — the tenant it
 * names. Anyone else naming another tenant is refused, never silently switched to their own.
 */
function actingTenant(ctx: SubgraphContext, tenant: string | null | undefined): string {
  if (tenant === undefined || tenant === null || tenant === ctx.tenant) return ctx.tenant;
  if (!isAdmin(ctx.auth)) throw new GraphQLError('Only admins act on another tenant\'s orders', { extensions: { code: CODE.FORBIDDEN, missingScopes: ['admin'], argumentName: 'tenant' } });
  return tenant;
}

/** Without a service (read-only deployments and older tests) the mutations answer MISCONFIGURED. */
function requireService(service: OrderService | undefined): OrderService {
  if (service === undefined) throw new GraphQLError('Order placement is not configured', { extensions: { code: CODE.MISCONFIGURED } });
  return service;
}

export function createOrderResolvers(orders: OrderStore, service?: OrderService, deliveries?: WebhookDeliveryLog): Resolvers<SubgraphContext> {
  return {
    ...scalarResolvers,
    Mutation: {
      // A partner limited to some suppliers (ctx.auth.suppliers, signed by the gateway) is routed among them only.
      // Answers within what is left of the request's budget (minus the reserve and the time to read the order back
      // and answer): supplier calls still running then go on in the background, their sub-orders SUBMITTING.
      placeOrder: (_parent, { input }, ctx) =>
        withFieldDetails(() => requireService(service).placeOrder(input as PlaceOrderRequest, ctx.tenant, ctx.auth.suppliers, { budgetMs: placementBudgetMs(ctx) })),
      cancelOrder: (_parent, { id, lineNumbers, tenant }, ctx) =>
        withFieldDetails(() => requireService(service).cancelOrder(actingTenant(ctx, tenant), id, lineNumbers ?? undefined)),
      // Admin only (@scopes in the SDL): the operator console's actions on any tenant's order.
      retryOrder: (_parent, { tenant, id }) => withFieldDetails(() => requireService(service).retryOrder(tenant, id)),
      rerouteOrder: (_parent, { tenant, id }) => withFieldDetails(() => requireService(service).rerouteOrder(tenant, id)),
      requestReturn: (_parent, { id, lineNumber, quantity, reason }, ctx) =>
        withFieldDetails(() => requireService(service).requestReturn(ctx.tenant, id, lineNumber, quantity, reason)),
    },
    Query: {
      previewOrderRouting: (_parent, { input }, ctx) =>
        withFieldDetails(() => requireService(service).previewOrderRouting(input as PlaceOrderRequest, ctx.tenant, ctx.auth.suppliers)),
      order: (_parent, { id }, ctx) => orders.get(ctx.tenant, id),
      orders: async (_parent, { first, after, filter }, ctx) => {
        if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
          throw new GraphQLError(`first must be between 1 and ${MAX_PAGE}`, { extensions: { code: CODE.BAD_USER_INPUT, argumentName: 'first' } });
        }
        const page = await orders.list(
          {
            tenant: ctx.tenant,
            ...(filter?.status ? { status: fromOrderStatus(filter.status) } : {}),
            ...(filter?.createdAfter ? { createdAfter: filter.createdAfter } : {}),
            ...(filter?.createdBefore ? { createdBefore: filter.createdBefore } : {}),
          },
          first,
          after ?? null,
        );
        return { nodes: [...page.items], pageInfo: { hasNextPage: page.nextCursor !== null, endCursor: page.nextCursor } };
      },
      // Admin only (@scopes in the SDL): operators see every tenant's.
      ordersNeedingAttention: async (_parent, { tenant, first }) => {
        if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
          throw new GraphQLError(`first must be between 1 and ${MAX_PAGE}`, { extensions: { code: CODE.BAD_USER_INPUT, argumentName: 'first' } });
        }
        return (await orders.listNeedingAttention(first, tenant ?? undefined)).map(attentionOf);
      },
      // Admin only (@scopes in the SDL): operators read the log across tenants.
      orderWebhookDeliveries: async (_parent, { tenant, state, first }) => {
        if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
          throw new GraphQLError(`first must be between 1 and ${MAX_PAGE}`, { extensions: { code: CODE.BAD_USER_INPUT, argumentName: 'first' } });
        }
        if (deliveries === undefined) return [];
        return deliveries.list(tenant ?? null, { ...(state ? { state: state.toLowerCase() as DeliveryState } : {}), limit: first });
      },
    },
    OrderWebhookDelivery: {
      state: (d) => d.state.toUpperCase() as OrderWebhookDeliveryState,
      attempts: (d) => [...d.attempts],
    },
    Order: {
      __resolveReference: (ref, ctx) => orders.get(ctx.tenant, ref.id),
      status: (order) => toOrderStatus(order.status),
      lines: (order) => [...order.lines],
      shipments: (order) => [...order.shipments],
      subOrders: (order) => [...(order.subOrders ?? [])],
      returns: (order) => [...(order.returns ?? [])],
      placement: (order) => ({ inProgress: order.workflow === 'placing', retryWithSameKeyIsSafe: true }),
    },
    OrderLine: {
      product: (line) => ({ sku: line.sku }),
      status: (line) => toOrderStatus(line.status),
      allocations: (line) => [...(line.allocations ?? [])],
      // Served bounded and clean even for records stored before the bound (docs/security.md, "What clients and logs see").
      needsAttention: (line) => (line.needsAttention ? (cleanSupplierText(line.needsAttention, MAX_ORDER_REASON * 2) ?? null) : null),
      shippedQuantity: (line) => line.shipped ?? 0,
      backorderedQuantity: (line) => line.backordered ?? 0,
    },
    SubOrder: {
      state: (sub) => sub.state.toUpperCase() as SubOrderState,
      status: (sub) => (sub.status === null ? null : toOrderStatus(sub.status)),
      lines: (sub) => sub.lines.map((l) => ({ lineNumber: l.lineNumber, supplierSku: l.supplierSku, quantity: l.quantity })),
      // The supplier's own status word: clipped and cleaned like any supplier text a client sees.
      rawStatus: (sub) => (sub.rawStatus ? (cleanSupplierText(sub.rawStatus, MAX_RAW_STATUS) ?? null) : null),
      lastError: (sub) => (sub.lastError ? orderReason(sub.lastError) : null),
    },
    RoutingPreview: {
      lines: (preview) => preview.lines.map((l) => ({ lineNumber: l.lineNumber, sku: l.sku, quantity: l.quantity, parts: [...l.allocations], unallocated: l.unallocated, reason: l.reason })),
    },
    Shipment: {
      lines: (shipment) => [...shipment.lines],
    },
  };
}

export interface OrdersSubgraph {
  readonly name: 'orders';
  readonly schema: GraphQLSchema;
}

export function createOrdersSubgraph(orders: OrderStore, service?: OrderService, deliveries?: WebhookDeliveryLog): OrdersSubgraph {
  return {
    name: 'orders',
    schema: buildSubgraphSchema({ typeDefs: parse(readSubgraphSdl('orders')), resolvers: createOrderResolvers(orders, service, deliveries) as never }),
  };
}
