/**
 * `npm run reconcile [-- --report-only]`: one reconciliation run now. Compares canonical stock with every
 * supplier's full snapshot, records each discrepancy, corrects those past the threshold (unless --report-only),
 * prints progress while it runs and a summary at the end. Suppliers without a configured URL are read from their
 * bundled sandbox. Exit status: 0 when every supplier was compared, 1 when one failed, 2 on a setup error.
 */
import { Registry } from 'prom-client';
import { openStores } from '../adapters/storage/open-stores.ts';
import { loadConfig, ConfigError } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { createMetrics } from '../platform/metrics.ts';
import { openSuppliers } from '../stack/open-suppliers.ts';
import { reconcileStock, type ReconcileProgress } from '../subgraphs/inventory/reconcile.ts';
import { createBufferPolicy } from '../subgraphs/inventory/buffer-policy.ts';
import { createStockUpdater } from '../subgraphs/inventory/stock-updater.ts';
import { createInventorySyncMetrics, withUpdateMetrics } from '../subgraphs/inventory/sync-metrics.ts';
import { parseCli } from './cli.ts';

const PROGRESS_EVERY_MS = 500;

async function main(): Promise<number> {
  const args = parseCli({
    usage: ['npm run reconcile [-- --report-only]'],
    description: "One reconciliation run now: compares canonical stock with every supplier's snapshot, records each discrepancy and corrects those past the threshold. Exit 0 when every supplier was compared, 1 when one failed, 2 on a setup error.",
    options: { 'report-only': { type: 'boolean', description: 'record discrepancies, correct nothing' } },
    environment: ['MONGO_URL', 'RECONCILE_THRESHOLD_UNITS', 'RECONCILE_THRESHOLD_RATIO'],
  });
  const reportOnly = args.values['report-only'] === true;
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, name: 'reconcile', format: config.logFormat });
  if (!config.mongoUrl) console.warn('MONGO_URL is unset: reconciling an empty in-memory store (nothing to compare). Set MONGO_URL to reconcile real stock.');
  const stores = await openStores({ mongoUrl: config.mongoUrl, mongoDb: config.mongoDb, redisUrl: config.redisUrl, keyPrefix: config.keyPrefix }, log);
  const metrics = createMetrics({ defaultMetrics: false });
  const suppliers = await openSuppliers({ config, rateLimits: stores.rateLimits, metrics, log }).catch(async (error: unknown) => {
    await stores.close();
    throw error;
  });
  try {
    if ((await stores.catalog.count()) === 0) {
      console.error('The catalog is empty: run `npm run import` first.');
      return 2;
    }
    for (const slug of suppliers.sandboxes.keys()) console.log(`${slug}: no URL configured, reading the bundled sandbox`);
    const syncMetrics = createInventorySyncMetrics(new Registry());
    const updater = withUpdateMetrics(createStockUpdater({ stock: stores.stock, cache: stores.cache, events: stores.events, log, bufferFor: createBufferPolicy(config.stockBuffer).bufferFor }), syncMetrics);
    const thresholds = config.inventorySync.reconcileThresholds;
    console.log(reportOnly ? 'report only: nothing will be corrected' : `correcting differences of ≥ ${thresholds.units} units or ≥ ${Math.round(thresholds.ratio * 100)} %`);

    const lastPrinted = new Map<string, number>();
    const onProgress = (p: ReconcileProgress) => {
      const now = Date.now();
      if (!p.done && now - (lastPrinted.get(p.supplier) ?? 0) < PROGRESS_EVERY_MS) return;
      lastPrinted.set(p.supplier, now);
      console.log(`${p.supplier.padEnd(12)} checked ${String(p.checked).padStart(6)}  discrepancies ${String(p.discrepancies).padStart(5)}  corrected ${String(p.corrected).padStart(5)}${p.done ? '  done' : ''}`);
    };
    const started = Date.now();
    const run = await reconcileStock({
      connectors: [...suppliers.connectors.values()],
      catalog: stores.catalog,
      stock: stores.stock,
      updater,
      discrepancies: stores.discrepancies,
      metrics: syncMetrics,
      log,
      thresholds,
      correct: !reportOnly,
      retentionMs: config.inventorySync.reconcileRetentionMs,
      onProgress,
    });

    console.log(`\nrun ${run.id}: ${run.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const s of run.suppliers) {
      console.log(`  ${s.supplier.padEnd(12)} checked ${s.checked}, discrepancies ${s.discrepancies}, corrected ${s.corrected}${s.error ? `, FAILED: ${s.error}` : ''}`);
    }
    const page = await stores.discrepancies.listDiscrepancies(run.id, 20, null);
    if (page.totalCount > 0) {
      console.log(`\n${page.totalCount} discrepancies${page.totalCount > page.items.length ? ` (first ${page.items.length})` : ''}:`);
      for (const d of page.items) {
        const age = d.ageMs === null ? 'never held' : `${Math.round(d.ageMs / 1000)} s old`;
        console.log(`  ${d.supplier.padEnd(12)} ${d.sku.padEnd(22)} ours ${String(d.ours ?? '—').padStart(6)}  theirs ${String(d.theirs ?? '—').padStart(6)}  (${age})  ${d.resolution}`);
      }
      console.log('All of them: query `stockDiscrepancies(runId: "…")` at the gateway.');
    }
    return run.suppliers.some((s) => s.error !== null) ? 1 : 0;
  } finally {
    await suppliers.close();
    await stores.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `reconcile failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
