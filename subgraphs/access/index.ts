import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { readSubgraphSdl } from '../../schema/subgraphs.ts';
import type { TokenStore } from '../../platform/ports/token-store.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import { auditActorOf } from '../../platform/auth/principal.ts';
import type { SubgraphContext } from '../context.ts';
import { scalarResolvers } from '../scalars.ts';
import { SUPPLIERS } from '../../platform/supplier-registry.ts';
import type { AuthenticationKind, Resolvers, TokenClass as TokenClassEnum } from './generated/resolvers-types.ts';
import { isTokenClass, type TokenClass } from '../../platform/auth/token-class.ts';
import { createTokenService, type TokenActor, type TokenService } from './token-service.ts';

const actorOf = (ctx: SubgraphContext): TokenActor => ({ actor: auditActorOf(ctx.auth), subject: ctx.auth.subject, requestId: ctx.requestId });

const KIND: Record<SubgraphContext['auth']['kind'], AuthenticationKind> = { jwt: 'JWT', 'api-token': 'API_TOKEN', dev: 'DEV', system: 'DEV' };

const toEnum = (c: TokenClass): TokenClassEnum => c.toUpperCase() as TokenClassEnum;

/** `viewer`, and the admin's token management (docs/security.md). Scopes are declared in schema/access.graphql. */
export function createAccessResolvers(service: TokenService): Resolvers<SubgraphContext> {
  return {
    ...scalarResolvers,
    Query: {
      viewer: (_root, _args, ctx) => ctx.auth,
      apiTokens: (_root, { tenant, includeRevoked }) => service.list({ ...(tenant ? { tenant } : {}), includeRevoked }),
    },
    Mutation: {
      issueApiToken: async (_root, { input }, ctx) => {
        const issued = await service.issue({ ...input, tokenClass: input.tokenClass?.toLowerCase() ?? null }, actorOf(ctx));
        ctx.log.info({ tokenId: issued.record.id, tenant: issued.record.tenant, tokenClass: issued.record.tokenClass, scopes: issued.record.scopes, by: ctx.auth.subject }, 'API token issued');
        return { token: issued.token, apiToken: issued.record };
      },
      revokeApiToken: async (_root, { id }, ctx) => {
        const revoked = await service.revoke(id, actorOf(ctx));
        if (revoked) ctx.log.info({ tokenId: id, by: ctx.auth.subject }, 'API token revoked');
        return revoked;
      },
    },
    Viewer: {
      scopes: (p) => [...p.scopes],
      suppliers: (p) => (p.suppliers === undefined ? null : [...p.suppliers]),
      authentication: (p) => KIND[p.kind],
      tokenClass: (p) => (p.tokenClass === undefined ? null : toEnum(p.tokenClass)),
    },
    ApiToken: {
      scopes: (t) => [...t.scopes],
      suppliers: (t) => (t.suppliers === null ? null : [...t.suppliers]),
      // As stored: null for a token from before classes (it acts as inferredTokenClass of its scopes).
      tokenClass: (t) => (isTokenClass(t.tokenClass) ? toEnum(t.tokenClass) : null),
    },
  };
}

export interface AccessSubgraph {
  readonly name: 'access';
  readonly schema: GraphQLSchema;
}

export function createAccessSubgraph(tokens: TokenStore, audit?: AuditLog): AccessSubgraph {
  const service = createTokenService({ tokens, knownSuppliers: SUPPLIERS.map((s) => s.slug), audit });
  return {
    name: 'access',
    schema: buildSubgraphSchema({ typeDefs: parse(readSubgraphSdl('access')), resolvers: createAccessResolvers(service) as never }),
  };
}
