import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { parse } from 'graphql';
import type { AuthConfig } from '../../platform/auth/auth-settings.ts';
import { createGatewayTokenSigner, type GatewayTokenSigner } from '../../platform/auth/gateway-token.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { readScopeDeclarations } from '../../platform/auth/scope-declarations.ts';
import type { Logger } from '../../platform/logger.ts';
import type { RateLimitStore } from '../../platform/ports/rate-limit-store.ts';
import type { TokenStore } from '../../platform/ports/token-store.ts';
import { createAuthenticator } from './authenticate.ts';
import { createJwtVerifier, type JwtVerifierOptions } from './jwt-verifier.ts';
import { createPartnerRateLimit } from './partner-rate-limit.ts';
import { loadPersistedOperations } from './persisted-operations.ts';
import { useOperationGuard } from './use-operation-guard.ts';

export interface GatewayAuthOptions {
  readonly config: AuthConfig;
  readonly tokens: TokenStore;
  readonly rateLimits: RateLimitStore;
  /** Signs gateway → subgraph tokens; the subgraphs must accept it (docs/security.md). */
  readonly signingSecret: string;
  readonly log: Logger;
  /** JWKS cache tuning (tests rotate keys faster than jose's 30 s cooldown). */
  readonly jwks?: Pick<JwtVerifierOptions, 'cooldownMs' | 'cacheMaxAgeMs' | 'timeoutMs'>;
}

/** Everything the gateway needs for partner access, built once per process. */
export interface GatewayAuth {
  readonly mode: AuthConfig['mode'];
  /** The principal of an HTTP request, after its tenant's rate limit; throws the GraphQLError the client gets. */
  authenticate(req: IncomingMessage): Promise<Principal>;
  readonly signer: GatewayTokenSigner;
  /** The operation checks over this supergraph's `@scopes` declarations. */
  plugin(supergraphSdl: string): ApolloServerPlugin<{ principal: Principal }>;
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
        ...options.jwks,
      })
    : undefined;
  const authenticate = createAuthenticator({ mode: config.mode, jwt, tokens: options.tokens, log });
  const rateLimit = createPartnerRateLimit({ store: options.rateLimits, ...config.partnerRate, log });
  const persisted = config.persistedOperationsPath ? loadPersistedOperations(config.persistedOperationsPath) : undefined;
  if (config.mode === 'dev') {
    log.warn('AUTH_MODE=dev: requests WITHOUT a token act as the built-in admin of tenant "default" (loopback only). Set AUTH_MODE=required to refuse them.');
  }
  log.info(
    { mode: config.mode, jwt: config.jwt ? { issuer: config.jwt.issuer, audience: config.jwt.audience } : 'off', persistedOperations: persisted?.size ?? 'off', partnerRate: config.partnerRate },
    'partner access',
  );
  return {
    mode: config.mode,
    async authenticate(req) {
      const header = req.headers.authorization;
      const principal = await authenticate(typeof header === 'string' ? header : undefined);
      await rateLimit(principal);
      return principal;
    },
    signer: createGatewayTokenSigner(options.signingSecret),
    plugin: (supergraphSdl) => useOperationGuard({ scopes: readScopeDeclarations(parse(supergraphSdl)), limits: config.limits, persisted }),
    maxTokens: config.limits.maxTokens,
  };
}
