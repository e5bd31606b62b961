import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { OfferView } from '../offer-view.ts';
import type { SupplierContext } from '../context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
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

export type BreakerState =
  | 'CLOSED'
  | 'HALF_OPEN'
  | 'OPEN';

/** Brightline Distribution's live offer (REST supplier), read through its connector, batched and cached. */
export type BrightlineOffer = Offer & {
  __typename?: 'BrightlineOffer';
  /** The supplier's timestamp for these figures. */
  asOf?: Maybe<Scalars['DateTime']['output']>;
  available?: Maybe<Scalars['Int']['output']>;
  cost?: Maybe<Money>;
  /** supplier slug + ':' + supplier SKU */
  id: Scalars['ID']['output'];
  /** Stock the supplier expects, summed per date, earliest first; not part of available. Null when the supplier announces none (or tells nothing of future stock), or could not answer. */
  incoming?: Maybe<Array<IncomingStock>>;
  /** Cost plus known shipping in the store currency, with the exchange rate and its date (docs/storefront.md Prices); null when the cost is unknown or its currency has no configured rate. */
  landedCost?: Maybe<LandedCost>;
  leadTimeDays?: Maybe<Scalars['Int']['output']>;
  /** True when the supplier could not answer now and these are its last known figures (see asOf); null only when the supplier's subgraph did not answer. */
  stale?: Maybe<Scalars['Boolean']['output']>;
  status?: Maybe<StockStatus>;
  /** Null only when the supplier's subgraph did not answer (an error names it). */
  supplier?: Maybe<Supplier>;
  /** Null only when the supplier's subgraph did not answer (an error names it). */
  supplierSku?: Maybe<Scalars['String']['output']>;
};

/** How Brightline Distribution is doing, for operators. */
export type BrightlineStatus = SupplierStatus & {
  __typename?: 'BrightlineStatus';
  /** The worst of the service groups' circuit breakers. */
  breakerState: BreakerState;
  displayName: Scalars['String']['output'];
  /** Share (0..1) of the calls sent to the supplier in the last 5 minutes that failed; null without calls. Calls our own breaker or limiter held back are not counted. */
  errorRate?: Maybe<Scalars['Float']['output']>;
  /** Per service group (catalog and prices, stock, orders): each has its own circuit breaker, so one failing service does not block the others. */
  groups: Array<SupplierGroupStatus>;
  /** HEALTHY; DEGRADED (a service group's circuit open or half-open, or an error in the last minute); DOWN (every group's circuit open). */
  health: SupplierHealth;
  /** The last error of a call to this supplier, as CODE (class) operation, or null. */
  lastError?: Maybe<Scalars['String']['output']>;
  lastErrorAt?: Maybe<Scalars['DateTime']['output']>;
  /** The supplier's own code for the last error (HTTP status and its error code, SOAP fault code, PromoStandards ServiceMessage code, GraphQL error code), or null when it gave none (a timeout, an unreachable host). */
  lastErrorSupplierCode?: Maybe<Scalars['String']['output']>;
  /** Supplier slug, e.g. brightline. */
  name: Scalars['String']['output'];
  /** 95th percentile of the supplier's answer time over the last 5 minutes, in ms, as seen by the process serving this status; null without calls. */
  p95LatencyMs?: Maybe<Scalars['Float']['output']>;
  /** Tokens left in the supplier's most constrained rate-limit bucket (calls, or cost points), shared by all processes. */
  quotaRemaining?: Maybe<Scalars['Float']['output']>;
  quotas: Array<SupplierQuota>;
  /** Calls sent per minute over the last 15 minutes, oldest first, with their failures and p95 answer time (for charts). */
  recentCalls: Array<SupplierCallMinute>;
};

/** Stock a supplier expects to have: its quantity and when (PromoStandards FutureAvailability). */
export type IncomingStock = {
  __typename?: 'IncomingStock';
  /** When the supplier expects it to be available to sell. */
  availableOn: Scalars['DateTime']['output'];
  quantity: Scalars['Int']['output'];
};

/** Cost plus known shipping, converted to the store currency at the configured rate of the given date. */
export type LandedCost = {
  __typename?: 'LandedCost';
  amount: Scalars['Decimal']['output'];
  /** ISO 4217: the store currency. */
  currency: Scalars['String']['output'];
  /** Units of store currency for one unit of the cost's currency; 1 when it is the store currency. */
  fxRate: Scalars['Decimal']['output'];
  /** The date of the configured exchange rates (YYYY-MM-DD); null when no conversion was needed. */
  fxRateDate?: Maybe<Scalars['String']['output']>;
  /** Flat shipping to us (ORDER_ROUTING_POLICY shippingCost) in the cost's currency; null when not known. */
  shipping?: Maybe<Money>;
  /** The supplier's unit cost as it gave it. */
  unitCost: Money;
};

