import type { IncomingMessage, Server } from 'node:http';
import { buildSchema, parse, printSchema, type GraphQLSchema } from 'graphql';
import type { OperationLimits } from '../../platform/auth/auth-settings.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { OperationPolicy } from '../auth/operation-policy.ts';
import type { Logger } from '../../platform/logger.ts';
import type { EventBus } from '../../platform/ports/event-bus.ts';
import type { AuditLog } from '../../platform/audit/audit-log.ts';
import { auditActorOf } from '../../platform/auth/principal.ts';
import { TOKEN_REVOKED_TOPIC, readTokenRevoked } from './events.ts';
import { createSubscriptionHub, type GatewayExecutor, type HubStats } from './subscription-hub.ts';
import { loadSubscriptionManifests, subscriptionEntries, type SubscriptionManifest } from './subscription-manifest.ts';
import { attachSubscriptionServer, type SubscriptionServerOptions } from './subscription-server.ts';

/** What startGateway takes to serve subscriptions (docs/subscriptions.md). */
export interface GatewaySubscriptionOptions
  extends Pick<SubscriptionServerOptions, 'maxSubscriptionsPerConnection' | 'messageRate' | 'keepAliveMs' | 'maxPendingPerSubscription' | 'maxBufferedBytes' | 'connectionInitWaitMs' | 'origins'> {
  /** The event bus the manifests' topics arrive on (Redis pub/sub: every instance hears all). */
  readonly events: EventBus;
  /**
   * What is served: the owning subgraphs' subscription manifests. @default the committed `schema/*.subscriptions.json`
   * (read offline, like the supergraph; checked against the served schema at start).
   */
  readonly manifests?: readonly SubscriptionManifest[];
  /** The same operation limits as HTTP (config.auth.limits). */
  readonly limits: OperationLimits;
  /**
   * Seam for tests and other deployments: turns the connection_init `authorization` into a principal. When not
   * given, the gateway's own HTTP authentication is used.
   */
  readonly authenticate?: (authorization: string | undefined, request: IncomingMessage) => Promise<Principal>;
  /** Where closing a connection for an expired or revoked credential is recorded (`token.denied`). */
  readonly audit?: AuditLog;
}

export interface RunningSubscriptions {
  readonly stats: HubStats;
  readonly subscribers: number;
  readonly connections: number;
  /** Connections closed 1013 for a slow consumer since start. */
  readonly slowConsumerCloses: number;
  close(): Promise<void>;
}

export interface StartSubscriptionsInput {
  readonly options: GatewaySubscriptionOptions;
  readonly server: Server;
  readonly path: string;
  readonly supergraphSdl: string;
  readonly schema: () => GraphQLSchema;
  /** Runs a query through the gateway as the principal. Every query passed here is derived from an allowed subscription. */
  readonly execute: GatewayExecutor;
  /** The gateway's one operation policy, shared with HTTP (gateway/auth/operation-policy.ts). */
  readonly policy: OperationPolicy;
  readonly authenticate: (authorization: string | undefined, request: IncomingMessage) => Promise<Principal>;
  readonly log: Logger;
}

/** One hub (one event-bus subscription per topic) and the WebSocket endpoint, for one gateway process. */
export async function startGatewaySubscriptions(input: StartSubscriptionsInput): Promise<RunningSubscriptions> {
  const { options } = input;
  // Apollo Server wraps every field of the schema it serves with its own resolver (plugin instrumentation), which
  // would ignore the field resolver our results are re-shaped with: we work on a plain copy, rebuilt per schema load.
  let served: GraphQLSchema | undefined;
  let copy: GraphQLSchema | undefined;
  const schema = (): GraphQLSchema => {
    const current = input.schema();
    if (current !== served) {
      served = current;
      copy = buildSchema(printSchema(current));
    }
    return copy!;
  };
  const entries = subscriptionEntries(options.manifests ?? loadSubscriptionManifests(), schema());
  const hub = createSubscriptionHub({
    events: options.events,
    schema,
    execute: input.execute,
    // Snapshots read through the gateway as the subscriber (the manifest's query), so tenant and supplier
    // restrictions apply as on HTTP.
    entries,
    log: input.log,
  });
  await hub.start();
  const server = attachSubscriptionServer({
    ...options,
    server: input.server,
    path: input.path,
    hub,
    schema,
    policy: input.policy,
    maxTokens: options.limits.maxTokens,
    authenticate: options.authenticate ?? input.authenticate,
    // Asked as the subscriber: the owning subgraph answers only within the caller's tenant (e.g. `order(id:)`).
    canSee: async (entry, key, principal) => {
      const { field, keyArgument } = entry.entity;
      const result = await input.execute(`query SubscriptionEntityCheck($key: ID!) { ${field}(${keyArgument}: $key) { __typename } }`, { key }, principal);
      return (result.data as Record<string, unknown> | null | undefined)?.[field] != null;
    },
    entries,
    onCredentialEnded: (principal, why) =>
      options.audit?.recordInBackground({
        actor: auditActorOf(principal),
        action: 'token.denied',
        outcome: 'denied',
        tenant: principal.tenant,
        target: principal.tokenId === undefined ? null : `token:${principal.tokenId}`,
        reason: 'UNAUTHENTICATED',
      }),
    log: input.log,
  });
  // Revocations reach every instance on the bus, so a revoked token's sockets close wherever they are.
  const offRevoked = await options.events.subscribe(TOKEN_REVOKED_TOPIC, (payload) => {
    const tokenId = readTokenRevoked(payload);
    if (tokenId !== null) server.revoke(tokenId);
  });
  // Redis pub/sub keeps nothing for a disconnected subscriber: after an outage, events published meanwhile are gone.
  // The state they changed is not (MongoDB holds it), so every snapshot subscription is sent its current state
  // again (docs/subscriptions.md, "Bus outages").
  const offGap = options.events.onGap(() => {
    void server.resync().then((n) => input.log.warn({ subscriptions: n }, 'event bus gap: resent the current state to snapshot subscriptions'));
  });
  return {
    stats: hub.stats,
    get subscribers() {
      return hub.size;
    },
    get connections() {
      return server.connections;
    },
    get slowConsumerCloses() {
      return server.slowConsumerCloses;
    },
    async close() {
      offGap();
      await offRevoked().catch((error: unknown) => input.log.warn({ err: error }, 'event bus unsubscribe failed'));
      await server.close();
      await hub.close();
    },
  };
}
