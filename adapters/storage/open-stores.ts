import type { Redis } from 'ioredis';
import type { MongoClient } from 'mongodb';
import type { Logger } from '../../platform/logger.ts';
import type { Cache } from '../../platform/ports/cache.ts';
import type { CatalogStore } from '../../platform/ports/catalog-store.ts';
import type { EventBus } from '../../platform/ports/event-bus.ts';
import type { OrderStore } from '../../platform/ports/order-store.ts';
import type { StockStore } from '../../platform/ports/stock-store.ts';
import { createMemoryCache } from '../cache/memory-cache.ts';
import { createRedisCache } from '../cache/redis-cache.ts';
import { createMemoryEventBus } from '../events/memory-event-bus.ts';
import { createRedisEventBus } from '../events/redis-event-bus.ts';
import { connectRedis } from '../redis/redis-client.ts';
import { guardOf } from '../redis/redis-guard.ts';
import { hostOf } from '../store-kit/host-of.ts';
import { createMemoryCatalogStore } from './memory/catalog-store.ts';
import { createMemoryOrderStore } from './memory/order-store.ts';
import { createMemoryStockStore } from './memory/stock-store.ts';
import { createMongoCatalogStore } from './mongo/catalog-store.ts';
import { connectMongo, databaseInUrl } from './mongo/connect-mongo.ts';
import { createMongoOrderStore } from './mongo/order-store.ts';
import type { RateLimitStore } from '../../platform/ports/rate-limit-store.ts';
import { createMemoryBucketStore } from '../ratelimit/memory-bucket-store.ts';
import { createRedisBucketStore } from '../ratelimit/redis-bucket-store.ts';
import { createFallbackBucketStore } from '../ratelimit/fallback-bucket-store.ts';
import { createMongoStockStore } from './mongo/stock-store.ts';
import type { ReservationStore } from '../../platform/ports/reservation-store.ts';
import { createMemoryReservationStore } from './memory/reservation-store.ts';
import { createMongoReservationStore } from './mongo/reservation-store.ts';
import type { DiscrepancyStore } from '../../platform/ports/discrepancy-store.ts';
import type { WebhookInbox } from '../../platform/ports/webhook-inbox.ts';
import { createMemoryDiscrepancyStore } from './memory/discrepancy-store.ts';
import { createMemoryWebhookInbox } from './memory/webhook-inbox.ts';
import { createMongoDiscrepancyStore } from './mongo/discrepancy-store.ts';
import { createMongoWebhookInbox } from './mongo/webhook-inbox.ts';
import type { TokenStore } from '../../platform/ports/token-store.ts';
import { createMemoryTokenStore } from './memory/token-store.ts';
import { createMongoTokenStore } from './mongo/token-store.ts';
import type { AuditLogStore } from '../../platform/ports/audit-log.ts';
import type { CredentialStore } from '../../platform/ports/credential-store.ts';
import { createMemoryAuditLogStore } from './memory/audit-log.ts';
import { createMemoryCredentialStore } from './memory/credential-store.ts';
import { createMongoAuditLogStore } from './mongo/audit-log.ts';
import { createMongoCredentialStore } from './mongo/credential-store.ts';
import type { WebhookDeliveryLog } from '../../platform/ports/webhook-delivery-log.ts';
import { createMemoryWebhookDeliveryLog } from './memory/webhook-delivery-log.ts';
import { createMongoWebhookDeliveryLog } from './mongo/webhook-delivery-log.ts';
import type { PricingRuleStore } from '../../platform/ports/pricing-rule-store.ts';
import { createMemoryPricingRuleStore } from './memory/pricing-rule-store.ts';
import { createMongoPricingRuleStore } from './mongo/pricing-rule-store.ts';
import type { ListingStore } from '../../platform/ports/listing-store.ts';
import { createMemoryListingStore } from './memory/listing-store.ts';
import { createMongoListingStore } from './mongo/listing-store.ts';

export interface StoresConfig {
  /** MongoDB (or MongoDB-protocol) URL; in-memory document stores when undefined. */
  readonly mongoUrl?: string | undefined;
  /** @default the database in `mongoUrl`'s path, else "dropship" */
  readonly mongoDb?: string | undefined;
  /** Redis URL for the cache and the event bus; in-process ones when undefined. */
  readonly redisUrl?: string | undefined;
  /** Prefix of every Redis key and channel. @default "dropship:" */
  readonly keyPrefix?: string | undefined;
  /** Share of each supplier bucket this process may use alone while Redis is unreachable. @default 1 */
  readonly rateLimitShare?: number | undefined;
  /** How soon a store outage fails a call (Config.storeTimeouts); the adapters' defaults when not given. */
  readonly timeouts?: { readonly redisCommandMs?: number; readonly mongoServerSelectionMs?: number; readonly mongoSocketMs?: number } | undefined;
}

