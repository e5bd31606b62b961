import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse, type GraphQLSchema } from 'graphql';
import type { CanonicalOrderStatus } from '../../adapters/core/model.ts';
import { readSubgraphSdl } from '../../schema/subgraphs.ts';
import type { OrderStore } from '../../platform/ports/order-store.ts';
import type { SubgraphContext } from '../context.ts';
import { scalarResolvers } from '../scalars.ts';
import type { OrderStatus, Resolvers } from './generated/resolvers-types.ts';

const MAX_PAGE = 200;

export const toOrderStatus = (status: CanonicalOrderStatus): OrderStatus => status.toUpperCase() as OrderStatus;
export const fromOrderStatus = (status: OrderStatus): CanonicalOrderStatus => status.toLowerCase() as CanonicalOrderStatus;

export function createOrderResolvers(orders: OrderStore): Resolvers<SubgraphContext> {
  return {
    ...scalarResolvers,
    Query: {
      order: (_parent, { id }, ctx) => orders.get(ctx.tenant, id),
      orders: async (_parent, { first, after, filter }, ctx) => {
        if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
          throw new GraphQLError(`first must be between 1 and ${MAX_PAGE}`, { extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' } });
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
    },
    Order: {
      __resolveReference: (ref, ctx) => orders.get(ctx.tenant, ref.id),
      status: (order) => toOrderStatus(order.status),
      lines: (order) => [...order.lines],
      shipments: (order) => [...order.shipments],
    },
    OrderLine: {
      product: (line) => ({ sku: line.sku }),
      status: (line) => toOrderStatus(line.status),
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

export function createOrdersSubgraph(orders: OrderStore): OrdersSubgraph {
  return {
    name: 'orders',
    schema: buildSubgraphSchema({ typeDefs: parse(readSubgraphSdl('orders')), resolvers: createOrderResolvers(orders) as never }),
  };
}
