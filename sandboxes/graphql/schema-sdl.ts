/**
 * The maplecart Admin API schema: a trimmed copy of Shopify's Admin GraphQL 2025-01 shapes (names, enums,
 * connections, userErrors), so the connector meets the real vocabulary. Only what a dropship connector and
 * its webhook ingest touch is here.
 */
export const MAPLECART_SDL = /* GraphQL */ `
"Shopify's replay guard: a repeat with the same key returns the original result instead of acting twice."
directive @idempotent(key: String!) on FIELD

scalar DateTime
scalar Decimal
scalar URL

enum CurrencyCode { CAD USD }

type MoneyV2 { amount: Decimal! currencyCode: CurrencyCode! }

type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }

interface Node { id: ID! }

type Shop { id: ID! name: String! myshopifyDomain: String! currencyCode: CurrencyCode! }

type Metafield { namespace: String! key: String! value: String! type: String! }

enum ProductStatus { ACTIVE ARCHIVED DRAFT }

type Product implements Node {
  id: ID!
  handle: String!
  title: String!
  vendor: String!
  productType: String!
  status: ProductStatus!
  description: String!
  featuredImage: Image
  metafield(namespace: String, key: String!): Metafield
}

type Image { url: URL! altText: String }

type SelectedOption { name: String! value: String! }

enum ProductVariantInventoryPolicy { DENY CONTINUE }

type ProductVariant implements Node {
  id: ID!
  title: String!
  displayName: String!
  sku: String
  barcode: String
  price: Decimal!
  inventoryPolicy: ProductVariantInventoryPolicy!
  inventoryQuantity: Int
  updatedAt: DateTime!
  selectedOptions: [SelectedOption!]!
  image: Image
  product: Product!
  inventoryItem: InventoryItem!
  metafield(namespace: String, key: String!): Metafield
}
type ProductVariantEdge { cursor: String! node: ProductVariant! }
type ProductVariantConnection { edges: [ProductVariantEdge!]! nodes: [ProductVariant!]! pageInfo: PageInfo! }

type InventoryItem implements Node {
  id: ID!
  sku: String
  tracked: Boolean!
  unitCost: MoneyV2
  updatedAt: DateTime!
  variant: ProductVariant!
  inventoryLevels(first: Int, after: String): InventoryLevelConnection!
}

type Location implements Node { id: ID! name: String! }

type InventoryQuantity { name: String! quantity: Int! updatedAt: DateTime }

type InventoryLevel implements Node {
  id: ID!
  location: Location!
  item: InventoryItem!
  updatedAt: DateTime!
  quantities(names: [String!]!): [InventoryQuantity!]!
}
type InventoryLevelEdge { cursor: String! node: InventoryLevel! }
type InventoryLevelConnection { edges: [InventoryLevelEdge!]! nodes: [InventoryLevel!]! pageInfo: PageInfo! }

enum OrderDisplayFulfillmentStatus {
  FULFILLED IN_PROGRESS ON_HOLD OPEN PARTIALLY_FULFILLED PENDING_FULFILLMENT RESTOCKED SCHEDULED UNFULFILLED
  REQUEST_DECLINED
}
enum OrderCancelReason { CUSTOMER DECLINED FRAUD INVENTORY OTHER STAFF }

type MailingAddress {
  name: String firstName: String lastName: String company: String address1: String address2: String
  city: String provinceCode: String zip: String countryCodeV2: String phone: String
}

type Order implements Node {
  id: ID!
  name: String!
  sourceIdentifier: String
  email: String
  createdAt: DateTime!
  updatedAt: DateTime!
  cancelledAt: DateTime
  cancelReason: OrderCancelReason
  closed: Boolean!
  displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
  shippingAddress: MailingAddress
  lineItems(first: Int, after: String): LineItemConnection!
  fulfillmentOrders(first: Int, after: String): FulfillmentOrderConnection!
  fulfillments(first: Int): [Fulfillment!]!
}
type OrderEdge { cursor: String! node: Order! }
type OrderConnection { edges: [OrderEdge!]! nodes: [Order!]! pageInfo: PageInfo! }

type LineItem implements Node {
  id: ID!
  sku: String
  title: String!
  quantity: Int!
  currentQuantity: Int!
  unfulfilledQuantity: Int!
  variant: ProductVariant
  originalUnitPriceSet: MoneyBag!
}
type MoneyBag { shopMoney: MoneyV2! }
type LineItemEdge { cursor: String! node: LineItem! }
type LineItemConnection { edges: [LineItemEdge!]! nodes: [LineItem!]! pageInfo: PageInfo! }

enum FulfillmentOrderStatus { OPEN IN_PROGRESS CANCELLED INCOMPLETE CLOSED SCHEDULED ON_HOLD }
enum FulfillmentOrderRequestStatus {
  UNSUBMITTED SUBMITTED ACCEPTED REJECTED CANCELLATION_REQUESTED CANCELLATION_ACCEPTED CANCELLATION_REJECTED CLOSED
}
enum FulfillmentHoldReason {
  AWAITING_PAYMENT HIGH_RISK_OF_FRAUD INCORRECT_ADDRESS INVENTORY_OUT_OF_STOCK OTHER UNKNOWN_DELIVERY_DATE
}
type FulfillmentHold { reason: FulfillmentHoldReason! reasonNotes: String }

type FulfillmentOrder implements Node {
  id: ID!
  status: FulfillmentOrderStatus!
  requestStatus: FulfillmentOrderRequestStatus!
  fulfillmentHolds: [FulfillmentHold!]!
  assignedLocation: FulfillmentOrderAssignedLocation!
  updatedAt: DateTime!
}
type FulfillmentOrderAssignedLocation { name: String! location: Location }
type FulfillmentOrderEdge { cursor: String! node: FulfillmentOrder! }
type FulfillmentOrderConnection { edges: [FulfillmentOrderEdge!]! nodes: [FulfillmentOrder!]! pageInfo: PageInfo! }

enum FulfillmentStatus { CANCELLED ERROR FAILURE OPEN PENDING SUCCESS }
enum FulfillmentDisplayStatus {
  ATTEMPTED_DELIVERY CANCELED CONFIRMED DELIVERED FAILURE FULFILLED IN_TRANSIT LABEL_PRINTED LABEL_PURCHASED
  OUT_FOR_DELIVERY SUBMITTED
}
type FulfillmentTrackingInfo { company: String number: String url: URL }

type Fulfillment implements Node {
  id: ID!
  name: String!
  status: FulfillmentStatus!
  displayStatus: FulfillmentDisplayStatus
  createdAt: DateTime!
  updatedAt: DateTime!
  deliveredAt: DateTime
  trackingInfo(first: Int): [FulfillmentTrackingInfo!]!
  fulfillmentLineItems(first: Int, after: String): FulfillmentLineItemConnection!
}
type FulfillmentLineItem implements Node { id: ID! quantity: Int! lineItem: LineItem! }
type FulfillmentLineItemEdge { cursor: String! node: FulfillmentLineItem! }
type FulfillmentLineItemConnection {
  edges: [FulfillmentLineItemEdge!]! nodes: [FulfillmentLineItem!]! pageInfo: PageInfo!
}

type Query {
  shop: Shop!
  productVariants(first: Int, after: String, last: Int, before: String, query: String): ProductVariantConnection!
  inventoryItem(id: ID!): InventoryItem
  order(id: ID!): Order
  orders(first: Int, after: String, last: Int, before: String, query: String): OrderConnection!
}

input MailingAddressInput {
  firstName: String lastName: String company: String address1: String address2: String city: String
  provinceCode: String countryCode: String zip: String phone: String
}
input OrderCreateLineItemInput { variantId: ID sku: String quantity: Int! title: String }
input OrderCreateOrderInput {
  sourceIdentifier: String
  email: String
  note: String
  currency: CurrencyCode
  lineItems: [OrderCreateLineItemInput!]
  shippingAddress: MailingAddressInput
}
enum OrderCreateInputsInventoryBehavior { BYPASS DECREMENT_IGNORING_POLICY DECREMENT_OBEYING_POLICY }
input OrderCreateOptionsInput { inventoryBehaviour: OrderCreateInputsInventoryBehavior sendReceipt: Boolean }

type OrderCreateUserError { field: [String!] message: String! code: String }
type OrderCreatePayload { order: Order userErrors: [OrderCreateUserError!]! }

type UserError { field: [String!] message: String! }
type OrderCancelUserError { field: [String!] message: String! code: String }
type Job { id: ID! done: Boolean! }
type OrderCancelPayload { job: Job orderCancelUserErrors: [OrderCancelUserError!]! userErrors: [UserError!]! }

type Mutation {
  orderCreate(order: OrderCreateOrderInput!, options: OrderCreateOptionsInput): OrderCreatePayload
  orderCancel(
    orderId: ID!
    reason: OrderCancelReason!
    refund: Boolean!
    restock: Boolean!
    notifyCustomer: Boolean
    staffNote: String
  ): OrderCancelPayload
}
`;
