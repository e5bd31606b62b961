/**
 * bench:import — store round trips and time of the catalog import (issue 18, "import on FerretDB got slow with
 * families"). The production import path (importCatalogs, one supplier at a time in the suppliers file's order, the
 * catalog store wrapped by withCatalogEvents as `npm run import` and the stack wrap it) over every bundled sandbox,
 * into a fresh database on MONGO_URL (FerretDB in CI), removed after. Every command the store sends is counted with
 * the MongoDB driver's command monitoring, by command and collection; each supplier's import is timed. Then the same
 * import again (a re-import: everything matched, nothing new).
 *
 *   MONGO_URL=... npm run bench:import [-- --suppliers brightline,maplecart]
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { MongoClient, type CommandStartedEvent } from 'mongodb';
import { createMemoryEventBus } from '../adapters/events/memory-event-bus.ts';
import { createMemoryBucketStore } from '../adapters/ratelimit/memory-bucket-store.ts';
import { createMongoCatalogStore } from '../adapters/storage/mongo/catalog-store.ts';
import { loadConfig } from '../platform/config.ts';
import { silentLogger } from '../platform/logger.ts';
import { createMetrics } from '../platform/metrics.ts';
import { withCatalogEvents } from '../stack/catalog-events.ts';
import { openSuppliers } from '../stack/open-suppliers.ts';
import { importCatalogs } from '../subgraphs/catalog/import-catalog.ts';

const { values: args } = parseArgs({ options: { suppliers: { type: 'string' } } });
const MONGO_URL = process.env['MONGO_URL'];
if (!MONGO_URL) {
  console.error('bench:import needs MONGO_URL (a MongoDB-protocol server: FerretDB in CI)');
  process.exit(2);
}

interface Counted {
  total: number;
  /** Commands sent while the families step ran (linking families, merging variant details). */
  families: number;
  readonly byCommand: Map<string, number>;
}

/** The port methods the families step of the import calls (before and after the batched ones existed). */
const FAMILY_METHODS = new Set(['familyIdOfSource', 'getBySkus', 'mergeFamily', 'mergeVariantDetails', 'mergeFamilies', 'mergeManyVariantDetails']);

async function main(): Promise<void> {
  const id = randomBytes(4).toString('hex');
  const log = silentLogger();
  const config = loadConfig({ LOG_LEVEL: 'silent', GATEWAY_PORT: '0', BRIGHTLINE_POLL_INTERVAL_MS: '0', HARBORPROMO_POLL_INTERVAL_MS: '0', MAPLECART_POLL_INTERVAL_MS: '0' });
  const client = new MongoClient(MONGO_URL!, { monitorCommands: true });
  await client.connect();
  const db = client.db(`bench_import_${id}`);
  let counting: Counted | null = null;
  let inFamilies = 0;
  client.on('commandStarted', (event: CommandStartedEvent) => {
    if (counting === null) return;
    const collection = event.command[event.commandName];
    const key = `${event.commandName}${typeof collection === 'string' ? ` ${collection}` : ''}`;
    counting.total += 1;
    if (inFamilies > 0) counting.families += 1;
    counting.byCommand.set(key, (counting.byCommand.get(key) ?? 0) + 1);
  });
  const store = createMongoCatalogStore({ db });
  await store.ensureIndexes();
  const events = createMemoryEventBus({ log });
  // The import calls these one page at a time: a command sent while one is in flight is the families step's.
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string' || !FAMILY_METHODS.has(property)) return value;
      return async (...args: unknown[]) => {
        inFamilies += 1;
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          inFamilies -= 1;
        }
      };
    },
  });
  const catalog = withCatalogEvents(counted, events, log);
  const suppliers = await openSuppliers({ config, rateLimits: createMemoryBucketStore(), metrics: createMetrics({ defaultMetrics: false }), log });
  const wanted = args.suppliers?.split(',');
  const connectors = [...suppliers.connectors.values()].filter((c) => !wanted || wanted.includes(c.supplier));
  console.log(`bench:import on ${new URL(MONGO_URL!).host}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  try {
    for (const round of ['first import', 're-import']) {
      let variants = 0;
      let totalCommands = 0;
      let familyCommands = 0;
      let totalMs = 0;
      for (const connector of connectors) {
        counting = { total: 0, families: 0, byCommand: new Map() };
        const started = performance.now();
        const summary = await importCatalogs({ connectors: [connector], catalog, log });
        const ms = performance.now() - started;
        const seen: Counted = counting;
        counting = null;
        const items = summary.bySupplier[0]!.items;
        variants += items;
        totalCommands += seen.total;
        familyCommands += seen.families;
        totalMs += ms;
        const top = [...seen.byCommand].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
        console.log(`${round.padEnd(12)} ${connector.supplier.padEnd(12)} ${String(items).padStart(4)} variants  ${(ms / 1000).toFixed(1).padStart(5)} s  ${seen.total} commands (${(seen.total / items).toFixed(2)} per variant; families step ${seen.families}, ${(seen.families / items).toFixed(2)} per variant): ${top}`);
      }
      console.log(`${round.padEnd(12)} ${'all'.padEnd(12)} ${String(variants).padStart(4)} variants  ${(totalMs / 1000).toFixed(1).padStart(5)} s  ${totalCommands} commands (${(totalCommands / variants).toFixed(2)} per variant; families step ${familyCommands}, ${(familyCommands / variants).toFixed(2)} per variant)`);
    }
    console.log(`catalog: ${await store.count()} products`);
  } finally {
    await suppliers.close();
    await events.close();
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
