import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ProductKey } from '../resolvers.ts';
import type { ProductPrice } from '../price-service.ts';
import type { ListedRule } from '../rule-source.ts';
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
  /** A decimal number as a string, e.g. "12.50": prices never travel as floats. */
  Decimal: { input: string; output: string; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type BreakerState =
  | 'CLOSED'
  | 'HALF_OPEN'
  | 'OPEN';

export type BrightlineOffer = Offer & {
  __typename?: 'BrightlineOffer';
  asOf?: Maybe<Scalars['DateTime']['output']>;
  available?: Maybe<Scalars['Int']['output']>;
  cost?: Maybe<Money>;
  id: Scalars['ID']['output'];
  landedCost?: Maybe<LandedCost>;
  leadTimeDays?: Maybe<Scalars['Int']['output']>;
  stale?: Maybe<Scalars['Boolean']['output']>;
  status?: Maybe<StockStatus>;
  supplier?: Maybe<Supplier>;
  supplierSku?: Maybe<Scalars['String']['output']>;
};

export type BrightlineStatus = SupplierStatus & {
  __typename?: 'BrightlineStatus';
  breakerState: BreakerState;
  displayName: Scalars['String']['output'];
  errorRate?: Maybe<Scalars['Float']['output']>;
  groups: Array<SupplierGroupStatus>;
  health: SupplierHealth;
  lastError?: Maybe<Scalars['String']['output']>;
  lastErrorAt?: Maybe<Scalars['DateTime']['output']>;
  lastErrorSupplierCode?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  p95LatencyMs?: Maybe<Scalars['Float']['output']>;
  quotaRemaining?: Maybe<Scalars['Float']['output']>;
  quotas: Array<SupplierQuota>;
  recentCalls: Array<SupplierCallMinute>;
};

export type DiscrepancyResolution =
  /** Recorded only: the difference is under the configured threshold. */
  | 'BELOW_THRESHOLD'
  /** Not corrected: a newer figure arrived between the comparison and the correction, and wins. */
  | 'CHANGED_MEANWHILE'
  /** Replaced with the supplier's figure. */
  | 'CORRECTED'
  /** Recorded only: the run was asked not to correct anything. */
  | 'REPORT_ONLY';

export type FxRate = {
  __typename?: 'FxRate';
  currency: Scalars['String']['output'];
  /** Units of store currency for one unit of `currency`. */
  rate: Scalars['Decimal']['output'];
};

export type HarborpromoOffer = Offer & {
  __typename?: 'HarborpromoOffer';
  asOf?: Maybe<Scalars['DateTime']['output']>;
  available?: Maybe<Scalars['Int']['output']>;
  cost?: Maybe<Money>;
  id: Scalars['ID']['output'];
  landedCost?: Maybe<LandedCost>;
  leadTimeDays?: Maybe<Scalars['Int']['output']>;
  stale?: Maybe<Scalars['Boolean']['output']>;
  status?: Maybe<StockStatus>;
  supplier?: Maybe<Supplier>;
  supplierSku?: Maybe<Scalars['String']['output']>;
};

export type HarborpromoStatus = SupplierStatus & {
  __typename?: 'HarborpromoStatus';
  breakerState: BreakerState;
  displayName: Scalars['String']['output'];
  errorRate?: Maybe<Scalars['Float']['output']>;
  groups: Array<SupplierGroupStatus>;
  health: SupplierHealth;
  lastError?: Maybe<Scalars['String']['output']>;
  lastErrorAt?: Maybe<Scalars['DateTime']['output']>;
  lastErrorSupplierCode?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  p95LatencyMs?: Maybe<Scalars['Float']['output']>;
  quotaRemaining?: Maybe<Scalars['Float']['output']>;
  quotas: Array<SupplierQuota>;
  recentCalls: Array<SupplierCallMinute>;
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

export type MaplecartOffer = Offer & {
  __typename?: 'MaplecartOffer';
  asOf?: Maybe<Scalars['DateTime']['output']>;
  available?: Maybe<Scalars['Int']['output']>;
  cost?: Maybe<Money>;
  id: Scalars['ID']['output'];
  landedCost?: Maybe<LandedCost>;
  leadTimeDays?: Maybe<Scalars['Int']['output']>;
  stale?: Maybe<Scalars['Boolean']['output']>;
  status?: Maybe<StockStatus>;
  supplier?: Maybe<Supplier>;
  supplierSku?: Maybe<Scalars['String']['output']>;
};

export type MaplecartStatus = SupplierStatus & {
  __typename?: 'MaplecartStatus';
  breakerState: BreakerState;
  displayName: Scalars['String']['output'];
  errorRate?: Maybe<Scalars['Float']['output']>;
  groups: Array<SupplierGroupStatus>;
  health: SupplierHealth;
  lastError?: Maybe<Scalars['String']['output']>;
  lastErrorAt?: Maybe<Scalars['DateTime']['output']>;
  lastErrorSupplierCode?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  p95LatencyMs?: Maybe<Scalars['Float']['output']>;
  quotaRemaining?: Maybe<Scalars['Float']['output']>;
  quotas: Array<SupplierQuota>;
  recentCalls: Array<SupplierCallMinute>;
};

export type Money = {
  __typename?: 'Money';
  amount: Scalars['Decimal']['output'];
  /** ISO 4217 code. */
  currency: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Moves the units from reserved to committed, for an order. Idempotent; RESERVATION_NOT_HELD unless held. */
  commitReservation: Reservation;
  /** Deletes the graph's rule of (scope, key) (a configured one of the same scope and key applies again); false when none. */
  deletePricingRule: Scalars['Boolean']['output'];
  /** Returns the units. Idempotent; RESERVATION_NOT_HELD once committed. */
  releaseReservation: Reservation;
  /**
   * Holds every item for ttlSeconds, or none. Errors: OUT_OF_STOCK (details name the item and what is available),
   * NOT_FOUND (no stock figure for an item), INVALID_INPUT.
   */
  reserveStock: Reservation;
  /**
   * Creates or replaces the rule of (scope, key); the next query in any process prices with it. Errors: INVALID_INPUT
   * (details name the field).
   */
  setPricingRule: PricingRule;
};


export type MutationCommitReservationArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeletePricingRuleArgs = {
  key?: InputMaybe<Scalars['String']['input']>;
  scope: PricingRuleScope;
};


export type MutationReleaseReservationArgs = {
  id: Scalars['ID']['input'];
};


export type MutationReserveStockArgs = {
  input: ReserveStockInput;
};


export type MutationSetPricingRuleArgs = {
  input: PricingRuleInput;
};

/** A supplier's live offer for a product. Fields are null, with an error naming the supplier, when it cannot be reached and nothing is known. */
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

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/**
 * A pricing rule. Precedence: PRODUCT > CATEGORY > BRAND > SUPPLIER > DEFAULT; the markup (percent and fixed
 * together), the minimum margin and the rounding each come from the most specific matching rule that sets them.
 */
export type PricingRule = {
  __typename?: 'PricingRule';
  /** `<scope>:<key>` (key lower-cased for brand and category). */
  id: Scalars['ID']['output'];
  /** Canonical SKU, category, brand or supplier slug; empty for DEFAULT. */
  key: Scalars['String']['output'];
  /** In the store currency, added after the percentage. */
  markupFixed?: Maybe<Scalars['Decimal']['output']>;
  markupPercent?: Maybe<Scalars['Decimal']['output']>;
  minMarginPercent?: Maybe<Scalars['Decimal']['output']>;
  /** The ending prices are rounded up to, e.g. 0.99. */
  rounding?: Maybe<Scalars['Decimal']['output']>;
  scope: PricingRuleScope;
  source: PricingRuleSource;
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The token that changed it last. */
  updatedBy?: Maybe<Scalars['String']['output']>;
};

export type PricingRuleInput = {
  /** Required except for DEFAULT. */
  key?: InputMaybe<Scalars['String']['input']>;
  markupFixed?: InputMaybe<Scalars['Decimal']['input']>;
  markupPercent?: InputMaybe<Scalars['Decimal']['input']>;
  /** 0 ≤ m < 100. */
  minMarginPercent?: InputMaybe<Scalars['Decimal']['input']>;
  /** An ending below 1 with at most two decimals, e.g. 0.99. */
  rounding?: InputMaybe<Scalars['Decimal']['input']>;
  scope: PricingRuleScope;
};

export type PricingRuleScope =
  | 'BRAND'
  | 'CATEGORY'
  | 'DEFAULT'
  | 'PRODUCT'
  | 'SUPPLIER';

export type PricingRuleSource =
  /** PRICING_RULES */
  | 'CONFIGURATION'
  /** setPricingRule; replaces a configured rule of the same scope and key */
  | 'GRAPH';

export type PricingSettings = {
  __typename?: 'PricingSettings';
  /** The date of the configured rates. */
  fxRateDate: Scalars['String']['output'];
  fxRates: Array<FxRate>;
  rules: Array<PricingRule>;
  storeCurrency: Scalars['String']['output'];
};

export type Product = {
  __typename?: 'Product';
  /** The offer routing would pick now for one unit (the one `price` comes from); null like `price`. */
  bestOffer?: Maybe<Offer>;
  /**
   * One live offer per supplier that carries this product. Each offer's concrete type belongs to its supplier
   * and is resolved by that supplier's subgraph, batched per supplier.
   */
  offers: Array<Offer>;
  /**
   * What a shopper pays, in the store currency: the sell price of the offer routing would pick now for one unit,
   * from the pricing rules, computed from the canonical stock and the offer cache (no live supplier call). Null when
   * no offer of the product has a known cost yet (nothing cached) or its currency has no configured rate.
   */
  price?: Maybe<SellPrice>;
  sku: Scalars['ID']['output'];
  /** Canonical stock, summed over suppliers, from our own records (not a live supplier call). */
  stock: StockSummary;
};

export type Query = {
  __typename?: 'Query';
  /** The store currency, the exchange rates and every pricing rule with its source. */
  pricing: PricingSettings;
  /** Reconciliation runs, newest first. `first` is 1..100. */
  reconciliationRuns: Array<ReconciliationRun>;
  /** The reservation with this id in the caller's tenant, or null. */
  reservation?: Maybe<Reservation>;
  /** Discrepancies of one run (the latest when `runId` is omitted), ordered by supplier then SKU. `first` is 1..500. */
  stockDiscrepancies: StockDiscrepancyConnection;
  /** Every registered supplier's health, circuit breaker, quota and last error. */
  suppliers: Array<SupplierStatus>;
};


export type QueryReconciliationRunsArgs = {
  first?: Scalars['Int']['input'];
};


export type QueryReservationArgs = {
  id: Scalars['ID']['input'];
};


export type QueryStockDiscrepanciesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: Scalars['Int']['input'];
  runId?: InputMaybe<Scalars['ID']['input']>;
};

/** One reconciliation run: every supplier's full stock snapshot compared with canonical stock. */
export type ReconciliationRun = {
  __typename?: 'ReconciliationRun';
  /** Supplier SKUs compared, over all suppliers. */
  checked: Scalars['Int']['output'];
  corrected: Scalars['Int']['output'];
  discrepancies: Scalars['Int']['output'];
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  startedAt: Scalars['DateTime']['output'];
  status: ReconciliationStatus;
  suppliers: Array<ReconciliationSupplierSummary>;
};

export type ReconciliationStatus =
  | 'COMPLETED'
  | 'FAILED'
  | 'RUNNING';

export type ReconciliationSupplierSummary = {
  __typename?: 'ReconciliationSupplierSummary';
  checked: Scalars['Int']['output'];
  corrected: Scalars['Int']['output'];
  discrepancies: Scalars['Int']['output'];
  /** Set when the supplier failed mid-run: the counts cover what was compared before. */
  error?: Maybe<Scalars['String']['output']>;
  supplier: Scalars['String']['output'];
};

/**
 * Units held for a while, on every item or none: held units are not sold to anyone else until the reservation is
 * released, committed to an order, or expires (see docs/inventory.md).
 */
export type Reservation = {
  __typename?: 'Reservation';
  createdAt: Scalars['DateTime']['output'];
  /** After this instant the reservation can only expire; its units return within the sweep interval. */
  expiresAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  idempotencyKey?: Maybe<Scalars['String']['output']>;
  /** One item per (SKU, supplier), sorted by SKU then supplier: the order its holds are taken in. */
  items: Array<ReservationItem>;
  /** When it was released, committed, expired or failed; null while pending or held. */
  settledAt?: Maybe<Scalars['DateTime']['output']>;
  state: ReservationState;
};

export type ReservationItem = {
  __typename?: 'ReservationItem';
  product: Product;
  quantity: Scalars['Int']['output'];
  sku: Scalars['ID']['output'];
  supplier: Scalars['String']['output'];
};

export type ReservationState =
  /** Moved to an order: the units count as committed until the supplier confirms. */
  | 'COMMITTED'
  | 'EXPIRED'
  /** Not every hold could be taken; the ones that were have been returned. */
  | 'FAILED'
  /** Every hold is taken. */
  | 'HELD'
  /** Its holds are being taken. */
  | 'PENDING'
  | 'RELEASED';

export type ReserveStockInput = {
  /** Repeating a request with the same key returns the first reservation instead of reserving again. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** Items for the same SKU and supplier are merged. */
  items: Array<ReserveStockItemInput>;
  /** 1 to 86400. */
  ttlSeconds: Scalars['Int']['input'];
};

export type ReserveStockItemInput = {
  quantity: Scalars['Int']['input'];
  sku: Scalars['ID']['input'];
  supplier: Scalars['String']['input'];
};

/** A sell price and how it was made. */
export type SellPrice = {
  __typename?: 'SellPrice';
  amount: Scalars['Decimal']['output'];
  /** False when no supplier has a unit to sell now: the price is that of the offer routing prefers once one has. */
  available: Scalars['Boolean']['output'];
  /** The supplier's timestamp of the cost. */
  costAsOf: Scalars['DateTime']['output'];
  /** ISO 4217: the store currency (STORE_CURRENCY). */
  currency: Scalars['String']['output'];
  /** True when the cost is the supplier's last known answer (its fresh cache entry expired). */
  fromLastKnown: Scalars['Boolean']['output'];
  /** The chosen offer's landed cost: its cost plus known shipping, in the store currency. */
  landedCost: LandedCost;
  /** True when the supplier's minimum advertised price raised the price. */
  mapFloorApplied: Scalars['Boolean']['output'];
  /** True when the minimum margin raised the price. */
  marginFloorApplied: Scalars['Boolean']['output'];
  /** The rule that set the markup (`<scope>:<key>`, e.g. `brand:acme`); null: no rule, sold at landed cost. */
  markupRule?: Maybe<Scalars['String']['output']>;
  /** The rule that set the minimum margin; null when none applies. */
  minMarginRule?: Maybe<Scalars['String']['output']>;
  /** The rule that set the rounding; null: rounded up to the cent. */
  roundingRule?: Maybe<Scalars['String']['output']>;
  /** The supplier of the chosen offer. */
  supplier: Scalars['String']['output'];
};

/** A difference between our stock figure for a supplier and the supplier's own, found by reconciliation. */
export type StockDiscrepancy = {
  __typename?: 'StockDiscrepancy';
  /** How old our figure was when compared, in seconds. */
  ageSeconds?: Maybe<Scalars['Int']['output']>;
  /** True when reconciliation replaced our figure with the supplier's. */
  corrected: Scalars['Boolean']['output'];
  detectedAt: Scalars['DateTime']['output'];
  /** theirs − ours, a missing figure counting as 0. */
  difference: Scalars['Int']['output'];
  /** Our on-hand figure for this supplier; null when we held none. */
  ours?: Maybe<Scalars['Int']['output']>;
  /** The supplier timestamp of our figure. */
  oursAsOf?: Maybe<Scalars['DateTime']['output']>;
  product: Product;
  resolution: DiscrepancyResolution;
  runId: Scalars['ID']['output'];
  supplier: Scalars['String']['output'];
  supplierSku: Scalars['String']['output'];
  /** The supplier's figure in its snapshot; null when it no longer lists the SKU. */
  theirs?: Maybe<Scalars['Int']['output']>;
};

export type StockDiscrepancyConnection = {
  __typename?: 'StockDiscrepancyConnection';
  nodes: Array<StockDiscrepancy>;
  pageInfo: PageInfo;
  /** The run listed: the one asked for, else the latest; null when there is none. */
  run?: Maybe<ReconciliationRun>;
  totalCount: Scalars['Int']['output'];
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

/** How a supplier is doing, for operators; each concrete type is resolved by that supplier's subgraph. */
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
  SupplierStatus:
    | ( BrightlineStatus )
    | ( HarborpromoStatus )
    | ( MaplecartStatus )
  ;
}>;

/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  BreakerState: BreakerState;
  BrightlineOffer: ResolverTypeWrapper<BrightlineOffer>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  BrightlineStatus: ResolverTypeWrapper<BrightlineStatus>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Decimal: ResolverTypeWrapper<Scalars['Decimal']['output']>;
  DiscrepancyResolution: DiscrepancyResolution;
  FxRate: ResolverTypeWrapper<FxRate>;
  HarborpromoOffer: ResolverTypeWrapper<HarborpromoOffer>;
  HarborpromoStatus: ResolverTypeWrapper<HarborpromoStatus>;
  LandedCost: ResolverTypeWrapper<LandedCost>;
  MaplecartOffer: ResolverTypeWrapper<MaplecartOffer>;
  MaplecartStatus: ResolverTypeWrapper<MaplecartStatus>;
  Money: ResolverTypeWrapper<Money>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Offer: ResolverTypeWrapper<ResolversInterfaceTypes<ResolversTypes>['Offer']>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PricingRule: ResolverTypeWrapper<ListedRule>;
  PricingRuleInput: PricingRuleInput;
  PricingRuleScope: PricingRuleScope;
  PricingRuleSource: PricingRuleSource;
  PricingSettings: ResolverTypeWrapper<Omit<PricingSettings, 'rules'> & { rules: Array<ResolversTypes['PricingRule']> }>;
  Product: ResolverTypeWrapper<ProductKey>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ReconciliationRun: ResolverTypeWrapper<ReconciliationRun>;
  ReconciliationStatus: ReconciliationStatus;
  ReconciliationSupplierSummary: ResolverTypeWrapper<ReconciliationSupplierSummary>;
  Reservation: ResolverTypeWrapper<Omit<Reservation, 'items'> & { items: Array<ResolversTypes['ReservationItem']> }>;
  ReservationItem: ResolverTypeWrapper<Omit<ReservationItem, 'product'> & { product: ResolversTypes['Product'] }>;
  ReservationState: ReservationState;
  ReserveStockInput: ReserveStockInput;
  ReserveStockItemInput: ReserveStockItemInput;
  SellPrice: ResolverTypeWrapper<ProductPrice>;
  StockDiscrepancy: ResolverTypeWrapper<Omit<StockDiscrepancy, 'product'> & { product: ResolversTypes['Product'] }>;
  StockDiscrepancyConnection: ResolverTypeWrapper<Omit<StockDiscrepancyConnection, 'nodes'> & { nodes: Array<ResolversTypes['StockDiscrepancy']> }>;
  StockStatus: StockStatus;
  StockSummary: ResolverTypeWrapper<StockSummary>;
  Supplier: ResolverTypeWrapper<Supplier>;
  SupplierCallMinute: ResolverTypeWrapper<SupplierCallMinute>;
  SupplierGroupStatus: ResolverTypeWrapper<SupplierGroupStatus>;
  SupplierHealth: SupplierHealth;
  SupplierProtocol: SupplierProtocol;
  SupplierQuota: ResolverTypeWrapper<SupplierQuota>;
  SupplierServiceGroup: SupplierServiceGroup;
  SupplierStatus: ResolverTypeWrapper<ResolversInterfaceTypes<ResolversTypes>['SupplierStatus']>;
  SupplierStockLevel: ResolverTypeWrapper<SupplierStockLevel>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  BrightlineOffer: BrightlineOffer;
  Int: Scalars['Int']['output'];
  ID: Scalars['ID']['output'];
  Boolean: Scalars['Boolean']['output'];
  String: Scalars['String']['output'];
  BrightlineStatus: BrightlineStatus;
  Float: Scalars['Float']['output'];
  DateTime: Scalars['DateTime']['output'];
  Decimal: Scalars['Decimal']['output'];
  FxRate: FxRate;
  HarborpromoOffer: HarborpromoOffer;
  HarborpromoStatus: HarborpromoStatus;
  LandedCost: LandedCost;
  MaplecartOffer: MaplecartOffer;
  MaplecartStatus: MaplecartStatus;
  Money: Money;
  Mutation: Record<PropertyKey, never>;
  Offer: ResolversInterfaceTypes<ResolversParentTypes>['Offer'];
  PageInfo: PageInfo;
  PricingRule: ListedRule;
  PricingRuleInput: PricingRuleInput;
  PricingSettings: Omit<PricingSettings, 'rules'> & { rules: Array<ResolversParentTypes['PricingRule']> };
  Product: ProductKey;
  Query: Record<PropertyKey, never>;
  ReconciliationRun: ReconciliationRun;
  ReconciliationSupplierSummary: ReconciliationSupplierSummary;
  Reservation: Omit<Reservation, 'items'> & { items: Array<ResolversParentTypes['ReservationItem']> };
  ReservationItem: Omit<ReservationItem, 'product'> & { product: ResolversParentTypes['Product'] };
  ReserveStockInput: ReserveStockInput;
  ReserveStockItemInput: ReserveStockItemInput;
  SellPrice: ProductPrice;
  StockDiscrepancy: Omit<StockDiscrepancy, 'product'> & { product: ResolversParentTypes['Product'] };
  StockDiscrepancyConnection: Omit<StockDiscrepancyConnection, 'nodes'> & { nodes: Array<ResolversParentTypes['StockDiscrepancy']> };
  StockSummary: StockSummary;
  Supplier: Supplier;
  SupplierCallMinute: SupplierCallMinute;
  SupplierGroupStatus: SupplierGroupStatus;
  SupplierQuota: SupplierQuota;
  SupplierStatus: ResolversInterfaceTypes<ResolversParentTypes>['SupplierStatus'];
  SupplierStockLevel: SupplierStockLevel;
}>;