export type Money = {
  __typename?: 'Money';
  amount: Scalars['Decimal']['output'];
  currency: Scalars['String']['output'];
};

export type Offer = {
  /** The supplier's timestamp for these figures. */
  asOf?: Maybe<Scalars['DateTime']['output']>;
  available?: Maybe<Scalars['Int']['output']>;
  cost?: Maybe<Money>;
  /** supplier slug + ':' + supplier SKU */
  id: Scalars['ID']['output'];
  /** Cost plus known shipping in the store currency, with the exchange rate and its date (docs/storefront.md Prices); null when the cost is unknown or its currency has no configured rate. */
  landedCost?: Maybe<LandedCost>;
  leadTimeDays?: Maybe<Scalars['Int']['output']>;
  /** True when the supplier could not answer now and these are its last known figures (see asOf); null only when the supplier's subgraph did not answer. */
  stale?: Maybe<Scalars['Boolean']['output']>;
  status?: Maybe<StockStatus>;
  /** Null only when the supplier's subgraph did not answer (an error names it). */
  supplier?: Maybe<Supplier>;
  /** Null only when the supplier's subgraph did not answer (an error names it). */
  supplierSku?: Maybe<Scalars['String']['output']>;
};

export type Query = {
  __typename?: 'Query';
  /** The live offer for one of Brightline Distribution's SKUs (bypasses the catalog). */
  brightlineOffer?: Maybe<BrightlineOffer>;
};


export type QueryBrightlineOfferArgs = {
  supplierSku: Scalars['String']['input'];
};

export type StockStatus =
  | 'BACKORDERED'
  | 'DISCONTINUED'
  | 'IN_STOCK'
  | 'LOW_STOCK'
  | 'OUT_OF_STOCK'
  | 'UNLISTED';

export type Supplier = {
  __typename?: 'Supplier';
  displayName: Scalars['String']['output'];
  name: Scalars['String']['output'];
  protocol: SupplierProtocol;
};

/** One minute of calls to a supplier from the process serving its status. */
export type SupplierCallMinute = {
  __typename?: 'SupplierCallMinute';
  /** Start of the minute. */
  at: Scalars['DateTime']['output'];
  calls: Scalars['Int']['output'];
  errors: Scalars['Int']['output'];
  p95LatencyMs?: Maybe<Scalars['Float']['output']>;
};

export type SupplierGroupStatus = {
  __typename?: 'SupplierGroupStatus';
  breakerState: BreakerState;
  group: SupplierServiceGroup;
  /** DOWN when the group's circuit is open; DEGRADED when half-open or after an error of the group in the last minute. */
  health: SupplierHealth;
  /** The group's last error, as CODE (class) operation, or null. */
  lastError?: Maybe<Scalars['String']['output']>;
};

export type SupplierHealth =
  | 'DEGRADED'
  | 'DOWN'
  | 'HEALTHY';

export type SupplierProtocol =
  | 'GRAPHQL'
  | 'REST'
  | 'SOAP';

export type SupplierQuota = {
  __typename?: 'SupplierQuota';
  bucket: Scalars['String']['output'];
  remaining: Scalars['Float']['output'];
};

export type SupplierServiceGroup =
  | 'CATALOG'
  | 'ORDERS'
  | 'STOCK';

