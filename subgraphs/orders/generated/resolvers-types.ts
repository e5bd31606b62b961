import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { OrderRecord, OrderLineRecord, ShipmentRecord, SubOrderRecord, LineAllocation as LineAllocationRecord, ReturnRequestRecord } from '../../../platform/ports/order-store.ts';
import type { RoutingPreview as RoutingPreviewRecord } from '../order-service.ts';
import type { WebhookDeliveryRecord } from '../../../platform/ports/webhook-delivery-log.ts';
import type { SubgraphContext } from '../../context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  DateTime: { input: string; output: string; }
  Decimal: { input: string; output: string; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type AddressInput = {
  city: Scalars['String']['input'];
  company?: InputMaybe<Scalars['String']['input']>;
  /** ISO 3166-1 alpha-2. */
  country: Scalars['String']['input'];
  email?: InputMaybe<Scalars['String']['input']>;
  line1: Scalars['String']['input'];
  line2?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  phone?: InputMaybe<Scalars['String']['input']>;
  postalCode: Scalars['String']['input'];
  region?: InputMaybe<Scalars['String']['input']>;
};

export type LineAllocation = {
  __typename?: 'LineAllocation';
  quantity: Scalars['Int']['output'];
  reason: Scalars['String']['output'];
  subOrderId: Scalars['ID']['output'];
  supplier: Scalars['String']['output'];
  supplierSku: Scalars['String']['output'];
  unitCost?: Maybe<Money>;
};

export type LineRouting = {
  __typename?: 'LineRouting';
  lineNumber: Scalars['Int']['output'];
  parts: Array<RoutedPart>;
  quantity: Scalars['Int']['output'];
  reason: Scalars['String']['output'];
  sku: Scalars['ID']['output'];
  /** Units no supplier can take now. */
  unallocated: Scalars['Int']['output'];
};

export type Money = {
  __typename?: 'Money';
  amount: Scalars['Decimal']['output'];
  currency: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Cancels the whole order, or the lines given, where the suppliers still allow it. A line no supplier would take
   * (needsAttention) is dropped: CANCELLED, no longer needing attention. `tenant`: admins only, to act on another
   * tenant's order (the operator console); anyone else is refused FORBIDDEN when it names a tenant not their own.
   */
  cancelOrder: Order;
  /**
   * Places an order: validate, route, reserve, re-check live stock, submit per supplier (docs/orders.md). Answers within
   * the placement budget with the order as it stands: sub-orders whose supplier call is still running are SUBMITTING
   * and finish in the background (placement.inProgress). Repeating the call with the same idempotencyKey is safe.
   */
  placeOrder: Order;
  /** Records a return request for shipped units of a line. */
  requestReturn: Order;
  /**
   * Operators: routes each line needing attention again among the suppliers that have not refused it (stock may have
   * come back), then places the new parts. A line still without a supplier keeps needsAttention with the new reason.
   * INVALID_INPUT when no line needs it.
   */
  rerouteOrder: Order;
  /**
   * Operators: drives the order's unfinished sub-orders now, under the same keys, instead of waiting for the resume
   * loop (docs/orders.md). A send that went unanswered is read back from the supplier before anything is sent again,
   * so a retry never orders twice. INVALID_INPUT when nothing is left to drive.
   */
  retryOrder: Order;
};


export type MutationCancelOrderArgs = {
  id: Scalars['ID']['input'];
  lineNumbers?: InputMaybe<Array<Scalars['Int']['input']>>;
  tenant?: InputMaybe<Scalars['String']['input']>;
};


export type MutationPlaceOrderArgs = {
  input: PlaceOrderInput;
};


export type MutationRequestReturnArgs = {
  id: Scalars['ID']['input'];
  lineNumber: Scalars['Int']['input'];
  quantity: Scalars['Int']['input'];
  reason: Scalars['String']['input'];
};


export type MutationRerouteOrderArgs = {
  id: Scalars['ID']['input'];
  tenant: Scalars['String']['input'];
};


export type MutationRetryOrderArgs = {
  id: Scalars['ID']['input'];
  tenant: Scalars['String']['input'];
};

/** A tenant's order: only that tenant sees it, through root fields and entity lookups alike. */
export type Order = {
  __typename?: 'Order';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** The client's idempotency key the order was placed with. */
  idempotencyKey: Scalars['String']['output'];
  lines: Array<OrderLine>;
  /** Whether placement is still going on, and that repeating placeOrder with the same key is safe. */
  placement: OrderPlacement;
  returns: Array<ReturnRequest>;
  shipments: Array<Shipment>;
  status: OrderStatus;
  /** One per supplier (and re-route): what was sent where, in which state. */
  subOrders: Array<SubOrder>;
  updatedAt: Scalars['DateTime']['output'];
  /**
   * Grows by one with every stored change of the order (the `version` of `orderStatusChanged` events). Orders stored
   * before the counter carry the epoch milliseconds of their last change, so it is a Float: it may exceed Int's 32 bits.
   */
  version: Scalars['Float']['output'];
};

/** What an operator can do about an order needing attention (the mutation of the same name). */
export type OrderAction =
  /** cancelOrder: cancel what is still cancellable and drop lines no supplier took. */
  | 'CANCEL'
  /** rerouteOrder: a line no supplier took; route it again. */
  | 'REROUTE'
  /** retryOrder: a sub-order's send went unanswered; drive it now. */
  | 'RETRY';

/** An order that needs a person, with why and what can be done. */
export type OrderAttention = {
  __typename?: 'OrderAttention';
  actions: Array<OrderAction>;
  order: Order;
  /** Our words: which lines or sub-orders, and the stored reason. */
  reason: Scalars['String']['output'];
  /** Since when it has looked like this: the order's last change. */
  since: Scalars['DateTime']['output'];
  tenant: Scalars['String']['output'];
};

export type OrderConnection = {
  __typename?: 'OrderConnection';
  nodes: Array<Order>;
  pageInfo: PageInfo;
};

export type OrderFilter = {
  createdAfter?: InputMaybe<Scalars['DateTime']['input']>;
  createdBefore?: InputMaybe<Scalars['DateTime']['input']>;
  status?: InputMaybe<OrderStatus>;
};

export type OrderLine = {
  __typename?: 'OrderLine';
  /** How the line is split over suppliers, including parts a supplier refused (their sub-order is FAILED). */
  allocations: Array<LineAllocation>;
  /** Units the suppliers flag backordered on this line (their per-line figures); 0 when they flag none. */
  backorderedQuantity: Scalars['Int']['output'];
  lineNumber: Scalars['Int']['output'];
  /** Why the line could not be (fully) placed; null when fine. */
  needsAttention?: Maybe<Scalars['String']['output']>;
  /** Resolved through the catalog and inventory subgraphs. */
  product: Product;
  quantity: Scalars['Int']['output'];
  /** Units the suppliers report shipped for this line (their per-line figures). */
  shippedQuantity: Scalars['Int']['output'];
  status: OrderStatus;
  /** Supplier slug the line is routed to, once routed. */
  supplier?: Maybe<Scalars['String']['output']>;
  supplierSku?: Maybe<Scalars['String']['output']>;
  /** The unit cost the supplier order was priced at; null while unpriced, or when a split line's parts cost differently (see allocations). */
  unitCost?: Maybe<Money>;
};

export type OrderLineInput = {
  quantity: Scalars['Int']['input'];
  sku: Scalars['ID']['input'];
};

/**
 * What placeOrder's answer means for the client. placeOrder answers within its budget (ORDER_PLACEMENT_BUDGET_MS);
 * supplier calls still running then continue in the background (their sub-orders show SUBMITTING).
 */
export type OrderPlacement = {
  __typename?: 'OrderPlacement';
  /** True while some sub-order is still being reserved or sent to its supplier (PLANNED, RESERVED or SUBMITTING); read order(id) later, or repeat placeOrder with the same key. */
  inProgress: Scalars['Boolean']['output'];
  /** Repeating placeOrder with the same idempotencyKey and payload returns this order and never orders twice. Always true; stated so clients need not guess. */
  retryWithSameKeyIsSafe: Scalars['Boolean']['output'];
};

/** The one canonical status machine for orders, lines and supplier sub-orders. */
export type OrderStatus =
  | 'ACCEPTED'
  | 'BACKORDERED'
  | 'CANCELLED'
  | 'CANCEL_REQUESTED'
  | 'DELIVERED'
  | 'ON_HOLD'
  | 'PARTIALLY_SHIPPED'
  | 'REJECTED'
  | 'SHIPPED'
  /** The supplier acknowledged the order (its call succeeded); not yet confirmed further. */
  | 'SUBMITTED'
  /** Being sent to the supplier (or resent after a lost answer): no supplier has acknowledged it yet. */
  | 'SUBMITTING';

export type OrderWebhookAttempt = {
  __typename?: 'OrderWebhookAttempt';
  at: Scalars['DateTime']['output'];
  /** Why no answer came (timeout, refused connection). */
  error?: Maybe<Scalars['String']['output']>;
  /** HTTP status; null when no answer came. */
  status?: Maybe<Scalars['Int']['output']>;
};

/** One order event to one merchant endpoint (ORDER_WEBHOOK_ENDPOINTS). Never holds the endpoint secret. */
export type OrderWebhookDelivery = {
  __typename?: 'OrderWebhookDelivery';
  attempts: Array<OrderWebhookAttempt>;
  /** The signed JSON body as sent. */
  body: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  endpointId: Scalars['String']['output'];
  /** What the id derives from: `<orderId>:<status>`. */
  eventKey: Scalars['String']['output'];
  eventType: Scalars['String']['output'];
  /** The webhook-id header: the same on every retry, so the merchant dedupes on it. */
  id: Scalars['ID']['output'];
  nextAttemptAt?: Maybe<Scalars['DateTime']['output']>;
  state: OrderWebhookDeliveryState;
  tenant: Scalars['String']['output'];
};

export type OrderWebhookDeliveryState =
  | 'DELIVERED'
  /** Gave up after the last attempt (or the endpoint was removed from the configuration). */
  | 'FAILED'
  /** Not delivered yet; the next attempt is due at nextAttemptAt. */
  | 'PENDING';

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type PlaceOrderInput = {
  /** The client's key: the same key and payload return the same order; another payload under it is INVALID_INPUT. */
  idempotencyKey: Scalars['String']['input'];
  lines: Array<OrderLineInput>;
  shipTo: AddressInput;
};

export type Product = {
  __typename?: 'Product';
  sku: Scalars['ID']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** The order with this id in the caller's tenant, or null. */
  order?: Maybe<Order>;
  /** Operators: outbound order webhook deliveries with every attempt, newest first; one tenant's, or every tenant's when tenant is omitted. `first` is 1..200. */
  orderWebhookDeliveries: Array<OrderWebhookDelivery>;
  /** The caller's orders, newest first. `first` is 1..200. */
  orders: OrderConnection;
  /**
   * Operators: orders that need a person, across tenants (one tenant's when given), most recently changed first: a line
   * no supplier would take, or a sub-order whose send went unanswered and waits. Cancelled orders are not listed.
   * `first` is 1..200.
   */
  ordersNeedingAttention: Array<OrderAttention>;
  /** How an order would be routed now, line by line, with the reason for each decision. Writes nothing. */
  previewOrderRouting: RoutingPreview;
};


export type QueryOrderArgs = {
  id: Scalars['ID']['input'];
};


export type QueryOrderWebhookDeliveriesArgs = {
  first?: Scalars['Int']['input'];
  state?: InputMaybe<OrderWebhookDeliveryState>;
  tenant?: InputMaybe<Scalars['String']['input']>;
};


export type QueryOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<OrderFilter>;
  first?: Scalars['Int']['input'];
};


