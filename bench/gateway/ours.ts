/**
 * This gateway as a bench target: built the way bin/gateway.ts builds it (config read once, the stores from
 * MONGO_URL/REDIS_URL, shared failed-authentication counters, metrics, audit log, partner access), from the same
 * environment variables. One difference: no subscriptions, because their manifest names our own schema's
 * subscription fields, which the fixture's supergraph does not have.
 */
import { loadConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/logger.ts';
import { createMetrics } from '../../platform/metrics.ts';
import { startGateway } from '../../gateway/create-gateway.ts';
import { readSupergraph } from '../../gateway/supergraph.ts';
import { createGatewayAuth } from '../../gateway/auth/gateway-auth.ts';
import { openStores } from '../../adapters/storage/open-stores.ts';
import { createAuditLog } from '../../platform/audit/audit-log.ts';
import { openAuthGuardStore } from '../../adapters/auth-guard/open-auth-guard-store.ts';
import { FIXTURE_ENTITY_CACHE } from './fixture/entity-cache.ts';

const config = loadConfig();
const log = createLogger({ level: config.logLevel, name: 'gateway' });
const [signingSecret] = config.auth.gatewaySigningSecrets;
const stores = await openStores({ mongoUrl: config.mongoUrl, mongoDb: config.mongoDb, redisUrl: config.redisUrl, keyPrefix: config.keyPrefix }, log);
const authGuards = await openAuthGuardStore({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix }, log);
const metrics = createMetrics({ defaultLabels: { service: 'gateway' } });
const audit = createAuditLog({ store: stores.audit, log });
const auth = createGatewayAuth({ config: config.auth, tokens: stores.tokens, rateLimits: stores.rateLimits, authGuards, metricsRegistry: metrics.registry, signingSecret: signingSecret!, log, audit });
const gateway = await startGateway({
  supergraphSdl: readSupergraph(config.supergraphPath),
  subgraphUrls: config.subgraphUrls,
  port: config.gatewayPort,
  host: config.host,
  log,
  budget: config.budget,
  maxBodyBytes: config.maxBodyBytes,
  apolloTelemetry: config.apolloTelemetry,
  speed: config.gatewaySpeed,
  // GATEWAY_ENTITY_CACHE=on: the fixture's entity types, local LRU in front of the stores' cache (Redis with REDIS_URL).
  ...(config.gatewayEntityCache.enabled ? { entityCache: { ...FIXTURE_ENTITY_CACHE, events: stores.events, shared: stores.cache, ttlMs: config.gatewayEntityCache.ttlMs } } : {}),
  shutdownDrainMs: 0,
  metricsRegistry: metrics.registry,
  auth,
});
const stop = async () => {
  await gateway.close();
  await authGuards.close();
  await stores.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
