/**
 * `npm run import`: pulls every supplier's catalog into canonical products (matching on GTIN, else manufacturer +
 * MPN), then snapshots their stock, printing progress as it goes. Suppliers without a configured URL are read from
 * their bundled sandbox. Safe to re-run: matching is idempotent and older stock never overwrites newer.
 */
import { openStores } from '../adapters/storage/open-stores.ts';
import { loadConfig, ConfigError } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { importCatalogs } from '../subgraphs/catalog/import-catalog.ts';
import { createBufferPolicy } from '../subgraphs/inventory/buffer-policy.ts';
import { createStockUpdater } from '../subgraphs/inventory/stock-updater.ts';
import { snapshotStock } from '../subgraphs/inventory/snapshot-stock.ts';
import { createMetrics } from '../platform/metrics.ts';
import { openSuppliers } from '../stack/open-suppliers.ts';
import { withCatalogEvents } from '../stack/catalog-events.ts';
import { withOffersCachedEvents } from '../stack/listing-events.ts';
import { createOfferRecorder } from '../subgraphs/inventory/offer-record.ts';
import { parseCli } from './cli.ts';

async function main(): Promise<void> {
  parseCli({
    usage: ['npm run import'],
    description: "Pulls every supplier's catalog into canonical products (GTIN, else manufacturer + MPN), then snapshots their stock. Suppliers without a URL are read from their bundled sandbox; without MONGO_URL it is a dry run.",
    environment: ['MONGO_URL', 'MONGO_DB', 'REDIS_URL', 'SUPPLIERS_FILE', '<SUPPLIER>_URL'],
  });
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, name: 'import', format: config.logFormat });
  if (!config.mongoUrl) console.warn('MONGO_URL is unset: importing into an in-memory store that is discarded on exit (a dry run).');
  const opened = await openStores({ mongoUrl: config.mongoUrl, mongoDb: config.mongoDb, redisUrl: config.redisUrl, keyPrefix: config.keyPrefix }, log);
  // Every product write announces itself: running gateways drop the product from their entity caches.
  const stores = { ...opened, catalog: withCatalogEvents(opened.catalog, opened.events, log) };
  const suppliers = await openSuppliers({ config, rateLimits: stores.rateLimits, metrics: createMetrics({ defaultMetrics: false }), log, credentialStore: stores.credentials });
  const imported = [];
  const failed: string[] = [];
  try {
    for (const slug of suppliers.sandboxes.keys()) console.log(`${slug}: no URL configured, reading the bundled sandbox`);
    const started = Date.now();
    // One supplier at a time, in the suppliers file's order; one that does not answer is reported and skipped.
    for (const connector of suppliers.connectors.values()) {
      try {
        await importCatalogs({
          connectors: [connector],
          catalog: stores.catalog,
          log,
          onProgress: (p) =>
            console.log(`catalog ${p.supplier.padEnd(12)} page ${String(p.pages).padStart(3)}  items ${String(p.items).padStart(5)}  new ${String(p.created).padStart(5)}  matched ${String(p.matched).padStart(5)}  unmatchable ${p.unmatchable}${p.done ? '  done' : ''}`),
        });
        imported.push(connector);
      } catch (error) {
        failed.push(connector.supplier);
        console.error(`catalog ${connector.supplier.padEnd(12)} failed, skipped: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    console.log(`catalog: ${await stores.catalog.count()} canonical products`);
    const snapshots = await snapshotStock({
      connectors: imported,
      catalog: stores.catalog,
      updater: createStockUpdater({ stock: stores.stock, cache: stores.cache, events: stores.events, log, bufferFor: createBufferPolicy(config.stockBuffer).bufferFor }),
      // The answers' costs kept as last known offers and announced: the listing processes re-price (docs/storefront.md "Prices").
      offers: createOfferRecorder({ cache: stores.cache, announcing: withOffersCachedEvents(stores.cache, stores.events, log), log }),
      log,
      onProgress: (s) => console.log(`stock   ${s.supplier.padEnd(12)} ${s.applied + s.stale + s.missing}/${s.requested}  applied ${s.applied}  older-than-ours ${s.stale}  not listed ${s.missing}`),
    });
    console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${snapshots.map((s) => `${s.supplier} ${s.applied} rows`).join(', ')}`);
    if (failed.length > 0) {
      console.error(`not imported (run again once they answer): ${failed.join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    await suppliers.close();
    await stores.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `import failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
