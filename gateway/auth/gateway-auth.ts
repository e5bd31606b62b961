import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, parse } from 'graphql';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import type { AuthConfig } from '../../platform/auth/auth-settings.ts';
import { createGatewayTokenSigner, type GatewayTokenSigner } from '../../platform/auth/gateway-token.ts';
import { auditActorOf, type Principal } from '../../platform/auth/principal.ts';
import { readScopeDeclarations } from '../../platform/auth/scope-declarations.ts';
import type { Logger } from '../../platform/logger.ts';
import type { RateLimitStore } from '../../platform/ports/rate-limit-store.ts';
import type { TokenStore } from '../../platform/ports/token-store.ts';
import type { AuthGuardStore } from '../../platform/ports/auth-guard-store.ts';
import type { Registry } from 'prom-client';
import { clientAddressOf } from './client-address.ts';
import { createFailureThrottle } from './failure-throttle.ts';
import { AuthFailure } from './auth-errors.ts';
import { createAuthenticator } from './authenticate.ts';
import { createJwtVerifier, type JwtVerifierOptions } from './jwt-verifier.ts';
import { createRequestRateLimit } from './request-rate-limit.ts';
import { createShopperHasher, SHOPPER_ID_HEADER } from './shopper-identity.ts';
import { loadPersistedOperations } from './persisted-operations.ts';
import { useOperationGuard, type GuardContext } from './use-operation-guard.ts';
import { readListSizes } from './list-sizes.ts';
import { ACCESS_REFUSALS, createOperationPolicy, type OperationPolicy } from './operation-policy.ts';

export interface GatewayAuthOptions {
  readonly config: AuthConfig;
  readonly tokens: TokenStore;
  readonly rateLimits: RateLimitStore;
  /** Signs gateway → subgraph tokens; the subgraphs must accept it (docs/security.md). */
  readonly signingSecret: string;
  readonly log: Logger;
  /** JWKS cache tuning (tests rotate keys faster than jose's 30 s cooldown). */
  readonly jwks?: Pick<JwtVerifierOptions, 'cooldownMs' | 'cacheMaxAgeMs' | 'timeoutMs'>;
  /** Records token use and denials (docs/security.md, "Audit log"); nothing is recorded without it. */
  readonly audit?: AuditLog | undefined;
  /**
   * Failed-authentication counters (docs/security.md): the shared (Redis) store wherever several gateway instances
   * run, else one in this process's memory. Given by the caller (stack/, bin/): the gateway imports no store adapter.
   */
  readonly authGuards: AuthGuardStore;
  /** Where the authentication failure and throttling counters are registered. */
  readonly metricsRegistry?: Registry | undefined;
}

const isTokenHolder = (p: Principal): boolean => p.kind === 'jwt' || p.kind === 'api-token';

/** Everything the gateway needs for partner access, built once per process. */
export interface GatewayAuth {
  readonly mode: AuthConfig['mode'];
  /**
   * The principal of an HTTP request, after its tenant's (and, behind a storefront token, its shopper's) rate
   * limit; throws the GraphQLError the client gets.
   */
  authenticate(req: Pick<IncomingMessage, 'headers' | 'socket'>, requestId: string): Promise<Principal>;
  readonly signer: GatewayTokenSigner;
  /** The one operation policy over this supergraph's `@scopes` declarations (HTTP and graphql-ws). */
  policy(supergraphSdl: string): OperationPolicy;
  /** Its HTTP binding. */
  plugin(supergraphSdl: string): ApolloServerPlugin<GuardContext>;
  /** Parser token limit. */
  readonly maxTokens: number;
}

