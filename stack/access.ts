import { randomBytes } from 'node:crypto';
import { createGatewayAuth, type GatewayAuth, type GatewayAuthOptions } from '../gateway/auth/gateway-auth.ts';
import { createGatewayTokenVerifier } from '../platform/auth/gateway-token.ts';
import { createGatewayRequestVerifier, type GatewayRequestVerifier } from '../platform/auth/gateway-request-verifier.ts';
import type { AuthGuardStore } from '../platform/ports/auth-guard-store.ts';
import { createMemoryAuthGuardStore } from '../adapters/auth-guard/memory-auth-guard-store.ts';
import type { Registry } from 'prom-client';
import type { Config } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import type { RateLimitStore } from '../platform/ports/rate-limit-store.ts';
import type { TokenStore } from '../platform/ports/token-store.ts';
import type { AuditLogStore } from '../platform/ports/audit-log.ts';
import { createAuditLog, type AuditLog } from '../platform/audit/audit-log.ts';
import { shareOf, type PartnerShare } from '../subgraphs/supplier/partner-share.ts';
import { publishedLimitsOf, supplierLimitsOf } from './supplier-limits.ts';

export interface StackAccess {
  /** The gateway's side: authentication, operation checks, signing. */
  readonly gateway: GatewayAuth;
  /** The subgraphs' side: checks the gateway's signature, the body it covers, and that it is used once. */
  readonly verifier: GatewayRequestVerifier;
  /** A partner's share of one supplier's request budget. */
  partnerShare(slug: string): PartnerShare;
  /** Token issue, revocation, use and denials are recorded here (docs/security.md, "Audit log"). */
  readonly audit: AuditLog;
}

/**
 * Partner access for the one-machine stack (docs/security.md). Gateway and subgraphs run in this one process, so
 * without GATEWAY_SIGNING_SECRET a random secret per process is safe and nothing outside needs it; a gateway in
 * another process (bin/gateway.ts, or SUBGRAPH_URL_* pointing elsewhere) must share a configured one.
 */
export function createStackAccess(
  config: Config,
  stores: { readonly tokens: TokenStore; readonly rateLimits: RateLimitStore; readonly audit: AuditLogStore; readonly authGuards: AuthGuardStore },
  log: Logger,
  jwks?: GatewayAuthOptions['jwks'],
  metricsRegistry?: Registry,
): StackAccess {
  const configured = config.auth.gatewaySigningSecrets;
  const secrets = configured.length > 0 ? configured : [randomBytes(32).toString('base64url')];
  if (configured.length === 0 && Object.keys(config.subgraphUrls).length > 0) {
    log.warn('SUBGRAPH_URL_* points at subgraphs in other processes but GATEWAY_SIGNING_SECRET is unset: they will refuse this gateway');
  }
  if (config.auth.mode === 'required' && !config.auth.jwt && !config.mongoUrl) {
    log.warn('AUTH_MODE=required with no JWKS_URL and in-memory API tokens: no caller can authenticate until an admin token exists');
  }
  const audit = createAuditLog({ store: stores.audit, log });
  return {
    audit,
    gateway: createGatewayAuth({ config: config.auth, tokens: stores.tokens, rateLimits: stores.rateLimits, authGuards: stores.authGuards, signingSecret: secrets[0]!, log, audit, ...(jwks ? { jwks } : {}), ...(metricsRegistry ? { metricsRegistry } : {}) }),
    verifier: createGatewayRequestVerifier({ tokens: createGatewayTokenVerifier(secrets), claims: stores.authGuards, fallbackClaims: createMemoryAuthGuardStore(), log }),
    partnerShare: (slug) => {
      const entry = config.supplierEntries.find((e) => e.slug === slug);
      const requests = supplierLimitsOf(publishedLimitsOf(slug, config.supplierLimits[slug], entry)).classes['default']!;
      return { store: stores.rateLimits, shape: shareOf(requests, config.auth.partnerSupplierShare), log };
    },
  };
}
