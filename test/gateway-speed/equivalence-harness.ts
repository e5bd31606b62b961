/**
 * What the equivalence suites (federation-equivalence, fast-executor-equivalence) start over the gateway-speed
 * fixture's supergraph before comparing answers: plain @apollo/gateway as the baseline, in-memory stores, and one of
 * our gateways per speed variant. One place, so the two suites compare against the same baseline set-up. The suites
 * start the fixture (bench/gateway/fixture) themselves: bench/ imports test/ helpers, so a helper here importing
 * bench/ would be a folder cycle (test/architecture/import-direction.test.ts).
 */
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createMemoryAuthGuardStore } from '../../adapters/auth-guard/memory-auth-guard-store.ts';
import { openStores, type Stores } from '../../adapters/storage/open-stores.ts';
import { createGatewayAuth } from '../../gateway/auth/gateway-auth.ts';
import { startGateway, type GatewaySpeedOptions, type RunningGateway } from '../../gateway/create-gateway.ts';
import type { EntityCacheOptions } from '../../gateway/entity-cache.ts';
import { loadConfig } from '../../platform/config.ts';
import type { Logger } from '../../platform/logger.ts';

/** A speed variant of our gateway; `entityCache` turns on the given entity cache over the in-memory stores. */
export type EquivalenceVariant = GatewaySpeedOptions & { entityCache?: true };

export interface Baseline {
  readonly url: string;
  stop(): Promise<void>;
}

export interface EquivalenceHarness {
  readonly stores: Stores;
  readonly baseline: Baseline;
  /** One running gateway per variant name. */
  readonly gateways: ReadonlyMap<string, RunningGateway>;
  /** Another of our gateways over these stores, e.g. over other subgraphs (the caller closes it). */
  startOurs(supergraphSdl: string, variant: EquivalenceVariant): Promise<RunningGateway>;
  close(): Promise<void>;
}

/** Plain @apollo/gateway as a new user starts it, minus stack traces in error responses (ours never sends them). */
export async function startBaseline(supergraphSdl: string): Promise<Baseline> {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }), includeStacktraceInErrorResponses: false });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
}

/** Closes what it started, not the subgraphs behind `supergraphSdl`. */
export async function startEquivalence(options: {
  readonly supergraphSdl: string;
  /** What a variant with `entityCache` caches (the fixture's FIXTURE_ENTITY_CACHE). */
  readonly entityCache: Pick<EntityCacheOptions, 'cacheable' | 'invalidations'>;
  readonly signingSecret: string;
  readonly keyPrefix: string;
  readonly variants: Readonly<Record<string, EquivalenceVariant>>;
  readonly log: Logger;
}): Promise<EquivalenceHarness> {
  const { supergraphSdl, signingSecret, log } = options;
  const baseline = await startBaseline(supergraphSdl);
  const stores = await openStores({ mongoUrl: undefined, mongoDb: 'unused', redisUrl: undefined, keyPrefix: options.keyPrefix }, log);
  const config = loadConfig({ AUTH_MODE: 'dev', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
  const startOurs = (sdl: string, { entityCache, ...speed }: EquivalenceVariant): Promise<RunningGateway> => {
    const auth = createGatewayAuth({ config: config.auth, tokens: stores.tokens, rateLimits: stores.rateLimits, authGuards: createMemoryAuthGuardStore(), signingSecret, log });
    const cache = entityCache ? { entityCache: { ...options.entityCache, events: stores.events, shared: stores.cache } } : {};
    return startGateway({ supergraphSdl: sdl, port: 0, host: '127.0.0.1', log, auth, speed, ...cache });
  };
  const gateways = new Map<string, RunningGateway>();
  for (const [name, variant] of Object.entries(options.variants)) gateways.set(name, await startOurs(supergraphSdl, variant));
  return {
    stores,
    baseline,
    gateways,
    startOurs,
    async close() {
      for (const gateway of gateways.values()) await gateway.close();
      await baseline.stop();
      await stores.close();
    },
  };
}