/** One backing store as /readyz reports it: a store that is down degrades the service, it does not stop it. */
export interface DependencyHealth {
  readonly name: 'mongodb' | 'redis';
  readonly up: boolean;
  /** Why it is down (no host, no credentials), or the Redis breaker's counters. */
  readonly detail?: string;
}

export interface Stores {
  readonly catalog: CatalogStore;
  readonly stock: StockStore;
  readonly orders: OrderStore;
  /** Reservation documents and their settled outcomes (the held units live on the stock rows). */
  readonly reservations: ReservationStore;
  /** Verified supplier webhook deliveries awaiting (and, for dedupe, after) processing. */
  readonly webhookInbox: WebhookInbox;
  /** Reconciliation runs and the stock discrepancies they found. */
  readonly discrepancies: DiscrepancyStore;
  /** Partners' API tokens (hashes only, docs/security.md). */
  readonly tokens: TokenStore;
  /** Supplier credentials, sealed (platform/secrets opens them in memory; docs/security.md). */
  readonly credentials: CredentialStore;
  /** Append-only audit log of admin actions, token use and order changes (docs/security.md). */
  readonly audit: AuditLogStore;
  /** Outbound order webhooks: every delivery and attempt, and the pending retries a restart resumes (docs/orders.md). */
  readonly orderWebhookDeliveries: WebhookDeliveryLog;
  /** Pricing rules set through the graph (docs/storefront.md "Prices"). */
  readonly pricingRules: PricingRuleStore;
  /** The listing read model `searchProducts` reads (docs/storefront.md "Listing"); written by the catalog's listing indexer only. */
  readonly listing: ListingStore;
  readonly cache: Cache;
  readonly events: EventBus;
  /** Token buckets shared by every process (Redis, falling back to local buckets), or local ones embedded. */
  readonly rateLimits: RateLimitStore;
  readonly mode: { readonly documents: 'mongodb' | 'memory'; readonly cache: 'redis' | 'memory' };
  /** The configured servers' state, from what the clients already know (no I/O): Redis connections and breakers, MongoDB heartbeats. */
  health(): readonly DependencyHealth[];
  close(): Promise<void>;
}

/**
 * Opens every storage port: MongoDB and Redis when their URLs are given, the embedded implementations when not.
 * Fails fast, naming the host, when a configured server is unreachable, and releases whatever it had opened.
 */
export async function openStores(config: StoresConfig, log: Logger): Promise<Stores> {
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const closeOne of closers.splice(0).reverse()) {
      await closeOne().catch((error: unknown) => log.warn({ err: error }, 'closing a store failed'));
    }
  };
  // An empty variable (MONGO_URL=) means "not configured", like an absent one.
  const mongoUrl = config.mongoUrl || undefined;
  const redisUrl = config.redisUrl || undefined;
  try {
    const timeouts = config.timeouts ?? {};
    const checks: (() => DependencyHealth)[] = [];
    const documents = mongoUrl === undefined ? openMemoryDocuments() : await openMongoDocuments(mongoUrl, config.mongoDb, log, closers, timeouts, checks);
    const shared = redisUrl === undefined
      ? { cache: createMemoryCache(), events: createMemoryEventBus({ log }), rateLimits: createMemoryBucketStore() }
      : await openRedis(redisUrl, config.keyPrefix ?? 'dropship:', log, config.rateLimitShare ?? 1, timeouts.redisCommandMs, checks);
    closers.push(() => shared.cache.close(), () => shared.events.close());
    const mode = { documents: mongoUrl === undefined ? 'memory' : 'mongodb', cache: redisUrl === undefined ? 'memory' : 'redis' } as const;
    log.info(
      {
        ...mode,
        ...(mongoUrl === undefined ? {} : { mongo: hostOf(mongoUrl) }),
        ...(redisUrl === undefined ? {} : { redis: hostOf(redisUrl) }),
      },
      'stores opened',
    );
    return { ...documents, ...shared, mode, health: () => checks.map((check) => check()), close };
  } catch (error) {
    await close();
    throw error;
  }
}

function openMemoryDocuments(): Pick<Stores, 'catalog' | 'stock' | 'orders' | 'webhookInbox' | 'discrepancies' | 'reservations' | 'tokens' | 'credentials' | 'audit' | 'orderWebhookDeliveries' | 'pricingRules' | 'listing'> {
  return {
    catalog: createMemoryCatalogStore(),
    stock: createMemoryStockStore(),
    orders: createMemoryOrderStore(),
    reservations: createMemoryReservationStore(),
    webhookInbox: createMemoryWebhookInbox(),
    discrepancies: createMemoryDiscrepancyStore(),
    tokens: createMemoryTokenStore(),
    credentials: createMemoryCredentialStore(),
    audit: createMemoryAuditLogStore(),
    orderWebhookDeliveries: createMemoryWebhookDeliveryLog(),
    pricingRules: createMemoryPricingRuleStore(),
    listing: createMemoryListingStore(),
  };
}