export type BrightlineOfferResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['BrightlineOffer'] = ResolversParentTypes['BrightlineOffer']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type BrightlineStatusResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['BrightlineStatus'] = ResolversParentTypes['BrightlineStatus']> = ResolversObject<{
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface DecimalScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Decimal'], any> {
  name: 'Decimal';
}

export type FxRateResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['FxRate'] = ResolversParentTypes['FxRate']> = ResolversObject<{
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  rate?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
}>;

export type HarborpromoOfferResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['HarborpromoOffer'] = ResolversParentTypes['HarborpromoOffer']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type HarborpromoStatusResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['HarborpromoStatus'] = ResolversParentTypes['HarborpromoStatus']> = ResolversObject<{
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type LandedCostResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['LandedCost'] = ResolversParentTypes['LandedCost']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  fxRate?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  fxRateDate?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  shipping?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  unitCost?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
}>;

export type MaplecartOfferResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['MaplecartOffer'] = ResolversParentTypes['MaplecartOffer']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type MaplecartStatusResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['MaplecartStatus'] = ResolversParentTypes['MaplecartStatus']> = ResolversObject<{
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type MoneyResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  commitReservation?: Resolver<ResolversTypes['Reservation'], ParentType, ContextType, RequireFields<MutationCommitReservationArgs, 'id'>>;
  deletePricingRule?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeletePricingRuleArgs, 'scope'>>;
  releaseReservation?: Resolver<ResolversTypes['Reservation'], ParentType, ContextType, RequireFields<MutationReleaseReservationArgs, 'id'>>;
  reserveStock?: Resolver<ResolversTypes['Reservation'], ParentType, ContextType, RequireFields<MutationReserveStockArgs, 'input'>>;
  setPricingRule?: Resolver<ResolversTypes['PricingRule'], ParentType, ContextType, RequireFields<MutationSetPricingRuleArgs, 'input'>>;
}>;