export type SupplierStatus = {
  /** The worst of the service groups' circuit breakers. */
  breakerState: BreakerState;
  displayName: Scalars['String']['output'];
  /** Share (0..1) of the calls sent to the supplier in the last 5 minutes that failed; null without calls. Calls our own breaker or limiter held back are not counted. */
  errorRate?: Maybe<Scalars['Float']['output']>;
  /** Per service group (catalog and prices, stock, orders): each has its own circuit breaker, so one failing service does not block the others. */
  groups: Array<SupplierGroupStatus>;
  /** HEALTHY; DEGRADED (a service group's circuit open or half-open, or an error in the last minute); DOWN (every group's circuit open). */
  health: SupplierHealth;
  /** The last error of a call to this supplier, as CODE (class) operation, or null. */
  lastError?: Maybe<Scalars['String']['output']>;
  lastErrorAt?: Maybe<Scalars['DateTime']['output']>;
  /** The supplier's own code for the last error (HTTP status and its error code, SOAP fault code, PromoStandards ServiceMessage code, GraphQL error code), or null when it gave none (a timeout, an unreachable host). */
  lastErrorSupplierCode?: Maybe<Scalars['String']['output']>;
  /** Supplier slug, e.g. brightline. */
  name: Scalars['String']['output'];
  /** 95th percentile of the supplier's answer time over the last 5 minutes, in ms, as seen by the process serving this status; null without calls. */
  p95LatencyMs?: Maybe<Scalars['Float']['output']>;
  /** Tokens left in the supplier's most constrained rate-limit bucket (calls, or cost points), shared by all processes. */
  quotaRemaining?: Maybe<Scalars['Float']['output']>;
  quotas: Array<SupplierQuota>;
  /** Calls sent per minute over the last 15 minutes, oldest first, with their failures and p95 answer time (for charts). */
  recentCalls: Array<SupplierCallMinute>;
};

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
  BrightlineOffer: BrightlineOffer;
  BrightlineStatus: BrightlineStatus;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  BrightlineOffer:
    ( { __typename: 'BrightlineOffer' }
    & GraphQLRecursivePick<FederationTypes['BrightlineOffer'], {"id":true}> );
  BrightlineStatus:
    ( { __typename: 'BrightlineStatus' }
    & GraphQLRecursivePick<FederationTypes['BrightlineStatus'], {"name":true}> );
}>;


/** Mapping of interface types */
export type ResolversInterfaceTypes<_RefType extends Record<string, unknown>> = ResolversObject<{
  Offer: ( OfferView );
  SupplierStatus: ( BrightlineStatus );
}>;

/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  BreakerState: BreakerState;
  BrightlineOffer: ResolverTypeWrapper<OfferView>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  BrightlineStatus: ResolverTypeWrapper<BrightlineStatus>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Decimal: ResolverTypeWrapper<Scalars['Decimal']['output']>;
  IncomingStock: ResolverTypeWrapper<IncomingStock>;
  LandedCost: ResolverTypeWrapper<LandedCost>;
  Money: ResolverTypeWrapper<Money>;
  Offer: ResolverTypeWrapper<OfferView>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  StockStatus: StockStatus;
  Supplier: ResolverTypeWrapper<Supplier>;
  SupplierCallMinute: ResolverTypeWrapper<SupplierCallMinute>;
  SupplierGroupStatus: ResolverTypeWrapper<SupplierGroupStatus>;
  SupplierHealth: SupplierHealth;
  SupplierProtocol: SupplierProtocol;
  SupplierQuota: ResolverTypeWrapper<SupplierQuota>;
  SupplierServiceGroup: SupplierServiceGroup;
  SupplierStatus: ResolverTypeWrapper<ResolversInterfaceTypes<ResolversTypes>['SupplierStatus']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  BrightlineOffer: OfferView;
  Int: Scalars['Int']['output'];
  ID: Scalars['ID']['output'];
  Boolean: Scalars['Boolean']['output'];
  String: Scalars['String']['output'];
  BrightlineStatus: BrightlineStatus | FederationReferenceTypes['BrightlineStatus'];
  Float: Scalars['Float']['output'];
  DateTime: Scalars['DateTime']['output'];
  Decimal: Scalars['Decimal']['output'];
  IncomingStock: IncomingStock;
  LandedCost: LandedCost;
  Money: Money;
  Offer: OfferView;
  Query: Record<PropertyKey, never>;
  Supplier: Supplier;
  SupplierCallMinute: SupplierCallMinute;
  SupplierGroupStatus: SupplierGroupStatus;
  SupplierQuota: SupplierQuota;
  SupplierStatus: ResolversInterfaceTypes<ResolversParentTypes>['SupplierStatus'];
}>;

