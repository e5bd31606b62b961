/**
 * `npm run gateway`: the gateway alone, on the committed supergraph or any supergraph file composed by the
 * operator's own tools (SUPERGRAPH_PATH), with subgraph URLs from that file or SUBGRAPH_URL_<NAME> overrides.
 */
import { loadConfig, ConfigError } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { startGateway } from '../gateway/create-gateway.ts';
import { readSupergraph } from '../gateway/supergraph.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, name: 'gateway' });
  const gateway = await startGateway({
    supergraphSdl: readSupergraph(config.supergraphPath),
    subgraphUrls: config.subgraphUrls,
    port: config.gatewayPort,
    host: config.host,
    log,
    subgraphTimeoutMs: config.subgraphTimeoutMs,
    maxBodyBytes: config.maxBodyBytes,
  });
  const stop = async () => {
    await gateway.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
