import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ProductRecord, FamilyRecord } from '../../../platform/ports/catalog-store.ts';
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
  Decimal: { input: string; output: string; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type FacetCount = {
  __typename?: 'FacetCount';
  count: Scalars['Int']['output'];
  value: Scalars['String']['output'];
};

/** A product as the listing shows it: the figures come from the read model, not from a live supplier call. */
export type ListedProduct = {
  __typename?: 'ListedProduct';
  /** Units available now, summed over the suppliers' canonical stock. */
  available: Scalars['Int']['output'];
  /** Pass as `after` to continue after this product. */
  cursor: Scalars['String']['output'];
  inStock: Scalars['Boolean']['output'];
  /** The sell price in the store currency, from the offer routing would pick; null until an offer's cost is known. */
  price?: Maybe<Money>;
  /** Which supplier's offer the price is from. */
  priceSupplier?: Maybe<Scalars['String']['output']>;
  product: Product;
};

export type Money = {
  __typename?: 'Money';
  amount: Scalars['Decimal']['output'];
  currency: Scalars['String']['output'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type PriceRangeCount = {
  __typename?: 'PriceRangeCount';
  count: Scalars['Int']['output'];
  max?: Maybe<Scalars['Decimal']['output']>;
  min: Scalars['Decimal']['output'];
};

/**
 * A canonical product: one per real-world item, however many suppliers carry it.
 * Matched across suppliers on GTIN, else on manufacturer + manufacturer part number.
 */
export type Product = {
  __typename?: 'Product';
  brand?: Maybe<Scalars['String']['output']>;
  /** Categories from every supplier carrying it. */
  categories: Array<Scalars['String']['output']>;
  description?: Maybe<Scalars['String']['output']>;
  /** The family (style) this product is a variant of; null when no supplier groups it. */
  family?: Maybe<ProductFamily>;
  /** GTIN-14 (UPC-A and EAN-13 are zero-padded). */
  gtin?: Maybe<Scalars['String']['output']>;
  /** This variant's own images from every supplier carrying it, first seen first. */
  images: Array<ProductImage>;
  manufacturer?: Maybe<Scalars['String']['output']>;
  /** Manufacturer part number. */
  mpn?: Maybe<Scalars['String']['output']>;
  /** What sets this variant apart within its family, e.g. Color = Navy, Size = L (the first supplier's words). */
  options: Array<ProductOption>;
  /** The canonical SKU, stable across suppliers. */
  sku: Scalars['ID']['output'];
  /** The supplier SKUs this product maps to. */
  supplierSkus: Array<SupplierSkuMapping>;
  title: Scalars['String']['output'];
};

export type ProductConnection = {
  __typename?: 'ProductConnection';
  nodes: Array<Product>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

/**
 * A product family (style): what its variants share. Built from each supplier's own grouping and merged across
 * suppliers when they carry a variant in common (same GTIN, or manufacturer + MPN); docs/storefront.md.
 */
export type ProductFamily = {
  __typename?: 'ProductFamily';
  brand?: Maybe<Scalars['String']['output']>;
  categories: Array<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** Family images from every linked supplier, first seen first. */
  images: Array<ProductImage>;
  name: Scalars['String']['output'];
  /** The option names its variants vary by, each with its values. */
  options: Array<ProductFamilyOption>;
  /** The variants (sellable products) ordered by canonical SKU; `first` is 1..200 (default: all up to 200). */
  variants: Array<Product>;
};


/**
 * A product family (style): what its variants share. Built from each supplier's own grouping and merged across
 * suppliers when they carry a variant in common (same GTIN, or manufacturer + MPN); docs/storefront.md.
 */
export type ProductFamilyVariantsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** An option of a family with every value its variants take, in variant order (e.g. Size: S, M, L). */
export type ProductFamilyOption = {
  __typename?: 'ProductFamilyOption';
  name: Scalars['String']['output'];
  values: Array<Scalars['String']['output']>;
};

export type ProductImage = {
  __typename?: 'ProductImage';
  alt?: Maybe<Scalars['String']['output']>;
  /** Absolute URL as the supplier publishes it. */
  url: Scalars['String']['output'];
};

export type ProductListing = {
  __typename?: 'ProductListing';
  facets: ProductListingFacets;
  nodes: Array<ListedProduct>;
  pageInfo: PageInfo;
  /** Every match, not just this page. */
  totalCount: Scalars['Int']['output'];
};

/** Counts over the matches with every filter applied (the facet's own included); values most frequent first, 20 at most. */
export type ProductListingFacets = {
  __typename?: 'ProductListingFacets';
  brands: Array<FacetCount>;
  categories: Array<FacetCount>;
  /** How many matches the facets counted: below totalCount only past 5,000 matches. */
  counted: Scalars['Int']['output'];
  inStock: Scalars['Int']['output'];
  outOfStock: Scalars['Int']['output'];
  /** Sell price ranges in the store currency; `max` is exclusive, null for the open top range. */
  priceRanges: Array<PriceRangeCount>;
  suppliers: Array<FacetCount>;
};

/** Every given filter must hold; within one list any value matches. Brands and categories compare case-insensitively. */
export type ProductListingFilter = {
  brands?: InputMaybe<Array<Scalars['String']['input']>>;
  categories?: InputMaybe<Array<Scalars['String']['input']>>;
  inStock?: InputMaybe<Scalars['Boolean']['input']>;
  maxPrice?: InputMaybe<Scalars['Decimal']['input']>;
  /** Inclusive bounds on the sell price, in the store currency; a bound leaves out products without a known price. */
  minPrice?: InputMaybe<Scalars['Decimal']['input']>;
  suppliers?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type ProductListingSort =
  /** Most units available first. */
  | 'AVAILABILITY'
  /** Most recently added to the catalog first. */
  | 'NEWEST'
  /** Lowest sell price first; products without a known price last. */
  | 'PRICE_ASC'
  /** Highest sell price first; products without a known price last. */
  | 'PRICE_DESC'
  /** Best text match first (an exact MPN, GTIN or supplier SKU first), then in stock; without a query: AVAILABILITY. */
  | 'RELEVANCE';

/** One name/value option of a variant. */
export type ProductOption = {
  __typename?: 'ProductOption';
  name: Scalars['String']['output'];
  value: Scalars['String']['output'];
};

export type Query = {
  __typename?: 'Query';
  /**
   * Families by id (1..50), null where unknown, in the order asked. Several families in one request belong here rather
   * than in aliased `family` fields: the gateway fetches each alias's offers apart, one supplier call per alias.
   */
  families: Array<Maybe<ProductFamily>>;
  /** The product family with this id, or null when there is none. */
  family?: Maybe<ProductFamily>;
  /** The product with this canonical SKU, or null when there is none (an unknown SKU is not an error). */
  product?: Maybe<Product>;
  /** The canonical product a supplier SKU maps to, or null. */
  productBySupplierSku?: Maybe<Product>;
  /** Products ordered by canonical SKU, with page info and a total count. `first` is 1..200. */
  productPage: ProductConnection;
  /** Products ordered by canonical SKU. `first` is 1..200; `after` is a `pageInfo.endCursor` from `productPage`. */
  products: Array<Product>;
  /**
   * A storefront listing (docs/storefront.md "Listing"): text search over title, brand, MPN, GTIN and supplier SKUs,
   * filters, one sort, a cursor and facet counts, from the listing read model — canonical stock and cached offer costs,
   * never a live supplier call. `first` is 1..100 (default 24); `after` is a `pageInfo.endCursor` of the same sort.
   */
  searchProducts: ProductListing;
};


export type QueryFamiliesArgs = {
  ids: Array<Scalars['ID']['input']>;
};


export type QueryFamilyArgs = {
  id: Scalars['ID']['input'];
};


export type QueryProductArgs = {
  sku: Scalars['ID']['input'];
};


export type QueryProductBySupplierSkuArgs = {
  supplier: Scalars['String']['input'];
  supplierSku: Scalars['String']['input'];
};


export type QueryProductPageArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: Scalars['Int']['input'];
};


export type QueryProductsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: Scalars['Int']['input'];
};


export type QuerySearchProductsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ProductListingFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  query?: InputMaybe<Scalars['String']['input']>;
  sort?: InputMaybe<ProductListingSort>;
};

export type SupplierSkuMapping = {
  __typename?: 'SupplierSkuMapping';
  /** Supplier slug, e.g. brightline. */
  supplier: Scalars['String']['output'];
  supplierSku: Scalars['String']['output'];
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
  ProductFamily: ProductFamily;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Product:
    ( { __typename: 'Product' }
    & GraphQLRecursivePick<FederationTypes['Product'], {"sku":true}> );
  ProductFamily:
    ( { __typename: 'ProductFamily' }
    & GraphQLRecursivePick<FederationTypes['ProductFamily'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Decimal: ResolverTypeWrapper<Scalars['Decimal']['output']>;
  FacetCount: ResolverTypeWrapper<FacetCount>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ListedProduct: ResolverTypeWrapper<Omit<ListedProduct, 'product'> & { product: ResolversTypes['Product'] }>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Money: ResolverTypeWrapper<Money>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PriceRangeCount: ResolverTypeWrapper<PriceRangeCount>;
  Product: ResolverTypeWrapper<ProductRecord>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ProductConnection: ResolverTypeWrapper<Omit<ProductConnection, 'nodes'> & { nodes: Array<ResolversTypes['Product']> }>;
  ProductFamily: ResolverTypeWrapper<FamilyRecord>;
  ProductFamilyOption: ResolverTypeWrapper<ProductFamilyOption>;
  ProductImage: ResolverTypeWrapper<ProductImage>;
  ProductListing: ResolverTypeWrapper<Omit<ProductListing, 'nodes'> & { nodes: Array<ResolversTypes['ListedProduct']> }>;
  ProductListingFacets: ResolverTypeWrapper<ProductListingFacets>;
  ProductListingFilter: ProductListingFilter;
  ProductListingSort: ProductListingSort;
  ProductOption: ResolverTypeWrapper<ProductOption>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SupplierSkuMapping: ResolverTypeWrapper<SupplierSkuMapping>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Decimal: Scalars['Decimal']['output'];
  FacetCount: FacetCount;
  String: Scalars['String']['output'];
  ListedProduct: Omit<ListedProduct, 'product'> & { product: ResolversParentTypes['Product'] };
  Boolean: Scalars['Boolean']['output'];
  Money: Money;
  PageInfo: PageInfo;
  PriceRangeCount: PriceRangeCount;
  Product: ProductRecord;
  ID: Scalars['ID']['output'];
  ProductConnection: Omit<ProductConnection, 'nodes'> & { nodes: Array<ResolversParentTypes['Product']> };
  ProductFamily: FamilyRecord;
  ProductFamilyOption: ProductFamilyOption;
  ProductImage: ProductImage;
  ProductListing: Omit<ProductListing, 'nodes'> & { nodes: Array<ResolversParentTypes['ListedProduct']> };
  ProductListingFacets: ProductListingFacets;
  ProductListingFilter: ProductListingFilter;
  ProductOption: ProductOption;
  Query: Record<PropertyKey, never>;
  SupplierSkuMapping: SupplierSkuMapping;
  Int: Scalars['Int']['output'];
}>;

export type ListSizeDirectiveArgs = {
  assumedSize: Scalars['Int']['input'];
};

export type ListSizeDirectiveResolver<Result, Parent, ContextType = SubgraphContext, Args = ListSizeDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export interface DecimalScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Decimal'], any> {
  name: 'Decimal';
}

export type FacetCountResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['FacetCount'] = ResolversParentTypes['FacetCount']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ListedProductResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['ListedProduct'] = ResolversParentTypes['ListedProduct']> = ResolversObject<{
  available?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  inStock?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  price?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  priceSupplier?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
}>;

export type MoneyResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type PageInfoResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type PriceRangeCountResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['PriceRangeCount'] = ResolversParentTypes['PriceRangeCount']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  max?: Resolver<Maybe<ResolversTypes['Decimal']>, ParentType, ContextType>;
  min?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  brand?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  categories?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  family?: Resolver<Maybe<ResolversTypes['ProductFamily']>, ParentType, ContextType>;
  gtin?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  images?: Resolver<Array<ResolversTypes['ProductImage']>, ParentType, ContextType>;
  manufacturer?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  mpn?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  options?: Resolver<Array<ResolversTypes['ProductOption']>, ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  supplierSkus?: Resolver<Array<ResolversTypes['SupplierSkuMapping']>, ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ProductConnectionResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['ProductConnection'] = ResolversParentTypes['ProductConnection']> = ResolversObject<{
  nodes?: Resolver<Array<ResolversTypes['Product']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ProductFamilyResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['ProductFamily'] = ResolversParentTypes['ProductFamily'], FederationReferenceType extends FederationReferenceTypes['ProductFamily'] = FederationReferenceTypes['ProductFamily']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['ProductFamily']> | FederationReferenceType, FederationReferenceType, ContextType>;
  brand?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  categories?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  images?: Resolver<Array<ResolversTypes['ProductImage']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  options?: Resolver<Array<ResolversTypes['ProductFamilyOption']>, ParentType, ContextType>;
  variants?: Resolver<Array<ResolversTypes['Product']>, ParentType, ContextType, Partial<ProductFamilyVariantsArgs>>;
}>;

export type ProductFamilyOptionResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['ProductFamilyOption'] = ResolversParentTypes['ProductFamilyOption']> = ResolversObject<{
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  values?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ProductImageResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['ProductImage'] = ResolversParentTypes['ProductImage']> = ResolversObject<{
  alt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ProductListingResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['ProductListing'] = ResolversParentTypes['ProductListing']> = ResolversObject<{
  facets?: Resolver<ResolversTypes['ProductListingFacets'], ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['ListedProduct']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ProductListingFacetsResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['ProductListingFacets'] = ResolversParentTypes['ProductListingFacets']> = ResolversObject<{
  brands?: Resolver<Array<ResolversTypes['FacetCount']>, ParentType, ContextType>;
  categories?: Resolver<Array<ResolversTypes['FacetCount']>, ParentType, ContextType>;
  counted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  inStock?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  outOfStock?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  priceRanges?: Resolver<Array<ResolversTypes['PriceRangeCount']>, ParentType, ContextType>;
  suppliers?: Resolver<Array<ResolversTypes['FacetCount']>, ParentType, ContextType>;
}>;

export type ProductOptionResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['ProductOption'] = ResolversParentTypes['ProductOption']> = ResolversObject<{
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  families?: Resolver<Array<Maybe<ResolversTypes['ProductFamily']>>, ParentType, ContextType, RequireFields<QueryFamiliesArgs, 'ids'>>;
  family?: Resolver<Maybe<ResolversTypes['ProductFamily']>, ParentType, ContextType, RequireFields<QueryFamilyArgs, 'id'>>;
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType, RequireFields<QueryProductArgs, 'sku'>>;
  productBySupplierSku?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType, RequireFields<QueryProductBySupplierSkuArgs, 'supplier' | 'supplierSku'>>;
  productPage?: Resolver<ResolversTypes['ProductConnection'], ParentType, ContextType, RequireFields<QueryProductPageArgs, 'first'>>;
  products?: Resolver<Array<ResolversTypes['Product']>, ParentType, ContextType, RequireFields<QueryProductsArgs, 'first'>>;
  searchProducts?: Resolver<ResolversTypes['ProductListing'], ParentType, ContextType, RequireFields<QuerySearchProductsArgs, 'first' | 'sort'>>;
}>;

export type SupplierSkuMappingResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['SupplierSkuMapping'] = ResolversParentTypes['SupplierSkuMapping']> = ResolversObject<{
  supplier?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  supplierSku?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = SubgraphContext> = ResolversObject<{
  Decimal?: GraphQLScalarType;
  FacetCount?: FacetCountResolvers<ContextType>;
  ListedProduct?: ListedProductResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  PriceRangeCount?: PriceRangeCountResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  ProductConnection?: ProductConnectionResolvers<ContextType>;
  ProductFamily?: ProductFamilyResolvers<ContextType>;
  ProductFamilyOption?: ProductFamilyOptionResolvers<ContextType>;
  ProductImage?: ProductImageResolvers<ContextType>;
  ProductListing?: ProductListingResolvers<ContextType>;
  ProductListingFacets?: ProductListingFacetsResolvers<ContextType>;
  ProductOption?: ProductOptionResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  SupplierSkuMapping?: SupplierSkuMappingResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = SubgraphContext> = ResolversObject<{
  listSize?: ListSizeDirectiveResolver<any, any, ContextType>;
}>;
