import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { makeServer, type Context } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Principal } from '../../platform/auth/principal.ts';
import type { OperationPolicy } from '../auth/operation-policy.ts';
import type { Logger } from '../../platform/logger.ts';
import type { OutgoingResult } from './outgoing-result.ts';
import { originAllowed, type OriginPolicy } from './origin-policy.ts';
import { prepareSubscription, type PreparedSubscription, type SubscribePayload } from './prepare-subscription.ts';
import type { Subscriber, SubscriptionHub } from './subscription-hub.ts';
import type { SubscriptionEntry } from './subscription-manifest.ts';
import { OutboxBase, type SubscriptionOutbox } from './subscription-outbox.ts';
import { createRateLimitedLog } from '../../platform/rate-limited-log.ts';
import { CODE } from '../../kernel/errors.ts';

const GRAPHQL_TRANSPORT_WS = 'graphql-transport-ws';

/** Close codes (docs/subscriptions.md). graphql-ws's own (4400, 4408, 4409, 4499…) keep their meaning. */
export const CLOSE = {
  UNAUTHORIZED: 4401,
  FORBIDDEN: 4403,
  TOO_MANY_MESSAGES: 4429,
  /** The reader cannot keep up (too many distinct changes waiting, or too much unsent data): reconnect. */
  SLOW_CONSUMER: 1013,
  AUTH_UNAVAILABLE: 1013,
  GOING_AWAY: 1001,
  /** Shutdown (a deploy): graphql-ws clients reconnect and resubscribe. */
  SERVICE_RESTART: 1012,
} as const;

export interface SubscriptionServerOptions {
  /** The gateway's HTTP server: WebSocket upgrades on `path` are served here, on the same URL as HTTP. */
  readonly server: Server;
  readonly path: string;
  readonly hub: SubscriptionHub;
  readonly schema: () => GraphQLSchema;
  /** The gateway's one operation policy (gateway/auth/operation-policy.ts): the same checks and audit as HTTP. */
  readonly policy: OperationPolicy;
  /** Parser token limit. */
  readonly maxTokens: number;
  /**
   * The principal of a connection from its `connection_init` payload (`{ authorization: 'Bearer …' }`), with the
   * same credentials as HTTP; throws a GraphQLError whose `extensions.code` picks the close code
   * (UNAUTHENTICATED → 4401, FORBIDDEN → 4403, RATE_LIMITED and AUTHENTICATION_THROTTLED → 4429,
   * AUTHENTICATION_UNAVAILABLE → 1013). `request` is the WebSocket upgrade request: its peer address is what failed
   * authentications are counted against, as on HTTP.
   */
  authenticate(authorization: string | undefined, request: IncomingMessage): Promise<Principal>;
  /**
   * Whether the principal may see the entity an argument names (a manifest's `visibleArgument`, e.g.
   * `orderStatusChanged(orderId:)`: the tenant check).
   */
  canSee(entry: SubscriptionEntry, key: string, principal: Principal): Promise<boolean>;
  /** The subscriptions served, by root field, from the subgraphs' manifests. */
  readonly entries: ReadonlyMap<string, SubscriptionEntry>;
  readonly log: Logger;
  /** Active subscriptions per connection; one more gets an error. @default 25 */
  readonly maxSubscriptionsPerConnection?: number;
  /** Messages a connection may send per second, sustained, and in a burst; beyond: close 4429. @default { perSecond: 20, burst: 50 } */
  readonly messageRate?: { readonly perSecond: number; readonly burst: number };
  /** WebSocket ping interval; a peer that has not answered the previous ping by the next one is dropped. @default 15000 */
  readonly keepAliveMs?: number;
  /** Distinct changes waiting for one slow subscription before its connection is closed 1013. @default 256 */
  readonly maxPendingPerSubscription?: number;
  /** Unsent bytes on one connection before it is closed 1013. @default 4 MiB */
  readonly maxBufferedBytes?: number;
  /** Time for `connection_init` after the upgrade. @default 3000 */
  readonly connectionInitWaitMs?: number;
  /** Largest message accepted. @default 65536 */
  readonly maxPayloadBytes?: number;
  /** Told when a connection is closed because its credential expired or was revoked (the audit entry). */
  onCredentialEnded?(principal: Principal, why: 'expired' | 'revoked'): void;
  /** Which browser pages may upgrade (origin-policy.ts); others get 403 before any WebSocket exists. */
  readonly origins: OriginPolicy;
}

