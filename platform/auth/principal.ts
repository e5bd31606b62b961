import type { TokenClass } from './token-class.ts';

/**
 * Who a request acts for, as the gateway verified it (docs/security.md). The gateway builds it from a JWT, an API
 * token or, in development mode only, the built-in admin; subgraphs receive it signed in `x-gateway-auth`.
 */

/** Every scope a token may carry. `admin` implies all the others (the operator's scope). */
export const KNOWN_SCOPES = ['catalog:read', 'inventory:read', 'orders:read', 'orders:write', 'admin'] as const;
export type Scope = (typeof KNOWN_SCOPES)[number];
export const ADMIN_SCOPE: Scope = 'admin';

export const isKnownScope = (value: string): value is Scope => (KNOWN_SCOPES as readonly string[]).includes(value);

/** How the principal authenticated. `system`: the gateway itself (readiness probes), never a client. */
export type PrincipalKind = 'jwt' | 'api-token' | 'dev' | 'system';

export interface Principal {
  readonly kind: PrincipalKind;
  /** The JWT `sub`, the API token's id, or `dev` / `gateway`. */
  readonly subject: string;
  /** Owner of the data the caller may see and change. */
  readonly tenant: string;
  readonly scopes: readonly Scope[];
  /** Supplier slugs the caller may see; undefined when not limited. */
  readonly suppliers?: readonly string[] | undefined;
  /** The API token's id (never the token), or the JWT's `jti` when it has one. */
  readonly tokenId?: string | undefined;
  /** When the credential stops being valid (the API token's expiry, the JWT's `exp`): open subscriptions close then. */
  readonly expiresAt?: string | undefined;
  /**
   * The credential's class (platform/auth/token-class.ts): set for token holders (JWT, API token), from the token or,
   * for one issued without, inferred from its scopes. Undefined for the dev admin and the gateway's own calls.
   */
  readonly tokenClass?: TokenClass | undefined;
}

/** The tenant of the built-in development admin, and of data written before tenants existed. */
export const DEFAULT_TENANT = 'default';

export const isAdmin = (p: Pick<Principal, 'scopes'>): boolean => p.scopes.includes(ADMIN_SCOPE);

/** A partner is any caller without the admin scope: introspection, persisted-only mode apply to partners. */
export const isPartner = (p: Pick<Principal, 'scopes'>): boolean => !isAdmin(p);

/** The scopes of `required` that `granted` lacks (none when granted holds `admin`), sorted. */
export function missingScopes(granted: readonly string[], required: Iterable<string>): string[] {
  if (granted.includes(ADMIN_SCOPE)) return [];
  const missing = new Set<string>();
  for (const scope of required) if (!granted.includes(scope)) missing.add(scope);
  return [...missing].sort();
}

/** True when the principal may see this supplier's data. */
export const allowsSupplier = (p: Pick<Principal, 'suppliers'>, slug: string): boolean =>
  p.suppliers === undefined || p.suppliers.includes(slug);

/** Tenants are ids in paths, keys and logs: a small alphabet keeps them safe everywhere. */
export const TENANT_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export const DEV_PRINCIPAL: Principal = Object.freeze({ kind: 'dev', subject: 'dev', tenant: DEFAULT_TENANT, scopes: Object.freeze([ADMIN_SCOPE]) });

/** The gateway's own calls to subgraphs (readiness): no scopes, so it can read `__typename` and nothing else. */
export const SYSTEM_PRINCIPAL: Principal = Object.freeze({ kind: 'system', subject: 'gateway', tenant: DEFAULT_TENANT, scopes: Object.freeze([]) });

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
export const isLoopbackHost = (host: string): boolean => LOOPBACK.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);

/** The principal as an audit-log actor (platform/audit/audit-log.ts): `token:<id>`, `subject:<sub>`, or `system`. */
export function auditActorOf(p: Principal): string {
  if (p.kind === 'api-token' && p.tokenId !== undefined) return `token:${p.tokenId}`;
  if (p.kind === 'system') return 'system';
  return `subject:${p.subject}`;
}
