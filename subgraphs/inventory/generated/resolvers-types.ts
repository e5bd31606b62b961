import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ProductRef, StockRows } from '../product-ref.ts';
import type { StockRecord } from '../../../platform/ports/stock-store.ts';
import type { SubgraphContext } from '../../context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  DateTime: { input: string; output: string; }
  /** A decimal number as a string, e.g. "12.50": prices never travel as floats. */
  Decimal: { input: string; output: string; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type BrightlineOffer = Offer & {
  __typename?: 'BrightlineOffer';
  asOf?: Maybe<Scalars['DateTime']['output']>;
  available?: Maybe<Scalars['Int']['output']>;
  cost?: Maybe<Money>;
  id: Scalars['ID']['output'];
  leadTimeDays?: Maybe<Scalars['Int']['output']>;
  status?: Maybe<StockStatus>;
  supplier: Supplier;
  supplierSku: Scalars['String']['output'];
};

export type HarborpromoOffer = Offer & {
  __typename?: 'HarborpromoOffer';
  asOf?: Maybe<Scalars['DateTime']['output']>;
  available?: Maybe<Scalars['Int']['output']>;
  cost?: Maybe<Money>;
  id: Scalars['ID']['output'];
  leadTimeDays?: Maybe<Scalars['Int']['output']>;
  status?: Maybe<StockStatus>;
  supplier: Supplier;
  supplierSku: Scalars['String']['output'];
};

export type MaplecartOffer = Offer & {
  __typename?: 'MaplecartOffer';
  asOf?: Maybe<Scalars['DateTime']['output']>;
  available?: Maybe<Scalars['Int']['output']>;
  cost?: Maybe<Money>;
  id: Scalars['ID']['output'];
  leadTimeDays?: Maybe<Scalars['Int']['output']>;
  status?: Maybe<StockStatus>;
  supplier: Supplier;
  supplierSku: Scalars['String']['output'];
};

export type Money = {
  __typename?: 'Money';
  amount: Scalars['Decimal']['output'];
  /** ISO 4217 code. */
  currency: Scalars['String']['output'];
};

/** A supplier's live offer for a product. Fields are null, with an error naming the supplier, when it cannot be reached. */
export type Offer = {
  /** The supplier's timestamp for these figures. */
  asOf?: Maybe<Scalars['DateTime']['output']>;
  available?: Maybe<Scalars['Int']['output']>;
  cost?: Maybe<Money>;
  /** supplier slug + ':' + supplier SKU */
  id: Scalars['ID']['output'];
  leadTimeDays?: Maybe<Scalars['Int']['output']>;
  status?: Maybe<StockStatus>;
  supplier: Supplier;
  supplierSku: Scalars['String']['output'];
};

export type Product = {
  __typename?: 'Product';
  /**
   * One live offer per supplier that carries this product. Each offer's concrete type belongs to its supplier
   * and is resolved by that supplier's subgraph, batched per supplier.
   */
  offers: Array<Offer>;
  sku: Scalars['ID']['output'];
  /** Canonical stock, summed over suppliers, from our own records (not a live supplier call). */
  stock: StockSummary;
};

export type StockStatus =
  | 'BACKORDERED'
  | 'DISCONTINUED'
  | 'IN_STOCK'
  | 'LOW_STOCK'
  | 'OUT_OF_STOCK'
  /** The supplier no longer lists this SKU. */
  | 'UNLISTED';

export type StockSummary = {
  __typename?: 'StockSummary';
  /** Sellable units over all suppliers: Σ max(0, onHand − reserved − committed − buffer). */
  available: Scalars['Int']['output'];
  bySupplier: Array<SupplierStockLevel>;
  committed: Scalars['Int']['output'];
  onHand: Scalars['Int']['output'];
  reserved: Scalars['Int']['output'];
};

export type Supplier = {
  __typename?: 'Supplier';
  displayName: Scalars['String']['output'];
  /** Supplier slug, e.g. brightline. */
  name: Scalars['String']['output'];
  protocol: SupplierProtocol;
};

export type SupplierProtocol =
  | 'GRAPHQL'
  | 'REST'
  | 'SOAP';

export type SupplierStockLevel = {
  __typename?: 'SupplierStockLevel';
  /** The supplier's timestamp of the figure. */
  asOf: Scalars['DateTime']['output'];
  available: Scalars['Int']['output'];
  buffer: Scalars['Int']['output'];
  committed: Scalars['Int']['output'];
  onHand: Scalars['Int']['output'];
  /** When we accepted it. */
  receivedAt: Scalars['DateTime']['output'];
  reserved: Scalars['Int']['output'];
  supplier: Scalars['String']['output'];
  supplierSku: Scalars['String']['output'];
  version: Scalars['Int']['output'];
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
  Product: Product;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Product:
    ( { __typename: 'Product' }
    & GraphQLRecursivePick<FederationTypes['Product'], {"sku":true}> );
}>;


/** Mapping of interface types */
export type ResolversInterfaceTypes<_RefType extends Record<string, unknown>> = ResolversObject<{
  Offer:
    | ( BrightlineOffer )
    | ( HarborpromoOffer )
    | ( MaplecartOffer )
  ;
}>;

/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  BrightlineOffer: ResolverTypeWrapper<BrightlineOffer>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Decimal: ResolverTypeWrapper<Scalars['Decimal']['output']>;
  HarborpromoOffer: ResolverTypeWrapper<HarborpromoOffer>;
  MaplecartOffer: ResolverTypeWrapper<MaplecartOffer>;
  Money: ResolverTypeWrapper<Money>;
  Offer: ResolverTypeWrapper<ResolversInterfaceTypes<ResolversTypes>['Offer']>;
  Product: ResolverTypeWrapper<ProductRef>;
  StockStatus: StockStatus;
  StockSummary: ResolverTypeWrapper<StockRows>;
  Supplier: ResolverTypeWrapper<Supplier>;
  SupplierProtocol: SupplierProtocol;
  SupplierStockLevel: ResolverTypeWrapper<StockRecord>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  BrightlineOffer: BrightlineOffer;
  Int: Scalars['Int']['output'];
  ID: Scalars['ID']['output'];
  String: Scalars['String']['output'];
  DateTime: Scalars['DateTime']['output'];
  Decimal: Scalars['Decimal']['output'];
  HarborpromoOffer: HarborpromoOffer;
  MaplecartOffer: MaplecartOffer;
  Money: Money;
  Offer: ResolversInterfaceTypes<ResolversParentTypes>['Offer'];
  Product: ProductRef;
  StockSummary: StockRows;
  Supplier: Supplier;
  SupplierStockLevel: StockRecord;
  Boolean: Scalars['Boolean']['output'];
}>;

