import { z } from 'zod';
import { MIN_SECRET_LENGTH } from './gateway-token.ts';
import { isLoopbackHost } from './principal.ts';
import type { TokenClass } from './token-class.ts';

/**
 * The security settings (docs/security.md, docs/configuration.md), as a piece of platform/config.ts's schema,
 * kept here so the auth settings and their cross-checks live in one place.
 */
const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);

export const authSettings = {
  AUTH_MODE: z.enum(['dev', 'required']).optional(),
  JWKS_URL: z.string().url().optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  JWT_CLOCK_SKEW_S: z.coerce.number().int().min(0).max(600).default(30),
  JWT_TENANT_CLAIM: z.string().min(1).default('tenant'),
  JWT_SUPPLIERS_CLAIM: z.string().min(1).default('suppliers'),
  JWT_CLASS_CLAIM: z.string().min(1).default('token_class'),
  GATEWAY_SIGNING_SECRET: z
    .string()
    .optional()
    .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0))
    .refine((list) => list.every((s) => s.length >= MIN_SECRET_LENGTH), `each secret must be at least ${MIN_SECRET_LENGTH} characters`),
  OPERATION_MAX_DEPTH: positiveInt(100).default(12),
  OPERATION_MAX_ALIASES: z.coerce.number().int().min(0).max(10_000).default(30),
  OPERATION_MAX_ROOT_FIELDS: positiveInt(1_000).default(20),
  OPERATION_MAX_COST: positiveInt(100_000_000).default(30_000),
  OPERATION_DEFAULT_LIST_SIZE: positiveInt(10_000).default(10),
  OPERATION_MAX_TOKENS: positiveInt(1_000_000).default(5_000),
  MAX_VARIABLES_BYTES: positiveInt(50_000_000).default(65_536),
  PERSISTED_OPERATIONS_PATH: z.string().min(1).optional(),
  PARTNER_RATE_PER_SECOND: z.coerce.number().min(0).max(100_000).default(10),
  PARTNER_RATE_BURST: positiveInt(1_000_000).default(50),
  // Sized for a shop's traffic (docs/security.md, "Token classes"): the issue's measured storefront load, 15,966
  // requests in 10 s (~1,600/s), fits under the sustained rate with a quarter to spare.
  STOREFRONT_RATE_PER_SECOND: z.coerce.number().min(0).max(1_000_000).default(2_000),
  STOREFRONT_RATE_BURST: positiveInt(10_000_000).default(4_000),
  // Unset: the partner values, so admin tokens issued before classes existed are limited exactly as before.
  OPERATOR_RATE_PER_SECOND: z.coerce.number().min(0).max(1_000_000).optional(),
  OPERATOR_RATE_BURST: positiveInt(10_000_000).optional(),
  SHOPPER_RATE_PER_SECOND: z.coerce.number().min(0).max(100_000).default(10),
  SHOPPER_RATE_BURST: positiveInt(1_000_000).default(50),
  PARTNER_SUPPLIER_SHARE: z.coerce.number().gt(0).max(1).default(0.5),
  AUTH_FAILURE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(20),
  AUTH_FAILURE_WINDOW_S: positiveInt(86_400).default(300),
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
};

const authObject = z.object(authSettings);
type Parsed = z.output<typeof authObject> & { readonly HOST: string };

export interface OperationLimits {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxRootFields: number;
  readonly maxCost: number;
  /** Items assumed for a list field without a `first`/`last` argument, when estimating cost. */
  readonly defaultListSize: number;
  /** Parser token limit: bounds parse and validation work before any other check runs. */
  readonly maxTokens: number;
  readonly maxVariablesBytes: number;
}

export interface RequestRate {
  /** Sustained requests per second. */
  readonly perSecond: number;
  /** Requests that may arrive at once. */
  readonly burst: number;
}

