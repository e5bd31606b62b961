/**
 * `npm run gateway`: the gateway alone, on the committed supergraph or any supergraph file composed by the
 * operator's own tools (SUPERGRAPH_PATH), with subgraph URLs from that file or SUBGRAPH_URL_<NAME> overrides.
 */
import { loadConfig, ConfigError } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { exitIfStuck } from './exit-if-stuck.ts';
import { createMetrics } from '../platform/metrics.ts';
import { startGateway } from '../gateway/create-gateway.ts';
import { gatewayEntityCache } from '../stack/gateway-entity-cache.ts';
import { readSupergraph } from '../gateway/supergraph.ts';
import { createGatewayAuth } from '../gateway/auth/gateway-auth.ts';
import { openStores } from '../adapters/storage/open-stores.ts';
import { createAuditLog } from '../platform/audit/audit-log.ts';
import { openAuthGuardStore } from '../adapters/auth-guard/open-auth-guard-store.ts';
import { parseCli } from './cli.ts';
import { startTracing } from '../platform/tracing/start-tracing.ts';

async function main(): Promise<void> {
  parseCli({
    usage: ['npm run gateway'],
    description: 'The gateway alone, on the committed supergraph or SUPERGRAPH_PATH, with subgraph URLs from that file or SUBGRAPH_URL_<NAME> overrides. Its subgraphs run in other processes.',
    environment: ['GATEWAY_PORT', 'HOST', 'SUPERGRAPH_PATH', 'SUBGRAPH_URL_<NAME>', 'GATEWAY_SIGNING_SECRET', 'MONGO_URL', 'REDIS_URL', 'LOG_LEVEL', 'LOG_FORMAT'],
  });
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, name: 'gateway', format: config.logFormat });
  // Traces (OTEL_*; docs/operations.md "Traces"): before anything makes spans; flushed on the way out.
  const tracing = startTracing({ config: config.tracing, log });
  // The subgraphs run in other processes: they can only trust this gateway through a secret they share.
  const [signingSecret] = config.auth.gatewaySigningSecrets;
  if (signingSecret === undefined) throw new ConfigError('invalid configuration:\n  GATEWAY_SIGNING_SECRET: required by a gateway whose subgraphs run in other processes');
  // API tokens (MongoDB) and partner rate-limit buckets (Redis), shared with every other gateway instance.
  const stores = await openStores({ mongoUrl: config.mongoUrl, mongoDb: config.mongoDb, redisUrl: config.redisUrl, keyPrefix: config.keyPrefix }, log);
  // Failed-authentication counters shared by every gateway instance (Redis when configured; docs/security.md).
  const authGuards = await openAuthGuardStore({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix }, log);
  const metrics = createMetrics({ defaultLabels: { service: 'gateway' } });
  const audit = createAuditLog({ store: stores.audit, log });
  const auth = createGatewayAuth({ config: config.auth, tokens: stores.tokens, rateLimits: stores.rateLimits, authGuards, metricsRegistry: metrics.registry, signingSecret, log, audit });
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
    ...gatewayEntityCache(config, stores),
    shutdownDrainMs: config.shutdownDrainMs,
    metricsRegistry: metrics.registry,
    auth,
    // Every instance subscribes to the shared event bus, so a subscriber on any instance hears every change.
    subscriptions: { events: stores.events, limits: config.auth.limits, audit, origins: { devMode: config.auth.mode === 'dev', allowed: config.wsAllowedOrigins } },
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, drainBoundMs: config.shutdownDrainMs }, 'shutting down: draining requests in flight');
    exitIfStuck(config.shutdownDrainMs, log);
    await gateway.close();
    await authGuards.close();
    await stores.close();
    await tracing.shutdown();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