export type BrightlineOfferResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['BrightlineOffer'] = ResolversParentTypes['BrightlineOffer']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface DecimalScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Decimal'], any> {
  name: 'Decimal';
}

export type HarborpromoOfferResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['HarborpromoOffer'] = ResolversParentTypes['HarborpromoOffer']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type MaplecartOfferResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['MaplecartOffer'] = ResolversParentTypes['MaplecartOffer']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type MoneyResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type OfferResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Offer'] = ResolversParentTypes['Offer']> = ResolversObject<{
  __resolveType: TypeResolveFn<'BrightlineOffer' | 'HarborpromoOffer' | 'MaplecartOffer', ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  offers?: Resolver<Array<ResolversTypes['Offer']>, ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  stock?: Resolver<ResolversTypes['StockSummary'], ParentType, ContextType>;
}>;

export type StockSummaryResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['StockSummary'] = ResolversParentTypes['StockSummary']> = ResolversObject<{
  available?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  bySupplier?: Resolver<Array<ResolversTypes['SupplierStockLevel']>, ParentType, ContextType>;
  committed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  onHand?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reserved?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type SupplierResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Supplier'] = ResolversParentTypes['Supplier']> = ResolversObject<{
  displayName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  protocol?: Resolver<ResolversTypes['SupplierProtocol'], ParentType, ContextType>;
}>;

export type SupplierStockLevelResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['SupplierStockLevel'] = ResolversParentTypes['SupplierStockLevel']> = ResolversObject<{
  asOf?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  available?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  buffer?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  committed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  onHand?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  reserved?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  supplier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  supplierSku?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = SubgraphContext> = ResolversObject<{
  BrightlineOffer?: BrightlineOfferResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Decimal?: GraphQLScalarType;
  HarborpromoOffer?: HarborpromoOfferResolvers<ContextType>;
  MaplecartOffer?: MaplecartOfferResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Offer?: OfferResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  StockSummary?: StockSummaryResolvers<ContextType>;
  Supplier?: SupplierResolvers<ContextType>;
  SupplierStockLevel?: SupplierStockLevelResolvers<ContextType>;
}>;