export interface SubscriptionServer {
  readonly connections: number;
  /** Connections closed 1013 for a slow consumer since start (the `subscription_slow_consumer_closes_total` metric). */
  readonly slowConsumerCloses: number;
  /**
   * Sends every `snapshot: true` subscription its current state again (what the hub reads), dropped per key when
   * not newer than what it was sent: after a bus outage, the changes missed become the state they led to. Returns
   * how many subscriptions were re-read.
   */
  resync(concurrency?: number): Promise<number>;
  /** Closes (4401) every connection authenticated with this token; returns how many. */
  revoke(tokenId: string): number;
  /** Closes every connection 1012 (service restart, retried by clients) and waits for them to go, at most `graceMs`, then terminates the rest. */
  close(graceMs?: number): Promise<void>;
}

interface Connection {
  readonly socket: WebSocket;
  /** The upgrade request (peer address, forwarding headers). */
  readonly request: IncomingMessage;
  principal?: Principal;
  readonly queues: Set<SubscriptionOutbox<OutgoingResult>>;
  alive: boolean;
  /** Which tick of the keep-alive round pings this connection (pings are spread over the interval). */
  readonly pingSlot: number;
  tokens: number;
  refilledAt: number;
  /** Closes the connection when its credential expires. */
  expiry?: NodeJS.Timeout;
}

type Extra = { readonly connection: Connection };
type SubscriptionContext = { readonly id: string; readonly prepared: PreparedSubscription; readonly principal: Principal; readonly connection: Connection };

/** Keep-alive ticks per interval: each pings its share of the connections, so 10,000 pings do not land at once. */
const PING_SLOTS = 16;

const closeCodeOf = (error: unknown): number => {
  const code = error instanceof GraphQLError ? error.extensions['code'] : undefined;
  if (code === CODE.UNAUTHENTICATED) return CLOSE.UNAUTHORIZED;
  if (code === CODE.FORBIDDEN) return CLOSE.FORBIDDEN;
  if (code === CODE.RATE_LIMITED || code === CODE.AUTHENTICATION_THROTTLED) return CLOSE.TOO_MANY_MESSAGES;
  if (code === CODE.AUTHENTICATION_UNAVAILABLE) return CLOSE.AUTH_UNAVAILABLE;
  return CLOSE.UNAUTHORIZED;
};

/**
 * The TCP socket under a WebSocket, when `next` frames may be written to it directly. Without a negotiated
 * extension (the server offers none: no permessage-deflate) a ws frame is just bytes on that socket, and ws writes
 * every frame of its own (graphql-ws's messages, pings, close) synchronously and whole, in call order — so a
 * pre-built frame shared by a whole group can go straight to it: one `write` of one buffer per subscriber instead
 * of ws's per-send header, cork, writev and callback wrapping. Same bytes on the wire, same order, same
 * `bufferedAmount` (it counts that socket's buffer). ws has no public call for writing a ready frame; `_socket` has
 * been its socket field since ws 1. Without it, or with an extension, `next` goes through `send`.
 */
function frameSocketOf(socket: WebSocket): Duplex | undefined {
  const raw = (socket as unknown as { _socket?: Duplex })._socket;
  return raw !== undefined && socket.extensions === '' ? raw : undefined;
}

/** Queued behind a frame that did not leave at once: its callback says the frame has. */
const EMPTY = Buffer.alloc(0);

/** A close reason is at most 123 bytes. */
const reason = (text: string): string => (Buffer.byteLength(text) <= 123 ? text : `${text.slice(0, 110)}…`);

/**
 * One graphql-ws subscription on one connection: the hub's Subscriber and its outbox in one object. A fan-out's
 * delivery reads this object, the result's cached frame and the socket — not a subscriber, the contexts of the
 * closures it calls, a separate outbox and its options (at 10,000 subscribers each was a cache miss per delivery,
 * which is most of what the gateway spent per delivery above a bare socket write). Behaviour is the outbox's.
 */
class SocketSubscriber extends OutboxBase<OutgoingResult> implements Subscriber {
  /** Leaves the hub (and resyncs); set once registered. */
  remove: () => void = () => {};
  /**
   * `snapshot: true`: the current state goes first, then changes. The subscriber is registered before the state is
   * read, so a change stored meanwhile is either in the state read or delivered after it; changes arriving while the
   * read runs are held, and any not newer than the state read for its key is dropped here (a client that reconnected
   * sees no step backwards, nor the same version twice on this subscription; across reconnects it drops duplicates
   * by `version` itself). Only a subscription that watches particular entities (listed SKUs, one order) has a
   * current state to send, which also bounds `covered`; `snapshot: true` without them means changes only.
   */
  held: [string, OutgoingResult, number][] | null;
  readonly covered = new Map<string, number>();
  private readonly snapshotted: boolean;
  private readonly socket: WebSocket;
  /** The frame socket (frameSocketOf), settled once the socket is open. */
  private readonly direct: Duplex | undefined;