async function openMongoDocuments(
  url: string,
  dbName: string | undefined,
  log: Logger,
  closers: (() => Promise<void>)[],
  timeouts: NonNullable<StoresConfig['timeouts']>,
  checks: (() => DependencyHealth)[],
): Promise<Pick<Stores, 'catalog' | 'stock' | 'orders' | 'webhookInbox' | 'discrepancies' | 'reservations' | 'tokens' | 'credentials' | 'audit' | 'orderWebhookDeliveries' | 'pricingRules' | 'listing'>> {
  const client: MongoClient = await connectMongo(url, {
    ...(timeouts.mongoServerSelectionMs === undefined ? {} : { serverSelectionTimeoutMs: timeouts.mongoServerSelectionMs }),
    ...(timeouts.mongoSocketMs === undefined ? {} : { socketTimeoutMs: timeouts.mongoSocketMs }),
  });
  closers.push(() => client.close());
  // The driver's own heartbeats (every 2 s, connect-mongo.ts) say whether the server answers: no extra round trip.
  let mongoDown: string | null = null;
  client.on('serverHeartbeatFailed', (event) => {
    if (mongoDown === null) log.warn({ err: { message: event.failure.name } }, 'MongoDB stopped answering; reads that need it fail with STORE_UNAVAILABLE');
    mongoDown = event.failure.name;
  });
  client.on('serverHeartbeatSucceeded', () => {
    if (mongoDown !== null) log.info('MongoDB answers again');
    mongoDown = null;
  });
  checks.push(() => (mongoDown === null ? { name: 'mongodb', up: true } : { name: 'mongodb', up: false, detail: `heartbeat failed (${mongoDown})` }));
  const db = client.db(dbName ?? databaseInUrl(url) ?? 'dropship');
  const catalog = createMongoCatalogStore({ db });
  const stock = createMongoStockStore({ db, log });
  const orders = createMongoOrderStore({ db });
  const reservations = createMongoReservationStore({ db });
  const webhookInbox = createMongoWebhookInbox({ db });
  const discrepancies = createMongoDiscrepancyStore({ db });
  const tokens = createMongoTokenStore({ db });
  const credentials = createMongoCredentialStore({ db });
  const audit = createMongoAuditLogStore({ db });
  const orderWebhookDeliveries = createMongoWebhookDeliveryLog({ db });
  await credentials.ensureIndexes();
  await audit.ensureIndexes();
  await orderWebhookDeliveries.ensureIndexes();
  await tokens.ensureIndexes();
  await webhookInbox.ensureIndexes();
  await discrepancies.ensureIndexes();
  await catalog.ensureIndexes();
  await stock.ensureIndexes();
  await orders.ensureIndexes();
  await reservations.ensureIndexes();
  const listing = createMongoListingStore({ db });
  await listing.ensureIndexes();
  return { catalog, stock, orders, webhookInbox, discrepancies, reservations, tokens, credentials, audit, orderWebhookDeliveries, pricingRules: createMongoPricingRuleStore({ db }), listing };
}

async function openRedis(
  url: string,
  keyPrefix: string,
  log: Logger,
  share: number,
  commandTimeoutMs: number | undefined,
  checks: (() => DependencyHealth)[],
): Promise<Pick<Stores, 'cache' | 'events' | 'rateLimits'>> {
  // Three connections: cache commands, publishing, and the subscriber, which Redis reserves for pub/sub.
  const opened: Redis[] = [];
  try {
    for (const role of ['commands', 'publisher', 'subscriber']) opened.push(await connectRedis(url, log, role, commandTimeoutMs === undefined ? {} : { commandTimeoutMs }));
  } catch (error) {
    for (const client of opened) client.disconnect();
    throw error;
  }
  const [commands, publisher, subscriber] = opened as [Redis, Redis, Redis];
  checks.push(() => {
    const roles = { commands, publisher, subscriber };
    const down = Object.entries(roles).filter(([, client]) => guardOf(client).stats().state === 'down');
    const { refused, failed } = guardOf(commands).stats();
    const counters = `commands refused ${refused}, failed ${failed}`;
    return down.length === 0 ? { name: 'redis', up: true, detail: counters } : { name: 'redis', up: false, detail: `${down.map(([role, c]) => `${role} ${c.status}`).join(', ')}; ${counters}` };
  });
  return {
    cache: createRedisCache({ client: commands, keyPrefix }),
    events: createRedisEventBus({ publisher, subscriber, keyPrefix, log }),
    // Through a Redis outage each process falls back to its share of every bucket, so orders keep flowing.
    rateLimits: createFallbackBucketStore({
      primary: createRedisBucketStore({ client: commands, keyPrefix }),
      fallback: createMemoryBucketStore(),
      share,
      log,
    }),
  };
}
