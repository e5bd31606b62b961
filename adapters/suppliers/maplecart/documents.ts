/**
 * The GraphQL documents maplecart is sent, each with the zod shape of the `data` it must answer with.
 * Page sizes and selections are chosen against Shopify's cost model (scalars and enums 0, object 1, connection
 * 2 + first × node): the stock read asks only for what a stock figure needs, so a full batch of 50 costs
 * 2 + 50 × 3 + 2 + 5 = 159 points (see docs/suppliers/maplecart-graphql.md, "Cost and throttling").
 */
import { z } from 'zod';
import { userErrorSchema } from '../../graphql/index.ts';

/**
 * How many archived variants one stock read asks for by default. Archived products are rare, so a small
 * page keeps the probe cheap (2 + n points); a batch holding more reads the rest with ARCHIVED_QUERY.
 */
export const ARCHIVED_PROBE_SIZE = 5;

/**
 * One stock batch in one call. `productVariants` carries the figures: the variant's own total
 * (`inventoryQuantity`, Shopify's sum of `available` over locations), its policy and its unit cost — three
 * objects a node, no per-location levels. `archived` names which of the same SKUs belong to an ARCHIVED
 * product: asking `product { status }` of every node would add 50 points a batch to learn what a
 * search filter tells for 2 + n.
 */
export const STOCK_QUERY = /* GraphQL */ `
  query MaplecartStock($first: Int!, $query: String!, $archivedFirst: Int!, $archivedQuery: String!) {
    productVariants(first: $first, query: $query) {
      nodes {
        sku
        inventoryPolicy
        inventoryQuantity
        updatedAt
        inventoryItem { unitCost { amount currencyCode } }
      }
    }
    archived: productVariants(first: $archivedFirst, query: $archivedQuery) {
      nodes { sku }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

/** The rest of the `archived` probe, when a batch holds more archived variants than its first page. */
export const ARCHIVED_QUERY = /* GraphQL */ `
  query MaplecartArchived($first: Int!, $after: String, $query: String!) {
    productVariants(first: $first, after: $after, query: $query) {
      nodes { sku }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

const moneySchema = z.object({ amount: z.string(), currencyCode: z.string() });

export const stockVariantSchema = z.object({
  sku: z.string().nullable(),
  inventoryPolicy: z.enum(['DENY', 'CONTINUE']),
  inventoryQuantity: z.number().int().nullable(),
  updatedAt: z.string(),
  inventoryItem: z.object({ unitCost: moneySchema.nullable() }),
});
export type StockVariant = z.infer<typeof stockVariantSchema>;

const skuPageSchema = z.object({
  nodes: z.array(z.object({ sku: z.string().nullable() })),
  pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
});
export type SkuPage = z.infer<typeof skuPageSchema>;

export const stockDataSchema = z.object({
  productVariants: z.object({ nodes: z.array(stockVariantSchema) }),
  archived: skuPageSchema,
});

export const archivedDataSchema = z.object({ productVariants: skuPageSchema });

/**
 * One catalog page. A node costs 7 (the variant, its selected options, its own image, the MPN metafield, the product,
 * its featured image, the manufacturer metafield), so a page of 50 costs 2 + 50 × 7 = 352 and two pages fit the
 * 1,000-point bucket. The variant's `image` (Shopify's ProductVariant.image) is the variant's own picture (its colour):
 * the storefront shows it on the variant, the featured image on the family.
 */
export const CATALOG_QUERY = /* GraphQL */ `
  query MaplecartCatalog($first: Int!, $after: String) {
    productVariants(first: $first, after: $after) {
      nodes {
        sku
        barcode
        displayName
        selectedOptions { name value }
        image { url altText }
        mpn: metafield(namespace: "mm-google-shopping", key: "mpn") { value }
        product {
          id
          title
          vendor
          productType
          description
          featuredImage { url altText }
          manufacturer: metafield(namespace: "custom", key: "manufacturer") { value }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

const metafieldValue = z.object({ value: z.string() }).nullable();

const imageSchema = z.object({ url: z.string(), altText: z.string().nullable() }).nullable();

export const catalogVariantSchema = z.object({
  sku: z.string().nullable(),
  barcode: z.string().nullable(),
  displayName: z.string(),
  selectedOptions: z.array(z.object({ name: z.string(), value: z.string() })),
  image: imageSchema,
  mpn: metafieldValue,
  product: z.object({
    id: z.string(),
    title: z.string(),
    vendor: z.string(),
    productType: z.string(),
    description: z.string(),
    featuredImage: imageSchema,
    manufacturer: metafieldValue,
  }),
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

/** Just enough to tell "already cancelled" from "cannot be cancelled": 1 point, where the full order asks 335. */
export const ORDER_STATE_QUERY = /* GraphQL */ `
  query MaplecartOrderState($id: ID!) { order(id: $id) { id cancelledAt displayFulfillmentStatus } }
`;
export const orderStateDataSchema = z.object({
  order: orderSchema.pick({ id: true, cancelledAt: true, displayFulfillmentStatus: true }).nullable(),
});

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