export type QueryOrdersNeedingAttentionArgs = {
  first?: Scalars['Int']['input'];
  tenant?: InputMaybe<Scalars['String']['input']>;
};


export type QueryPreviewOrderRoutingArgs = {
  input: PlaceOrderInput;
};

export type ReturnRequest = {
  __typename?: 'ReturnRequest';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  lineNumber: Scalars['Int']['output'];
  quantity: Scalars['Int']['output'];
  reason: Scalars['String']['output'];
  status: Scalars['String']['output'];
};

export type RoutedPart = {
  __typename?: 'RoutedPart';
  quantity: Scalars['Int']['output'];
  reason: Scalars['String']['output'];
  supplier: Scalars['String']['output'];
  supplierSku: Scalars['String']['output'];
  unitCost?: Maybe<Money>;
};

export type RoutingPreview = {
  __typename?: 'RoutingPreview';
  lines: Array<LineRouting>;
  routable: Scalars['Boolean']['output'];
};

export type Shipment = {
  __typename?: 'Shipment';
  carrier: Scalars['String']['output'];
  lines: Array<ShipmentLine>;
  shippedAt?: Maybe<Scalars['DateTime']['output']>;
  supplier: Scalars['String']['output'];
  trackingNumber: Scalars['String']['output'];
};

