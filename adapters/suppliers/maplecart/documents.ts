/**
 * The GraphQL documents maplecart is sent, each with the zod shape of the `data` it must answer with.
 * Page sizes are chosen against Shopify's cost model (object 1, connection 2 + first × node): a full stock
 * batch of 50 costs 2 + 50 × 16 = 802 points, under the 1000-point single-query cap.
 */
import { z } from 'zod';
import { userErrorSchema } from '../../graphql/index.ts';

/** Locations read per item; more than this and we fall back to the variant's own total (see mapping). */
export const LEVELS_PER_ITEM = 5;

export const STOCK_QUERY = /* GraphQL */ `
  query MaplecartStock($first: Int!, $query: String!) {
    productVariants(first: $first, query: $query) {
      nodes {
        sku
        inventoryPolicy
        inventoryQuantity
        product { status }
        inventoryItem {
          unitCost { amount currencyCode }
          inventoryLevels(first: ${LEVELS_PER_ITEM}) {
            nodes { updatedAt quantities(names: ["available"]) { name quantity } }
            pageInfo { hasNextPage }
          }
        }
      }
    }
  }
`;

const moneySchema = z.object({ amount: z.string(), currencyCode: z.string() });

export const stockVariantSchema = z.object({
  sku: z.string().nullable(),
  inventoryPolicy: z.enum(['DENY', 'CONTINUE']),
  inventoryQuantity: z.number().int().nullable(),
  product: z.object({ status: z.enum(['ACTIVE', 'ARCHIVED', 'DRAFT']) }),
  inventoryItem: z.object({
    unitCost: moneySchema.nullable(),
    inventoryLevels: z.object({
      nodes: z.array(
        z.object({
          updatedAt: z.string(),
          quantities: z.array(z.object({ name: z.string(), quantity: z.number().int() })),
        }),
      ),
      pageInfo: z.object({ hasNextPage: z.boolean() }),
    }),
  }),
});
export type StockVariant = z.infer<typeof stockVariantSchema>;

export const stockDataSchema = z.object({ productVariants: z.object({ nodes: z.array(stockVariantSchema) }) });

export const CATALOG_QUERY = /* GraphQL */ `
  query MaplecartCatalog($first: Int!, $after: String) {
    productVariants(first: $first, after: $after) {
      nodes {
        sku
        barcode
        displayName
        mpn: metafield(namespace: "mm-google-shopping", key: "mpn") { value }
        product {
          vendor
          description
          manufacturer: metafield(namespace: "custom", key: "manufacturer") { value }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

const metafieldValue = z.object({ value: z.string() }).nullable();

export const catalogVariantSchema = z.object({
  sku: z.string().nullable(),
  barcode: z.string().nullable(),
  displayName: z.string(),
  mpn: metafieldValue,
  product: z.object({ vendor: z.string(), description: z.string(), manufacturer: metafieldValue }),
});
export type CatalogVariant = z.infer<typeof catalogVariantSchema>;

export const catalogDataSchema = z.object({
  productVariants: z.object({
    nodes: z.array(catalogVariantSchema),
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
  }),
});

const ORDER_FIELDS = /* GraphQL */ `
  fragment MaplecartOrderFields on Order {
    id
    name
    sourceIdentifier
    updatedAt
    cancelledAt
    displayFulfillmentStatus
    lineItems(first: 50) { nodes { sku quantity currentQuantity unfulfilledQuantity } }
    fulfillmentOrders(first: 5) { nodes { status fulfillmentHolds { reason } } }
    fulfillments(first: 5) {
      status
      displayStatus
      createdAt
      trackingInfo(first: 1) { company number }
      fulfillmentLineItems(first: 25) { nodes { quantity lineItem { sku } } }
    }
  }
`;

export const orderSchema = z.object({
  id: z.string(),
  name: z.string(),
  sourceIdentifier: z.string().nullable(),
  updatedAt: z.string(),
  cancelledAt: z.string().nullable(),
  displayFulfillmentStatus: z.enum([
    'FULFILLED',
    'IN_PROGRESS',
    'ON_HOLD',
    'OPEN',
    'PARTIALLY_FULFILLED',
    'PENDING_FULFILLMENT',
    'RESTOCKED',
    'SCHEDULED',
    'UNFULFILLED',
    'REQUEST_DECLINED',
  ]),
  lineItems: z.object({
    nodes: z.array(z.object({ sku: z.string().nullable(), quantity: z.number().int(), currentQuantity: z.number().int(), unfulfilledQuantity: z.number().int() })),
  }),
  fulfillmentOrders: z.object({
    nodes: z.array(z.object({ status: z.string(), fulfillmentHolds: z.array(z.object({ reason: z.string() })) })),
  }),
  fulfillments: z.array(
    z.object({
      status: z.string(),
      displayStatus: z.string().nullable(),
      createdAt: z.string(),
      trackingInfo: z.array(z.object({ company: z.string().nullable(), number: z.string().nullable() })),
      fulfillmentLineItems: z.object({
        nodes: z.array(z.object({ quantity: z.number().int(), lineItem: z.object({ sku: z.string().nullable() }) })),
      }),
    }),
  ),
});
export type MaplecartOrder = z.infer<typeof orderSchema>;
export type DisplayFulfillmentStatus = MaplecartOrder['displayFulfillmentStatus'];

export const ORDER_BY_ID_QUERY = /* GraphQL */ `
  query MaplecartOrderById($id: ID!) { order(id: $id) { ...MaplecartOrderFields } }
  ${ORDER_FIELDS}
`;
export const orderByIdDataSchema = z.object({ order: orderSchema.nullable() });

export const ORDER_BY_SOURCE_QUERY = /* GraphQL */ `
  query MaplecartOrderBySource($query: String!) { orders(first: 1, query: $query) { nodes { ...MaplecartOrderFields } } }
  ${ORDER_FIELDS}
`;
export const orderBySourceDataSchema = z.object({ orders: z.object({ nodes: z.array(orderSchema) }) });

export const ORDER_CREATE_MUTATION = /* GraphQL */ `
  mutation MaplecartOrderCreate($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput, $key: String!) {
    orderCreate(order: $order, options: $options) @idempotent(key: $key) {
      order { ...MaplecartOrderFields }
      userErrors { field message code }
    }
  }
  ${ORDER_FIELDS}
`;
export const orderCreateDataSchema = z.object({
  orderCreate: z.object({ order: orderSchema.nullable(), userErrors: z.array(userErrorSchema) }),
});

export const ORDER_CANCEL_MUTATION = /* GraphQL */ `
  mutation MaplecartOrderCancel($orderId: ID!) {
    orderCancel(orderId: $orderId, reason: OTHER, refund: true, restock: true, notifyCustomer: false, staffNote: "Cancelled by dropship-graph") {
      job { id done }
      orderCancelUserErrors { field message code }
    }
  }
`;
export const orderCancelDataSchema = z.object({
  orderCancel: z.object({
    job: z.object({ id: z.string(), done: z.boolean() }).nullable(),
    orderCancelUserErrors: z.array(userErrorSchema),
  }),
});

export const HEALTH_QUERY = /* GraphQL */ `
  query MaplecartHealth { shop { name } }
`;
export const healthDataSchema = z.object({ shop: z.object({ name: z.string() }) });

/** maplecart reports an @idempotent replay here; Shopify itself only returns the original result. */
export const idempotencyExtensionSchema = z.object({ key: z.string(), replayed: z.boolean() });