export interface AuthConfig {
  /** `dev`: requests without a token act as the built-in admin of tenant `default` (loopback HOST only). */
  readonly mode: 'dev' | 'required';
  /** Set when partners authenticate with JWTs. */
  readonly jwt: {
    readonly jwksUrl: string;
    readonly issuer: string;
    readonly audience: string;
    readonly clockSkewSeconds: number;
    readonly tenantClaim: string;
    readonly suppliersClaim: string;
    /** Claim naming the token class (storefront, partner, operator); absent → inferred (token-class.ts). */
    readonly classClaim: string;
  } | undefined;
  /** The first signs gateway → subgraph tokens, all are accepted; empty = a random secret per process. */
  readonly gatewaySigningSecrets: readonly string[];
  readonly limits: OperationLimits;
  readonly persistedOperationsPath: string | undefined;
  /** Per-tenant request bucket at the gateway, by token class; `perSecond` 0 turns a class's limit off. */
  readonly requestRates: Readonly<Record<TokenClass, RequestRate>>;
  /** Per-shopper bucket of storefront tokens forwarding `X-Shopper-Id`; `perSecond` 0 turns it off. */
  readonly shopperRate: RequestRate;
  /** Share of each supplier's request budget one partner may use for its cache misses. */
  readonly partnerSupplierShare: number;
  /**
   * Failed authentications allowed per client address and per credential in one window before 429
   * (`limit` 0 turns it off).
   */
  readonly failureThrottle: { readonly limit: number; readonly windowMs: number };
  /** Reverse proxies in front of the gateway whose X-Forwarded-For entry names the client (0: the socket's peer). */
  readonly trustedProxyHops: number;
}

/** The auth config, or the list of problems with it. */
export function authConfigOf(e: Parsed): AuthConfig | string[] {
  const problems: string[] = [];
  const loopback = isLoopbackHost(e.HOST);
  const mode = e.AUTH_MODE ?? (loopback ? 'dev' : 'required');
  if (mode === 'dev' && !loopback) problems.push(`AUTH_MODE: dev needs a loopback HOST (got ${e.HOST}); use required`);
  const jwtGiven = [e.JWKS_URL, e.JWT_ISSUER, e.JWT_AUDIENCE].filter((v) => v !== undefined).length;
  // Without issuer and audience checks, any token the identity provider signs for any other app would be accepted.
  if (jwtGiven > 0 && jwtGiven < 3) problems.push('JWKS_URL, JWT_ISSUER and JWT_AUDIENCE: set all three or none');
  if (problems.length > 0) return problems;
  return Object.freeze({
    mode,
    jwt: e.JWKS_URL && e.JWT_ISSUER && e.JWT_AUDIENCE
      ? Object.freeze({
          jwksUrl: e.JWKS_URL,
          issuer: e.JWT_ISSUER,
          audience: e.JWT_AUDIENCE,
          clockSkewSeconds: e.JWT_CLOCK_SKEW_S,
          tenantClaim: e.JWT_TENANT_CLAIM,
          suppliersClaim: e.JWT_SUPPLIERS_CLAIM,
          classClaim: e.JWT_CLASS_CLAIM,
        })
      : undefined,
    gatewaySigningSecrets: Object.freeze([...e.GATEWAY_SIGNING_SECRET]),
    limits: Object.freeze({
      maxDepth: e.OPERATION_MAX_DEPTH,
      maxAliases: e.OPERATION_MAX_ALIASES,
      maxRootFields: e.OPERATION_MAX_ROOT_FIELDS,
      maxCost: e.OPERATION_MAX_COST,
      defaultListSize: e.OPERATION_DEFAULT_LIST_SIZE,
      maxTokens: e.OPERATION_MAX_TOKENS,
      maxVariablesBytes: e.MAX_VARIABLES_BYTES,
    }),
    persistedOperationsPath: e.PERSISTED_OPERATIONS_PATH,
    requestRates: Object.freeze({
      partner: Object.freeze({ perSecond: e.PARTNER_RATE_PER_SECOND, burst: e.PARTNER_RATE_BURST }),
      storefront: Object.freeze({ perSecond: e.STOREFRONT_RATE_PER_SECOND, burst: e.STOREFRONT_RATE_BURST }),
      operator: Object.freeze({ perSecond: e.OPERATOR_RATE_PER_SECOND ?? e.PARTNER_RATE_PER_SECOND, burst: e.OPERATOR_RATE_BURST ?? e.PARTNER_RATE_BURST }),
    }),
    shopperRate: Object.freeze({ perSecond: e.SHOPPER_RATE_PER_SECOND, burst: e.SHOPPER_RATE_BURST }),
    partnerSupplierShare: e.PARTNER_SUPPLIER_SHARE,
    failureThrottle: Object.freeze({ limit: e.AUTH_FAILURE_LIMIT, windowMs: e.AUTH_FAILURE_WINDOW_S * 1000 }),
    trustedProxyHops: e.TRUST_PROXY_HOPS,
  });
}
