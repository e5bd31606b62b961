/**
 * The whole product in one process for `npm run bench:gateway -- --readme` (pinned by the runner like a gateway
 * target): the stack with its bundled supplier sandboxes, embedded document stores and Redis for the caches when
 * REDIS_URL is set, its config from the environment the runner gives. Imports the sandboxes' catalogs, then sends the
 * gateway's URL and the canonical SKUs every one of the three suppliers carries to the parent over IPC.
 */
import { loadConfig } from '../../platform/config.ts';
import { silentLogger } from '../../platform/logger.ts';
import { startStack } from '../../stack/start-stack.ts';

const { MONGO_URL: _mongo, ...env } = process.env;
const stack = await startStack({ config: loadConfig({ ...env, GATEWAY_PORT: '0', LOG_LEVEL: 'silent' } as Record<string, string>), log: silentLogger(), subgraphPorts: 'random' });
const skus: string[] = [];
for (let page = await stack.stores.catalog.list(500, null); ; page = await stack.stores.catalog.list(500, page.nextCursor)) {
  for (const p of page.items) if (new Set(p.suppliers.map((m) => m.supplier)).size === 3) skus.push(p.sku);
  if (page.nextCursor === null) break;
}
process.send!({ type: 'ready', url: stack.gateway.graphqlUrl, skus });
process.on('disconnect', () => void stack.close().then(() => process.exit(0)));