  constructor(
    readonly prepared: PreparedSubscription,
    readonly principal: Principal,
    private readonly id: string,
    private readonly connection: Connection,
    protected readonly maxPending: number,
    private readonly maxBuffered: number,
    private readonly onSlowConsumer: () => void,
  ) {
    super();
    this.socket = connection.socket;
    this.direct = frameSocketOf(connection.socket);
    this.snapshotted = prepared.snapshot;
    this.held = prepared.snapshot ? [] : null;
  }

  deliver(key: string, result: OutgoingResult, version: number): void {
    if (this.held !== null) return void this.held.push([key, result, version]);
    if (this.snapshotted) {
      // Bounded: keys of the listed SKUs (× suppliers) or the one order.
      const seen = this.covered.get(key);
      if (seen !== undefined && version <= seen) return;
      this.covered.set(key, version);
    }
    this.offer(key, result);
  }

  /** Into the outbox, unless the connection has too much unsent already (then it is closed). */
  offer(key: string, result: OutgoingResult): void {
    // With the frame socket, ws's `bufferedAmount` is that socket's `writableLength` (its sender queues nothing
    // without an extension); read directly, a delivery does not touch the sender object as well.
    if ((this.direct !== undefined ? this.direct.writableLength : this.socket.bufferedAmount) > this.maxBuffered) {
      this.closeSlow(`slow consumer: more than ${this.maxBuffered} bytes unsent`);
      return;
    }
    this.push(key, result);
  }

  protected write(result: OutgoingResult, written: () => void): boolean {
    if (this.socket.readyState !== this.socket.OPEN) return true;
    const direct = this.direct;
    if (direct === undefined) {
      this.socket.send(result.message(this.id), { binary: false }, written);
      return false;
    }
    // No callback: when the kernel takes the frame at once (the common case), Node then schedules nothing — a
    // write with a callback costs a tick, an allocation and, with an AsyncLocalStorage enabled (tracing, signed
    // fetches), an async-hook call per delivery. Nothing left unsent means it left the process; otherwise an empty
    // write queued behind it calls `written` once it has, so a slow reader's next values wait, coalesced, in the
    // outbox rather than in socket buffers.
    direct.write(result.frame(this.id));
    if (direct.writableLength === 0) return true;
    direct.write(EMPTY, written);
    return false;
  }

  protected onOverflow(): void {
    this.closeSlow(`slow consumer: more than ${this.maxPending} changes waiting`);
  }

  /** Counted once per connection: later deliveries to a closing socket land here again. */
  private closeSlow(text: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.onSlowConsumer();
    this.socket.close(CLOSE.SLOW_CONSUMER, reason(text));
  }

  protected onReturn(): void {
    this.remove();
    this.connection.queues.delete(this);
  }
}

/**
 * graphql-ws (graphql-transport-ws protocol) on the gateway's own HTTP server. Our own binding of graphql-ws's
 * `makeServer` rather than `useServer`, because the limits live at the socket: message rate, keep-alive, unsent
 * bytes, and shutdown with a close code.
 */