export type ShipmentLine = {
  __typename?: 'ShipmentLine';
  lineNumber: Scalars['Int']['output'];
  quantity: Scalars['Int']['output'];
};

export type SubOrder = {
  __typename?: 'SubOrder';
  id: Scalars['ID']['output'];
  /** Sent as the supplier's natural idempotency key (customer order number, PO number, idempotency key). */
  idempotencyKey: Scalars['String']['output'];
  lastError?: Maybe<Scalars['String']['output']>;
  lines: Array<SubOrderLine>;
  /** The supplier's own status word. */
  rawStatus?: Maybe<Scalars['String']['output']>;
  state: SubOrderState;
  status?: Maybe<OrderStatus>;
  supplier: Scalars['String']['output'];
  supplierOrderId?: Maybe<Scalars['String']['output']>;
};

export type SubOrderLine = {
  __typename?: 'SubOrderLine';
  lineNumber: Scalars['Int']['output'];
  quantity: Scalars['Int']['output'];
  supplierSku: Scalars['String']['output'];
};

/** Where a sub-order is in placement: each state is stored before the effect that follows it. */
export type SubOrderState =
  | 'CANCELLED'
  | 'FAILED'
  | 'PLANNED'
  | 'RESERVED'
  | 'SUBMITTED'
  | 'SUBMITTING';

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Order: Order;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Order:
    ( { __typename: 'Order' }
    & GraphQLRecursivePick<FederationTypes['Order'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AddressInput: AddressInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Decimal: ResolverTypeWrapper<Scalars['Decimal']['output']>;
  LineAllocation: ResolverTypeWrapper<LineAllocationRecord>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  LineRouting: ResolverTypeWrapper<LineRouting>;
  Money: ResolverTypeWrapper<Money>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Order: ResolverTypeWrapper<OrderRecord>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  OrderAction: OrderAction;
  OrderAttention: ResolverTypeWrapper<Omit<OrderAttention, 'order'> & { order: ResolversTypes['Order'] }>;
  OrderConnection: ResolverTypeWrapper<Omit<OrderConnection, 'nodes'> & { nodes: Array<ResolversTypes['Order']> }>;
  OrderFilter: OrderFilter;
  OrderLine: ResolverTypeWrapper<OrderLineRecord>;
  OrderLineInput: OrderLineInput;
  OrderPlacement: ResolverTypeWrapper<OrderPlacement>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  OrderStatus: OrderStatus;
  OrderWebhookAttempt: ResolverTypeWrapper<OrderWebhookAttempt>;
  OrderWebhookDelivery: ResolverTypeWrapper<WebhookDeliveryRecord>;
  OrderWebhookDeliveryState: OrderWebhookDeliveryState;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PlaceOrderInput: PlaceOrderInput;
  Product: ResolverTypeWrapper<Product>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ReturnRequest: ResolverTypeWrapper<ReturnRequestRecord>;
  RoutedPart: ResolverTypeWrapper<RoutedPart>;
  RoutingPreview: ResolverTypeWrapper<RoutingPreviewRecord>;
  Shipment: ResolverTypeWrapper<ShipmentRecord>;
  ShipmentLine: ResolverTypeWrapper<ShipmentLine>;
  SubOrder: ResolverTypeWrapper<SubOrderRecord>;
  SubOrderLine: ResolverTypeWrapper<SubOrderLine>;
  SubOrderState: SubOrderState;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AddressInput: AddressInput;
  String: Scalars['String']['output'];
  DateTime: Scalars['DateTime']['output'];
  Decimal: Scalars['Decimal']['output'];
  LineAllocation: LineAllocationRecord;
  Int: Scalars['Int']['output'];
  ID: Scalars['ID']['output'];
  LineRouting: LineRouting;
  Money: Money;
  Mutation: Record<PropertyKey, never>;
  Order: OrderRecord;
  Float: Scalars['Float']['output'];
  OrderAttention: Omit<OrderAttention, 'order'> & { order: ResolversParentTypes['Order'] };
  OrderConnection: Omit<OrderConnection, 'nodes'> & { nodes: Array<ResolversParentTypes['Order']> };
  OrderFilter: OrderFilter;
  OrderLine: OrderLineRecord;
  OrderLineInput: OrderLineInput;
  OrderPlacement: OrderPlacement;
  Boolean: Scalars['Boolean']['output'];
  OrderWebhookAttempt: OrderWebhookAttempt;
  OrderWebhookDelivery: WebhookDeliveryRecord;
  PageInfo: PageInfo;
  PlaceOrderInput: PlaceOrderInput;
  Product: Product;
  Query: Record<PropertyKey, never>;
  ReturnRequest: ReturnRequestRecord;
  RoutedPart: RoutedPart;
  RoutingPreview: RoutingPreviewRecord;
  Shipment: ShipmentRecord;
  ShipmentLine: ShipmentLine;
  SubOrder: SubOrderRecord;
  SubOrderLine: SubOrderLine;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface DecimalScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Decimal'], any> {
  name: 'Decimal';
}

export type LineAllocationResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['LineAllocation'] = ResolversParentTypes['LineAllocation']> = ResolversObject<{
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  subOrderId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  supplier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  supplierSku?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  unitCost?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
}>;

export type LineRoutingResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['LineRouting'] = ResolversParentTypes['LineRouting']> = ResolversObject<{
  lineNumber?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  parts?: Resolver<Array<ResolversTypes['RoutedPart']>, ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  unallocated?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type MoneyResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  cancelOrder?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationCancelOrderArgs, 'id'>>;
  placeOrder?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationPlaceOrderArgs, 'input'>>;
  requestReturn?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationRequestReturnArgs, 'id' | 'lineNumber' | 'quantity' | 'reason'>>;
  rerouteOrder?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationRerouteOrderArgs, 'id' | 'tenant'>>;
  retryOrder?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationRetryOrderArgs, 'id' | 'tenant'>>;
}>;

export type OrderResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order'], FederationReferenceType extends FederationReferenceTypes['Order'] = FederationReferenceTypes['Order']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Order']> | FederationReferenceType, FederationReferenceType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  idempotencyKey?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  lines?: Resolver<Array<ResolversTypes['OrderLine']>, ParentType, ContextType>;
  placement?: Resolver<ResolversTypes['OrderPlacement'], ParentType, ContextType>;
  returns?: Resolver<Array<ResolversTypes['ReturnRequest']>, ParentType, ContextType>;
  shipments?: Resolver<Array<ResolversTypes['Shipment']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['OrderStatus'], ParentType, ContextType>;
  subOrders?: Resolver<Array<ResolversTypes['SubOrder']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type OrderAttentionResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['OrderAttention'] = ResolversParentTypes['OrderAttention']> = ResolversObject<{
  actions?: Resolver<Array<ResolversTypes['OrderAction']>, ParentType, ContextType>;
  order?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  since?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  tenant?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type OrderConnectionResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['OrderConnection'] = ResolversParentTypes['OrderConnection']> = ResolversObject<{
  nodes?: Resolver<Array<ResolversTypes['Order']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type OrderLineResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['OrderLine'] = ResolversParentTypes['OrderLine']> = ResolversObject<{
  allocations?: Resolver<Array<ResolversTypes['LineAllocation']>, ParentType, ContextType>;
  backorderedQuantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  lineNumber?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  needsAttention?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  shippedQuantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['OrderStatus'], ParentType, ContextType>;
  supplier?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  supplierSku?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  unitCost?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
}>;

export type OrderPlacementResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['OrderPlacement'] = ResolversParentTypes['OrderPlacement']> = ResolversObject<{
  inProgress?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  retryWithSameKeyIsSafe?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type OrderWebhookAttemptResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['OrderWebhookAttempt'] = ResolversParentTypes['OrderWebhookAttempt']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
}>;

export type OrderWebhookDeliveryResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['OrderWebhookDelivery'] = ResolversParentTypes['OrderWebhookDelivery']> = ResolversObject<{
  attempts?: Resolver<Array<ResolversTypes['OrderWebhookAttempt']>, ParentType, ContextType>;
  body?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  endpointId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  eventKey?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  eventType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  nextAttemptAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  state?: Resolver<ResolversTypes['OrderWebhookDeliveryState'], ParentType, ContextType>;
  tenant?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type PageInfoResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product']> = ResolversObject<{
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType, RequireFields<QueryOrderArgs, 'id'>>;
  orderWebhookDeliveries?: Resolver<Array<ResolversTypes['OrderWebhookDelivery']>, ParentType, ContextType, RequireFields<QueryOrderWebhookDeliveriesArgs, 'first'>>;
  orders?: Resolver<ResolversTypes['OrderConnection'], ParentType, ContextType, RequireFields<QueryOrdersArgs, 'first'>>;
  ordersNeedingAttention?: Resolver<Array<ResolversTypes['OrderAttention']>, ParentType, ContextType, RequireFields<QueryOrdersNeedingAttentionArgs, 'first'>>;
  previewOrderRouting?: Resolver<ResolversTypes['RoutingPreview'], ParentType, ContextType, RequireFields<QueryPreviewOrderRoutingArgs, 'input'>>;
}>;

export type ReturnRequestResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['ReturnRequest'] = ResolversParentTypes['ReturnRequest']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lineNumber?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type RoutedPartResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['RoutedPart'] = ResolversParentTypes['RoutedPart']> = ResolversObject<{
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  supplier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  supplierSku?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  unitCost?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
}>;

export type RoutingPreviewResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['RoutingPreview'] = ResolversParentTypes['RoutingPreview']> = ResolversObject<{
  lines?: Resolver<Array<ResolversTypes['LineRouting']>, ParentType, ContextType>;
  routable?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type ShipmentResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Shipment'] = ResolversParentTypes['Shipment']> = ResolversObject<{
  carrier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  lines?: Resolver<Array<ResolversTypes['ShipmentLine']>, ParentType, ContextType>;
  shippedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  supplier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  trackingNumber?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ShipmentLineResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['ShipmentLine'] = ResolversParentTypes['ShipmentLine']> = ResolversObject<{
  lineNumber?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type SubOrderResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['SubOrder'] = ResolversParentTypes['SubOrder']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  idempotencyKey?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lines?: Resolver<Array<ResolversTypes['SubOrderLine']>, ParentType, ContextType>;
  rawStatus?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  state?: Resolver<ResolversTypes['SubOrderState'], ParentType, ContextType>;
  status?: Resolver<Maybe<ResolversTypes['OrderStatus']>, ParentType, ContextType>;
  supplier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  supplierOrderId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type SubOrderLineResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['SubOrderLine'] = ResolversParentTypes['SubOrderLine']> = ResolversObject<{
  lineNumber?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  supplierSku?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = SubgraphContext> = ResolversObject<{
  DateTime?: GraphQLScalarType;
  Decimal?: GraphQLScalarType;
  LineAllocation?: LineAllocationResolvers<ContextType>;
  LineRouting?: LineRoutingResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  OrderAttention?: OrderAttentionResolvers<ContextType>;
  OrderConnection?: OrderConnectionResolvers<ContextType>;
  OrderLine?: OrderLineResolvers<ContextType>;
  OrderPlacement?: OrderPlacementResolvers<ContextType>;
  OrderWebhookAttempt?: OrderWebhookAttemptResolvers<ContextType>;
  OrderWebhookDelivery?: OrderWebhookDeliveryResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  ReturnRequest?: ReturnRequestResolvers<ContextType>;
  RoutedPart?: RoutedPartResolvers<ContextType>;
  RoutingPreview?: RoutingPreviewResolvers<ContextType>;
  Shipment?: ShipmentResolvers<ContextType>;
  ShipmentLine?: ShipmentLineResolvers<ContextType>;
  SubOrder?: SubOrderResolvers<ContextType>;
  SubOrderLine?: SubOrderLineResolvers<ContextType>;
}>;

