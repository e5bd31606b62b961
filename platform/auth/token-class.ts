/**
 * Token classes (docs/security.md, "Token classes"): who a credential was issued to, which decides its request
 * limits and which scopes it may carry. A class is set when a token is issued (`issueApiToken`, `npm run tokens`)
 * or by the identity provider in a JWT claim (`JWT_CLASS_CLAIM`).
 *
 * - `storefront`: a first-party shop's server (or app) calling on behalf of shoppers: sized for a shop's traffic,
 *   may forward a shopper identity for per-shopper limits, never `admin`.
 * - `partner`: a third party integrating with the graph: the tight per-tenant bucket, never `admin`.
 * - `operator`: the platform's own staff and scripts: may hold `admin`.
 */
import { ADMIN_SCOPE, type Scope } from './principal.ts';

export const TOKEN_CLASSES = ['storefront', 'partner', 'operator'] as const;
export type TokenClass = (typeof TOKEN_CLASSES)[number];

export const isTokenClass = (value: unknown): value is TokenClass => typeof value === 'string' && (TOKEN_CLASSES as readonly string[]).includes(value);

interface ClassScopes {
  /** What a token of the class may carry; anything else is refused at issue and by the verifier. */
  readonly allowed: readonly Scope[];
  /** What a token of the class gets when issued without scopes. */
  readonly defaults: readonly Scope[];
}

export const CLASS_SCOPES: Readonly<Record<TokenClass, ClassScopes>> = Object.freeze({
  // A shop reads the catalog and stock, and may read and place its own orders (checkout); it never administers.
  storefront: { allowed: ['catalog:read', 'inventory:read', 'orders:read', 'orders:write'], defaults: ['catalog:read', 'inventory:read'] },
  // A partner: the same data scopes, each granted explicitly or by default read-only; the graph's @scopes rules
  // (gateway operation policy and each subgraph's graphql-shield) decide field by field as before.
  partner: { allowed: ['catalog:read', 'inventory:read', 'orders:read', 'orders:write'], defaults: ['catalog:read', 'inventory:read', 'orders:read'] },
  operator: { allowed: ['catalog:read', 'inventory:read', 'orders:read', 'orders:write', 'admin'], defaults: ['admin'] },
});

/** The scopes of `scopes` a token of `tokenClass` may not carry, sorted. */
export const scopesOutsideClass = (tokenClass: TokenClass, scopes: readonly string[]): string[] =>
  [...new Set(scopes.filter((s) => !(CLASS_SCOPES[tokenClass].allowed as readonly string[]).includes(s)))].sort();

/**
 * The class of a credential issued without one (API tokens stored before classes existed, JWTs without the claim),
 * and the default when an issuer names none: `operator` when it holds `admin`, else `partner`. Both classes keep
 * the partner bucket's numbers unless configured otherwise (the operator settings default to the partner's), so
 * such a token is limited exactly as before.
 */
export const inferredTokenClass = (scopes: readonly string[]): TokenClass => (scopes.includes(ADMIN_SCOPE) ? 'operator' : 'partner');