export type BrightlineOfferResolvers<ContextType = SupplierContext, ParentType extends ResolversParentTypes['BrightlineOffer'] = ResolversParentTypes['BrightlineOffer'], FederationReferenceType extends FederationReferenceTypes['BrightlineOffer'] = FederationReferenceTypes['BrightlineOffer']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['BrightlineOffer']> | FederationReferenceType, FederationReferenceType, ContextType>;
  asOf?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  available?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  cost?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  incoming?: Resolver<Maybe<Array<ResolversTypes['IncomingStock']>>, ParentType, ContextType>;
  landedCost?: Resolver<Maybe<ResolversTypes['LandedCost']>, ParentType, ContextType>;
  leadTimeDays?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  stale?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  status?: Resolver<Maybe<ResolversTypes['StockStatus']>, ParentType, ContextType>;
  supplier?: Resolver<Maybe<ResolversTypes['Supplier']>, ParentType, ContextType>;
  supplierSku?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type BrightlineStatusResolvers<ContextType = SupplierContext, ParentType extends ResolversParentTypes['BrightlineStatus'] = ResolversParentTypes['BrightlineStatus'], FederationReferenceType extends FederationReferenceTypes['BrightlineStatus'] = FederationReferenceTypes['BrightlineStatus']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['BrightlineStatus']> | FederationReferenceType, FederationReferenceType, ContextType>;
  breakerState?: Resolver<ResolversTypes['BreakerState'], ParentType, ContextType>;
  displayName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  errorRate?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  groups?: Resolver<Array<ResolversTypes['SupplierGroupStatus']>, ParentType, ContextType>;
  health?: Resolver<ResolversTypes['SupplierHealth'], ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastErrorAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  lastErrorSupplierCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  p95LatencyMs?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  quotaRemaining?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  quotas?: Resolver<Array<ResolversTypes['SupplierQuota']>, ParentType, ContextType>;
  recentCalls?: Resolver<Array<ResolversTypes['SupplierCallMinute']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface DecimalScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Decimal'], any> {
  name: 'Decimal';
}

export type IncomingStockResolvers<ContextType = SupplierContext, ParentType extends ResolversParentTypes['IncomingStock'] = ResolversParentTypes['IncomingStock']> = ResolversObject<{
  availableOn?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type LandedCostResolvers<ContextType = SupplierContext, ParentType extends ResolversParentTypes['LandedCost'] = ResolversParentTypes['LandedCost']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  fxRate?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  fxRateDate?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  shipping?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  unitCost?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
}>;

export type MoneyResolvers<ContextType = SupplierContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type OfferResolvers<ContextType = SupplierContext, ParentType extends ResolversParentTypes['Offer'] = ResolversParentTypes['Offer']> = ResolversObject<{
  __resolveType: TypeResolveFn<'BrightlineOffer', ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = SupplierContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  brightlineOffer?: Resolver<Maybe<ResolversTypes['BrightlineOffer']>, ParentType, ContextType, RequireFields<QueryBrightlineOfferArgs, 'supplierSku'>>;
}>;

export type SupplierResolvers<ContextType = SupplierContext, ParentType extends ResolversParentTypes['Supplier'] = ResolversParentTypes['Supplier']> = ResolversObject<{
  displayName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  protocol?: Resolver<ResolversTypes['SupplierProtocol'], ParentType, ContextType>;
}>;

export type SupplierCallMinuteResolvers<ContextType = SupplierContext, ParentType extends ResolversParentTypes['SupplierCallMinute'] = ResolversParentTypes['SupplierCallMinute']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  calls?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  errors?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  p95LatencyMs?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
}>;

export type SupplierGroupStatusResolvers<ContextType = SupplierContext, ParentType extends ResolversParentTypes['SupplierGroupStatus'] = ResolversParentTypes['SupplierGroupStatus']> = ResolversObject<{
  breakerState?: Resolver<ResolversTypes['BreakerState'], ParentType, ContextType>;
  group?: Resolver<ResolversTypes['SupplierServiceGroup'], ParentType, ContextType>;
  health?: Resolver<ResolversTypes['SupplierHealth'], ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type SupplierQuotaResolvers<ContextType = SupplierContext, ParentType extends ResolversParentTypes['SupplierQuota'] = ResolversParentTypes['SupplierQuota']> = ResolversObject<{
  bucket?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  remaining?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type SupplierStatusResolvers<ContextType = SupplierContext, ParentType extends ResolversParentTypes['SupplierStatus'] = ResolversParentTypes['SupplierStatus']> = ResolversObject<{
  __resolveType: TypeResolveFn<'BrightlineStatus', ParentType, ContextType>;
}>;

export type Resolvers<ContextType = SupplierContext> = ResolversObject<{
  BrightlineOffer?: BrightlineOfferResolvers<ContextType>;
  BrightlineStatus?: BrightlineStatusResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Decimal?: GraphQLScalarType;
  IncomingStock?: IncomingStockResolvers<ContextType>;
  LandedCost?: LandedCostResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Offer?: OfferResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Supplier?: SupplierResolvers<ContextType>;
  SupplierCallMinute?: SupplierCallMinuteResolvers<ContextType>;
  SupplierGroupStatus?: SupplierGroupStatusResolvers<ContextType>;
  SupplierQuota?: SupplierQuotaResolvers<ContextType>;
  SupplierStatus?: SupplierStatusResolvers<ContextType>;
}>;