export function createGatewayAuth(options: GatewayAuthOptions): GatewayAuth {
  const { config, log } = options;
  const jwt = config.jwt
    ? createJwtVerifier({
        jwksUrl: config.jwt.jwksUrl,
        issuer: config.jwt.issuer,
        audience: config.jwt.audience,
        clockSkewSeconds: config.jwt.clockSkewSeconds,
        tenantClaim: config.jwt.tenantClaim,
        suppliersClaim: config.jwt.suppliersClaim,
        classClaim: config.jwt.classClaim,
        ...options.jwks,
      })
    : undefined;
  const authenticate = createAuthenticator({ mode: config.mode, jwt, tokens: options.tokens, log, metricsRegistry: options.metricsRegistry });
  const failures = createFailureThrottle({
    store: options.authGuards,
    ...config.failureThrottle,
    log,
    audit: options.audit,
    metricsRegistry: options.metricsRegistry,
  });
  const rateLimit = createRequestRateLimit({
    store: options.rateLimits,
    rates: config.requestRates,
    shopperRate: config.shopperRate,
    hashShopper: createShopperHasher(options.signingSecret),
    log,
  });
  const persisted = config.persistedOperationsPath ? loadPersistedOperations(config.persistedOperationsPath) : undefined;
  if (config.mode === 'dev') {
    log.warn('AUTH_MODE=dev: requests WITHOUT a token act as the built-in admin of tenant "default" (loopback only). Set AUTH_MODE=required to refuse them.');
  }
  log.info(
    { mode: config.mode, jwt: config.jwt ? { issuer: config.jwt.issuer, audience: config.jwt.audience } : 'off', persistedOperations: persisted?.size ?? 'off', requestRates: config.requestRates, shopperRate: config.shopperRate, failureThrottle: config.failureThrottle },
    'partner access',
  );
  // One operation policy per supergraph, shared by the HTTP and graphql-ws bindings (operation-policy.ts).
  const policies = new Map<string, OperationPolicy>();
  const policyFor = (supergraphSdl: string): OperationPolicy => {
    let policy = policies.get(supergraphSdl);
    if (policy === undefined) {
      const supergraph = parse(supergraphSdl);
      policy = createOperationPolicy({
        scopes: readScopeDeclarations(supergraph),
        listSizes: readListSizes(supergraph),
        limits: config.limits,
        persisted,
        onRefused: ({ principal, operationName, code, requestId }) => {
          if (!isTokenHolder(principal) || !ACCESS_REFUSALS.has(code)) return;
          options.audit?.recordInBackground({
            actor: auditActorOf(principal),
            action: 'token.denied',
            outcome: 'denied',
            tenant: principal.tenant,
            target: `operation:${operationName ?? 'anonymous'}`,
            requestId: requestId ?? null,
            reason: code,
          });
        },
      });
      policies.set(supergraphSdl, policy);
    }
    return policy;
  };
  return {
    mode: config.mode,
    async authenticate(req, requestId) {
      const header = typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined;
      const subject = { address: clientAddressOf(req, config.trustedProxyHops), credential: header };
      // Warnings on this request's behalf (token store or rate-limit store down) carry its id, as every log line does.
      const requestLog = log.child({ requestId });
      // Refused before any signature check or lookup when this address or credential failed too often.
      failures.check(subject);
      let principal: Principal;
      try {
        principal = await authenticate(header, requestLog);
      } catch (error) {
        // Only a stored token that was refused (revoked, expired) has an actor worth recording; anonymous garbage
        // from the internet would flood the audit log and is in the request logs anyway.
        const failure = error instanceof GraphQLError ? error.originalError : undefined;
        if (failure instanceof AuthFailure && failure.tokenId !== undefined) {
          const target = `token:${failure.tokenId}`;
          options.audit?.recordInBackground({ actor: target, action: 'token.denied', outcome: 'denied', target, requestId, reason: 'UNAUTHENTICATED' });
        }
        // Over the limit, this failure is answered 429 instead (the throttle throws).
        if (failure instanceof AuthFailure) await failures.failed(subject, failure.reason, requestId);
        throw error;
      }
      if (isTokenHolder(principal)) {
        options.audit?.recordInBackground({
          actor: auditActorOf(principal),
          action: 'token.used',
          outcome: 'success',
          tenant: principal.tenant,
          target: principal.tokenId === undefined ? null : `token:${principal.tokenId}`,
          requestId,
        });
      }
      await rateLimit(principal, req.headers[SHOPPER_ID_HEADER], requestLog);
      return principal;
    },
    signer: createGatewayTokenSigner(options.signingSecret),
    policy: policyFor,
    plugin: (supergraphSdl) => useOperationGuard({ policy: policyFor(supergraphSdl), persisted }),
    maxTokens: config.limits.maxTokens,
  };
}
