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
import { createSubscriptionHub, type GatewayExecutor, type HubStats, type StockSnapshotRow } from './subscription-hub.ts';

interface SnapshotProduct {
  readonly sku: string;
  readonly stock: { readonly bySupplier: readonly { supplier: string; available: number; version: number; receivedAt: string }[] };
}
import { attachSubscriptionServer, type SubscriptionServerOptions } from './subscription-server.ts';

/** What startGateway takes to serve subscriptions (docs/subscriptions.md). */
export interface GatewaySubscriptionOptions
  extends Pick<SubscriptionServerOptions, 'maxSubscriptionsPerConnection' | 'messageRate' | 'keepAliveMs' | 'maxPendingPerSubscription' | 'maxBufferedBytes' | 'connectionInitWaitMs' | 'origins'> {
  /** The event bus `stock.changed` and `order.status_changed` arrive on (Redis pub/sub: every instance hears all). */
  readonly events: EventBus;
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
  const hub = createSubscriptionHub({
    events: options.events,
    schema,
    execute: input.execute,
    // Snapshots read through the gateway as the subscriber, so tenant and supplier restrictions apply as on HTTP.
    // `Query.product` is a catalog field: a stock-only subscriber (inventory:read) may still read the figures it
    // is subscribed to, so catalog:read is added for this read alone; only stock fields are taken from it.
    readStock: async (skus, principal) => {
      const query = `query SubscriptionStockSnapshot(${skus.map((_, i) => `$s${i}: ID!`).join(', ')}) { ${skus
        .map((_, i) => `p${i}: product(sku: $s${i}) { sku stock { bySupplier { supplier available version receivedAt } } }`)
        .join(' ')} }`;
      const variables = Object.fromEntries(skus.map((sku, i) => [`s${i}`, sku]));
      const scopes: Principal['scopes'] = principal.scopes.includes('catalog:read') ? principal.scopes : [...principal.scopes, 'catalog:read'];
      const result = await input.execute(query, variables, { ...principal, scopes });
      const rows: StockSnapshotRow[] = [];
      for (const product of Object.values((result.data ?? {}) as Record<string, SnapshotProduct | null>)) {
        for (const level of product?.stock.bySupplier ?? []) rows.push({ sku: product!.sku, supplier: level.supplier, available: level.available, version: level.version, at: level.receivedAt });
      }
      return rows;
    },
    readOrder: async (orderId, principal) => {
      const result = await input.execute('query SubscriptionOrderSnapshot($id: ID!) { order(id: $id) { status updatedAt version } }', { id: orderId }, principal);
      return ((result.data as { order?: { status: string; updatedAt: string; version: number } | null } | null | undefined)?.order ?? null);
    },
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
    // Asked as the subscriber: the orders subgraph answers only within the caller's tenant.
    canSeeOrder: async (orderId, principal) => {
      const result = await input.execute('query SubscriptionOrderCheck($id: ID!) { order(id: $id) { id } }', { id: orderId }, principal);
      return (result.data as { order?: unknown } | null | undefined)?.order != null;
    },
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
    async close() {
      offGap();
      await offRevoked().catch((error: unknown) => input.log.warn({ err: error }, 'event bus unsubscribe failed'));
      await server.close();
      await hub.close();
    },
  };
}