export function attachSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const log = options.log.child({ component: 'subscriptions' });
  // Any page can attempt an upgrade: refusals are logged once, then one line a minute with the count.
  const refusedUpgrades = createRateLimitedLog({ log });
  const maxSubscriptions = options.maxSubscriptionsPerConnection ?? 25;
  const rate = options.messageRate ?? { perSecond: 20, burst: 50 };
  const maxPending = options.maxPendingPerSubscription ?? 256;
  const maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  const connections = new Set<Connection>();
  let slowConsumerCloses = 0;
  const countSlowConsumer = (): void => void (slowConsumerCloses += 1);
  /** Re-reads the state of each `snapshot: true` subscription (resync after a bus outage). */
  const resyncs = new Set<() => Promise<void>>();
  let closing = false;
  let nextPingSlot = 0;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayloadBytes ?? 65_536,
    handleProtocols: (protocols) => (protocols.has(GRAPHQL_TRANSPORT_WS) ? GRAPHQL_TRANSPORT_WS : false),
  });

  const graphqlWs = makeServer<Record<string, unknown> | undefined, Extra>({
    connectionInitWaitTimeout: options.connectionInitWaitMs ?? 3_000,
    async onConnect(ctx) {
      const { connection } = ctx.extra;
      const params = ctx.connectionParams ?? {};
      const header = params['authorization'] ?? params['Authorization'];
      try {
        const principal = await options.authenticate(typeof header === 'string' ? header : undefined, connection.request);
        connection.principal = principal;
        if (principal.expiresAt !== undefined) armExpiry(connection, Date.parse(principal.expiresAt));
        return true;
      } catch (error) {
        // Close with our code first; graphql-ws's own close (4403) after `false` is then a no-op.
        connection.socket.close(closeCodeOf(error), reason(error instanceof Error ? error.message : 'Unauthorized'));
        return false;
      }
    },
    async onSubscribe(ctx: Context<Record<string, unknown> | undefined, Extra>, id, payload) {
      const { connection } = ctx.extra;
      const principal = connection.principal!;
      if (Object.keys(ctx.subscriptions).length > maxSubscriptions) {
        return [new GraphQLError(`At most ${maxSubscriptions} subscriptions per connection`, { extensions: { code: CODE.TOO_MANY_SUBSCRIPTIONS, max: maxSubscriptions } })];
      }
      const prepared = prepareSubscription(payload as SubscribePayload, principal, { schema: options.schema(), policy: options.policy, maxTokens: options.maxTokens, entries: options.entries });
      if (Array.isArray(prepared)) return prepared;
      const { visibleArgument, entity } = prepared.entry;
      const named = visibleArgument === undefined ? undefined : prepared.args[visibleArgument];
      if (typeof named === 'string' && !(await options.canSee(prepared.entry, named, principal))) {
        // Another tenant's entity and an unknown one look the same: nothing about other tenants leaks.
        return [new GraphQLError(`No ${entity.field} ${named} in your tenant`, { extensions: { code: CODE.FORBIDDEN } })];
      }
      const contextValue: SubscriptionContext = { id, prepared, principal, connection };
      return { schema: options.schema(), document: prepared.document, variableValues: prepared.variables as Record<string, unknown>, contextValue };
    },
    subscribe(args) {
      const { id, prepared, principal, connection } = args.contextValue as SubscriptionContext;
      // `next` messages go straight to the socket, pre-serialised (subscription-outbox.ts); graphql-ws keeps the
      // protocol around them: `error` for a refused subscribe, `complete` when the outbox ends. The subscriber is its
      // own outbox (one object per delivery: see SocketSubscriber).
      const subscriber = new SocketSubscriber(prepared, principal, id, connection, maxPending, maxBuffered, countSlowConsumer);
      connection.queues.add(subscriber);
      subscriber.remove = options.hub.add(subscriber);
      if (prepared.snapshot) {
        // After a bus outage (resync): the current state again, through the same version filter, so changes
        // missed meanwhile reach the subscriber as the state they led to.
        const resnapshot = () =>
          options.hub.snapshot(subscriber).then(
            (entries) => entries.forEach((entry) => subscriber.deliver(entry.key, entry.result, entry.version)),
            (error: unknown) => log.warn({ err: error, field: prepared.field }, 'subscription resync failed'),
          );
        resyncs.add(resnapshot);
        const removeFromHub = subscriber.remove;
        subscriber.remove = () => {
          resyncs.delete(resnapshot);
          removeFromHub();
        };
      }
      if (subscriber.held !== null) {
        options.hub
          .snapshot(subscriber)
          .catch((error: unknown) => {
            log.warn({ err: error, field: prepared.field }, 'subscription snapshot failed; changes only');
            return [];
          })
          .then((entries) => {
            for (const entry of entries) {
              subscriber.covered.set(entry.key, entry.version);
              subscriber.offer(entry.key, entry.result);
            }
            const waiting = subscriber.held ?? [];
            subscriber.held = null;
            for (const [key, result, version] of waiting) subscriber.deliver(key, result, version);
          });
      }
      return subscriber;
    },
  });

  /**
   * A credential is checked at `connection_init` only, so a connection would outlive its token: it is closed 4401
   * when the credential expires, or is revoked (`revoke`), with an audit entry. graphql-ws clients do not retry
   * 4401: the user needs a new token, and a reconnect with the old one is refused anyway.
   */
  const endCredential = (connection: Connection, why: 'expired' | 'revoked') => {
    if (connection.socket.readyState !== connection.socket.OPEN) return;
    log.info({ tokenId: connection.principal?.tokenId, subject: connection.principal?.subject, why }, 'closed a subscription connection: its credential ended');
    if (connection.principal !== undefined) options.onCredentialEnded?.(connection.principal, why);
    connection.socket.close(CLOSE.UNAUTHORIZED, why === 'expired' ? 'Token expired' : 'Token revoked');
  };
  // setTimeout holds at most 2^31-1 ms (~24.8 days): a longer expiry re-arms on the way.
  const MAX_TIMER_MS = 2 ** 31 - 1;
  const armExpiry = (connection: Connection, at: number) => {
    const wait = at - Date.now();
    if (wait <= 0) return endCredential(connection, 'expired');
    connection.expiry = setTimeout(() => (wait > MAX_TIMER_MS ? armExpiry(connection, at) : endCredential(connection, 'expired')), Math.min(wait, MAX_TIMER_MS));
    connection.expiry.unref();
  };

  /** Refills the connection's message bucket; false when the message is over the rate. */
  const allowMessage = (connection: Connection): boolean => {
    const now = Date.now();
    connection.tokens = Math.min(rate.burst, connection.tokens + ((now - connection.refilledAt) / 1000) * rate.perSecond);
    connection.refilledAt = now;
    if (connection.tokens < 1) return false;
    connection.tokens -= 1;
    return true;
  };

  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const connection: Connection = { socket, request, queues: new Set(), alive: true, pingSlot: nextPingSlot, tokens: rate.burst, refilledAt: Date.now() };
    nextPingSlot = (nextPingSlot + 1) % PING_SLOTS;
    connections.add(connection);
    socket.on('pong', () => (connection.alive = true));
    socket.on('error', (error) => log.debug({ err: error }, 'websocket error'));
    const closed = graphqlWs.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            // Resolves once written: graphql-ws pulls the next value only then, so a slow reader's values wait,
            // coalesced, in its queue rather than in socket buffers.
            socket.send(data, () => resolve());
          }),
        close: (code, text) => socket.close(code, text),
        onMessage: (handler) =>
          socket.on('message', (data) => {
            if (!allowMessage(connection)) {
              socket.close(CLOSE.TOO_MANY_MESSAGES, 'Too many messages');
              return;
            }
            handler(String(data)).catch((error: unknown) => {
              log.error({ err: error }, 'subscription message handling failed');
              socket.close(4500, 'Internal server error');
            });
          }),
      },
      { connection },
    );
    socket.once('close', (code, text) => {
      connections.delete(connection);
      clearTimeout(connection.expiry);
      closed(code, String(text)).catch((error: unknown) => log.warn({ err: error }, 'subscription cleanup failed'));
    });
  });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== options.path) return void socket.destroy();
    if (closing) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const origin = req.headers.origin;
    if (!originAllowed(origin, options.origins, req.headers.host)) {
      refusedUpgrades.log('warn', 'origin', { origin: origin?.slice(0, 200), peer: req.socket.remoteAddress }, 'refused a WebSocket upgrade from a page whose origin is not allowed');
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  options.server.on('upgrade', onUpgrade);

  // One timer for every connection: a peer that did not answer the last ping is gone (half-open TCP). Each tick
  // handles one slot, so every connection is still pinged once per interval, but a ping round of 10,000 sockets
  // (a socket write each) does not stall an event's fan-out all at once.
  let pingTick = 0;
  const keepAlive = setInterval(() => {
    const slot = pingTick;
    pingTick = (pingTick + 1) % PING_SLOTS;
    for (const connection of connections) {
      if (connection.pingSlot !== slot) continue;
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }, Math.max(1, Math.floor((options.keepAliveMs ?? 15_000) / PING_SLOTS)));
  keepAlive.unref();

  return {
    get connections() {
      return connections.size;
    },
    get slowConsumerCloses() {
      return slowConsumerCloses;
    },
    async resync(concurrency = 32) {
      const all = [...resyncs];
      let next = 0;
      const worker = async () => {
        while (next < all.length) await all[next++]!();
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, all.length) }, worker));
      return all.length;
    },
    revoke(tokenId) {
      let closed = 0;
      for (const connection of connections) {
        if (connection.principal?.tokenId !== tokenId) continue;
        endCredential(connection, 'revoked');
        closed += 1;
      }
      return closed;
    },
    async close(graceMs = 2_000) {
      refusedUpgrades.close();
      closing = true;
      clearInterval(keepAlive);
      options.server.off('upgrade', onUpgrade);
      // Never `complete`: to a graphql-ws (or Apollo) client a completed subscription is over, and it would not
      // resubscribe. 1012 "service restart" is a close graphql-ws clients retry: they reconnect (to another
      // instance) and resubscribe, and `snapshot: true` gives them the current state first (docs/subscriptions.md).
      // What is already written leaves before the close frame (ws queues it behind).
      for (const connection of connections) connection.socket.close(CLOSE.SERVICE_RESTART, 'Service restart');
      const until = Date.now() + graceMs;
      while (connections.size > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
      for (const connection of connections) connection.socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
