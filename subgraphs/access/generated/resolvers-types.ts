import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ApiTokenRecord } from '../../../platform/ports/token-store.ts';
import type { Principal } from '../../../platform/auth/principal.ts';
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
  _FieldSet: { input: unknown; output: unknown; }
};

/** A partner's API token. The token itself is shown once, when issued; only its SHA-256 is stored. */
export type ApiToken = {
  __typename?: 'ApiToken';
  createdAt: Scalars['DateTime']['output'];
  /** Who issued it: a token id, a JWT subject, or cli. */
  createdBy: Scalars['String']['output'];
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** The token's last four characters, to tell tokens apart. */
  hint: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  label?: Maybe<Scalars['String']['output']>;
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  scopes: Array<Scalars['String']['output']>;
  /** Supplier slugs the token may see; null when not limited. */
  suppliers?: Maybe<Array<Scalars['String']['output']>>;
  tenant: Scalars['String']['output'];
  /** The class set at issue; null for a token issued before classes existed (it acts as OPERATOR with admin, else PARTNER). */
  tokenClass?: Maybe<TokenClass>;
};

/** How a caller authenticated. */
export type AuthenticationKind =
  | 'API_TOKEN'
  /** The built-in admin of AUTH_MODE=dev (loopback only). */
  | 'DEV'
  | 'JWT';

export type IssueApiTokenInput = {
  /** 1..3650; omit for a token that does not expire. */
  expiresInDays?: InputMaybe<Scalars['Int']['input']>;
  label?: InputMaybe<Scalars['String']['input']>;
  /** Of catalog:read, inventory:read, orders:read, orders:write, admin (admin for OPERATOR only). Omitted or empty: the class's defaults. */
  scopes?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Limit the token to these suppliers' data; omit for all. */
  suppliers?: InputMaybe<Array<Scalars['String']['input']>>;
  tenant: Scalars['String']['input'];
  /** Omitted: OPERATOR when scopes hold admin, else PARTNER. */
  tokenClass?: InputMaybe<TokenClass>;
};

export type IssuedApiToken = {
  __typename?: 'IssuedApiToken';
  apiToken: ApiToken;
  /** Shown this once: store it now, it cannot be read again. */
  token: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Issues an API token for any tenant. The response is the only time the token is shown. */
  issueApiToken: IssuedApiToken;
  /** Revokes a token at once (the next request with it is refused). Idempotent; null for an unknown id. */
  revokeApiToken?: Maybe<ApiToken>;
};


export type MutationIssueApiTokenArgs = {
  input: IssueApiTokenInput;
};


export type MutationRevokeApiTokenArgs = {
  id: Scalars['ID']['input'];
};

export type Query = {
  __typename?: 'Query';
  /** API tokens, oldest first; of one tenant when given. Revoked ones only with includeRevoked. */
  apiTokens: Array<ApiToken>;
  /** The caller, as authenticated. */
  viewer: Viewer;
};


export type QueryApiTokensArgs = {
  includeRevoked?: Scalars['Boolean']['input'];
  tenant?: InputMaybe<Scalars['String']['input']>;
};

/** Who a token was issued to: decides its request limits and the scopes it may carry (docs/security.md, "Token classes"). */
export type TokenClass =
  /** The platform's own staff and scripts: may hold admin. */
  | 'OPERATOR'
  /** A third party integrating with the graph: the per-tenant partner limit, never admin. */
  | 'PARTNER'
  /** A first-party shop calling on behalf of shoppers: sized for a shop's traffic, may forward X-Shopper-Id, never admin. */
  | 'STOREFRONT';

/** Who the caller is, as the gateway verified it. */
export type Viewer = {
  __typename?: 'Viewer';
  authentication: AuthenticationKind;
  scopes: Array<Scalars['String']['output']>;
  /** The JWT subject, or the API token's id. */
  subject: Scalars['String']['output'];
  /** Supplier slugs the caller may see; null when not limited. */
  suppliers?: Maybe<Array<Scalars['String']['output']>>;
  tenant: Scalars['String']['output'];
  /** The credential's class; null for the built-in dev admin. */
  tokenClass?: Maybe<TokenClass>;
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;


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





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  ApiToken: ResolverTypeWrapper<ApiTokenRecord>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AuthenticationKind: AuthenticationKind;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  IssueApiTokenInput: IssueApiTokenInput;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  IssuedApiToken: ResolverTypeWrapper<Omit<IssuedApiToken, 'apiToken'> & { apiToken: ResolversTypes['ApiToken'] }>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  TokenClass: TokenClass;
  Viewer: ResolverTypeWrapper<Principal>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  ApiToken: ApiTokenRecord;
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  DateTime: Scalars['DateTime']['output'];
  IssueApiTokenInput: IssueApiTokenInput;
  Int: Scalars['Int']['output'];
  IssuedApiToken: Omit<IssuedApiToken, 'apiToken'> & { apiToken: ResolversParentTypes['ApiToken'] };
  Mutation: Record<PropertyKey, never>;
  Query: Record<PropertyKey, never>;
  Boolean: Scalars['Boolean']['output'];
  Viewer: Principal;
}>;

export type ApiTokenResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['ApiToken'] = ResolversParentTypes['ApiToken']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  createdBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  hint?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  label?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  scopes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  suppliers?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  tenant?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tokenClass?: Resolver<Maybe<ResolversTypes['TokenClass']>, ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type IssuedApiTokenResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['IssuedApiToken'] = ResolversParentTypes['IssuedApiToken']> = ResolversObject<{
  apiToken?: Resolver<ResolversTypes['ApiToken'], ParentType, ContextType>;
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  issueApiToken?: Resolver<ResolversTypes['IssuedApiToken'], ParentType, ContextType, RequireFields<MutationIssueApiTokenArgs, 'input'>>;
  revokeApiToken?: Resolver<Maybe<ResolversTypes['ApiToken']>, ParentType, ContextType, RequireFields<MutationRevokeApiTokenArgs, 'id'>>;
}>;

export type QueryResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  apiTokens?: Resolver<Array<ResolversTypes['ApiToken']>, ParentType, ContextType, RequireFields<QueryApiTokensArgs, 'includeRevoked'>>;
  viewer?: Resolver<ResolversTypes['Viewer'], ParentType, ContextType>;
}>;

export type ViewerResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Viewer'] = ResolversParentTypes['Viewer']> = ResolversObject<{
  authentication?: Resolver<ResolversTypes['AuthenticationKind'], ParentType, ContextType>;
  scopes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  subject?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  suppliers?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  tenant?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tokenClass?: Resolver<Maybe<ResolversTypes['TokenClass']>, ParentType, ContextType>;
}>;

export type Resolvers<ContextType = SubgraphContext> = ResolversObject<{
  ApiToken?: ApiTokenResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  IssuedApiToken?: IssuedApiTokenResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Viewer?: ViewerResolvers<ContextType>;
}>;