export type OfferResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Offer'] = ResolversParentTypes['Offer']> = ResolversObject<{
  __resolveType: TypeResolveFn<'BrightlineOffer' | 'HarborpromoOffer' | 'MaplecartOffer', ParentType, ContextType>;
}>;

export type PageInfoResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type PricingRuleResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['PricingRule'] = ResolversParentTypes['PricingRule']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  markupFixed?: Resolver<Maybe<ResolversTypes['Decimal']>, ParentType, ContextType>;
  markupPercent?: Resolver<Maybe<ResolversTypes['Decimal']>, ParentType, ContextType>;
  minMarginPercent?: Resolver<Maybe<ResolversTypes['Decimal']>, ParentType, ContextType>;
  rounding?: Resolver<Maybe<ResolversTypes['Decimal']>, ParentType, ContextType>;
  scope?: Resolver<ResolversTypes['PricingRuleScope'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['PricingRuleSource'], ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  updatedBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type PricingSettingsResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['PricingSettings'] = ResolversParentTypes['PricingSettings']> = ResolversObject<{
  fxRateDate?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  fxRates?: Resolver<Array<ResolversTypes['FxRate']>, ParentType, ContextType>;
  rules?: Resolver<Array<ResolversTypes['PricingRule']>, ParentType, ContextType>;
  storeCurrency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  bestOffer?: Resolver<Maybe<ResolversTypes['Offer']>, ParentType, ContextType>;
  offers?: Resolver<Array<ResolversTypes['Offer']>, ParentType, ContextType>;
  price?: Resolver<Maybe<ResolversTypes['SellPrice']>, ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  stock?: Resolver<ResolversTypes['StockSummary'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  pricing?: Resolver<ResolversTypes['PricingSettings'], ParentType, ContextType>;
  reconciliationRuns?: Resolver<Array<ResolversTypes['ReconciliationRun']>, ParentType, ContextType, RequireFields<QueryReconciliationRunsArgs, 'first'>>;
  reservation?: Resolver<Maybe<ResolversTypes['Reservation']>, ParentType, ContextType, RequireFields<QueryReservationArgs, 'id'>>;
  stockDiscrepancies?: Resolver<ResolversTypes['StockDiscrepancyConnection'], ParentType, ContextType, RequireFields<QueryStockDiscrepanciesArgs, 'first'>>;
  suppliers?: Resolver<Array<ResolversTypes['SupplierStatus']>, ParentType, ContextType>;
}>;

export type ReconciliationRunResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['ReconciliationRun'] = ResolversParentTypes['ReconciliationRun']> = ResolversObject<{
  checked?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  corrected?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  discrepancies?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  startedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ReconciliationStatus'], ParentType, ContextType>;
  suppliers?: Resolver<Array<ResolversTypes['ReconciliationSupplierSummary']>, ParentType, ContextType>;
}>;

export type ReconciliationSupplierSummaryResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['ReconciliationSupplierSummary'] = ResolversParentTypes['ReconciliationSupplierSummary']> = ResolversObject<{
  checked?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  corrected?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  discrepancies?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  supplier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ReservationResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Reservation'] = ResolversParentTypes['Reservation']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  idempotencyKey?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['ReservationItem']>, ParentType, ContextType>;
  settledAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  state?: Resolver<ResolversTypes['ReservationState'], ParentType, ContextType>;
}>;

export type ReservationItemResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['ReservationItem'] = ResolversParentTypes['ReservationItem']> = ResolversObject<{
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  supplier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type SellPriceResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['SellPrice'] = ResolversParentTypes['SellPrice']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  available?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  costAsOf?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  fromLastKnown?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  landedCost?: Resolver<ResolversTypes['LandedCost'], ParentType, ContextType>;
  mapFloorApplied?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  marginFloorApplied?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  markupRule?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  minMarginRule?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  roundingRule?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  supplier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type StockDiscrepancyResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['StockDiscrepancy'] = ResolversParentTypes['StockDiscrepancy']> = ResolversObject<{
  ageSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  corrected?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  detectedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  difference?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  ours?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  oursAsOf?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  resolution?: Resolver<ResolversTypes['DiscrepancyResolution'], ParentType, ContextType>;
  runId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  supplier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  supplierSku?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  theirs?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
}>;

export type StockDiscrepancyConnectionResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['StockDiscrepancyConnection'] = ResolversParentTypes['StockDiscrepancyConnection']> = ResolversObject<{
  nodes?: Resolver<Array<ResolversTypes['StockDiscrepancy']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  run?: Resolver<Maybe<ResolversTypes['ReconciliationRun']>, ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
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

export type SupplierCallMinuteResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['SupplierCallMinute'] = ResolversParentTypes['SupplierCallMinute']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  calls?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  errors?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  p95LatencyMs?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
}>;

export type SupplierGroupStatusResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['SupplierGroupStatus'] = ResolversParentTypes['SupplierGroupStatus']> = ResolversObject<{
  breakerState?: Resolver<ResolversTypes['BreakerState'], ParentType, ContextType>;
  group?: Resolver<ResolversTypes['SupplierServiceGroup'], ParentType, ContextType>;
  health?: Resolver<ResolversTypes['SupplierHealth'], ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type SupplierQuotaResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['SupplierQuota'] = ResolversParentTypes['SupplierQuota']> = ResolversObject<{
  bucket?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  remaining?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type SupplierStatusResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['SupplierStatus'] = ResolversParentTypes['SupplierStatus']> = ResolversObject<{
  __resolveType: TypeResolveFn<'BrightlineStatus' | 'HarborpromoStatus' | 'MaplecartStatus', ParentType, ContextType>;
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
  BrightlineStatus?: BrightlineStatusResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Decimal?: GraphQLScalarType;
  FxRate?: FxRateResolvers<ContextType>;
  HarborpromoOffer?: HarborpromoOfferResolvers<ContextType>;
  HarborpromoStatus?: HarborpromoStatusResolvers<ContextType>;
  LandedCost?: LandedCostResolvers<ContextType>;
  MaplecartOffer?: MaplecartOfferResolvers<ContextType>;
  MaplecartStatus?: MaplecartStatusResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Offer?: OfferResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  PricingRule?: PricingRuleResolvers<ContextType>;
  PricingSettings?: PricingSettingsResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  ReconciliationRun?: ReconciliationRunResolvers<ContextType>;
  ReconciliationSupplierSummary?: ReconciliationSupplierSummaryResolvers<ContextType>;
  Reservation?: ReservationResolvers<ContextType>;
  ReservationItem?: ReservationItemResolvers<ContextType>;
  SellPrice?: SellPriceResolvers<ContextType>;
  StockDiscrepancy?: StockDiscrepancyResolvers<ContextType>;
  StockDiscrepancyConnection?: StockDiscrepancyConnectionResolvers<ContextType>;
  StockSummary?: StockSummaryResolvers<ContextType>;
  Supplier?: SupplierResolvers<ContextType>;
  SupplierCallMinute?: SupplierCallMinuteResolvers<ContextType>;
  SupplierGroupStatus?: SupplierGroupStatusResolvers<ContextType>;
  SupplierQuota?: SupplierQuotaResolvers<ContextType>;
  SupplierStatus?: SupplierStatusResolvers<ContextType>;
  SupplierStockLevel?: SupplierStockLevelResolvers<ContextType>;
}>;

