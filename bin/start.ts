/**
 * `npm start`: the whole product on one machine for a first run. With MONGO_URL / REDIS_URL unset it runs on
 * embedded in-memory stores; with supplier URLs unset it starts the bundled supplier sandboxes. It seeds the
 * catalog and stock from the suppliers, then prints the gateway URL and an example query.
 */
import { ConfigError } from '../platform/config.ts';
import { loadServiceConfig } from '../platform/service-config.ts';
import { createLogger } from '../platform/logger.ts';
import { exitIfStuck } from './exit-if-stuck.ts';
import { startStack } from '../stack/start-stack.ts';
import { parseCli } from './cli.ts';
import { startBanner } from './start-banner.ts';

const EXAMPLE_QUERY = `{ products(first: 3) { sku title stock { available } offers { __typename supplier { name } available cost { amount currency } leadTimeDays } } }`;

async function main(): Promise<void> {
  parseCli({
    usage: ['npm start'],
    description: 'The whole product on one machine: gateway, subgraphs and, for suppliers without a URL, their bundled sandboxes (listed with their development credentials once up). Without MONGO_URL / REDIS_URL it runs on in-memory stores.',
    environment: ['HOST', 'GATEWAY_PORT', 'MONGO_URL', 'REDIS_URL', 'SECRETS_KEK', 'SUPPLIERS_FILE', '<SUPPLIER>_URL', 'AUTH_MODE', 'LOG_LEVEL', 'LOG_FORMAT'],
  });
  // A serving process: with MONGO_URL it refuses to start without SECRETS_KEK (platform/service-config.ts).
  const config = loadServiceConfig();
  const log = createLogger({ level: config.logLevel, name: 'dropship-graph', format: config.logFormat });
  log.info(
    {
      documents: config.mongoUrl ? 'mongodb' : 'in-memory',
      cache: config.redisUrl ? 'redis' : 'in-memory',
    },
    config.mongoUrl && config.redisUrl
      ? 'stores: MongoDB and Redis'
      : `EMBEDDED MODE: ${[!config.mongoUrl && 'MONGO_URL', !config.redisUrl && 'REDIS_URL'].filter(Boolean).join(' and ')} unset, using in-memory stores (data is lost on exit; single process only)`,
  );
  if (config.pricing.fx.demo) {
    log.warn({ fxRateDate: config.pricing.fx.date, rates: config.pricing.fx.rates }, 'DEMO EXCHANGE RATE: every supplier is a bundled sandbox and PRICING_FX_RATES is unset, so foreign costs (maplecart quotes CAD) are converted at a fixed demo rate of that date; a deployment sets PRICING_FX_RATES (docs/storefront.md "Prices")');
  }
  const stack = await startStack({
    config,
    log,
    onImportProgress: (p) => { if (p.done) log.info(p, `imported ${p.supplier} catalog`); },
    onSnapshotProgress: (s) => { if (s.applied + s.stale + s.missing === s.requested) log.info(s, `stock snapshot from ${s.supplier}`); },
  });
  console.log(startBanner({ graphqlUrl: stack.gateway.graphqlUrl, gatewayUrl: stack.gateway.url, sandboxes: stack.sandboxes, pending: stack.initialSync.pending(), exampleQuery: EXAMPLE_QUERY }));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, drainBoundMs: config.shutdownDrainMs }, 'shutting down: draining requests in flight');
    exitIfStuck(config.shutdownDrainMs, log);
    await stack.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('failed to start:', error);
  process.exit(1);
});
