/**
 * A child process for the cross-process reservation tests: its own MongoDB client and stores, like a second
 * gateway instance. Says "ready", waits for "go", then:
 * - race:  fires `count` simultaneous reserveStock(1 unit of sku/supplier) and reports who won and why others lost;
 * - crash: reserves `items` fully (reports "held"), then starts a second reservation of the same items and stops
 *          dead after its first hold (reports "partial"), waiting to be SIGKILLed.
 * Usage (forked with IPC): reservations-worker.ts <mongoUrl> <db> <mode> <json args>
 */
import { MongoClient } from 'mongodb';
import { isRegistryError } from '../../kernel/errors.ts';
import { createMemoryCache } from '../../adapters/cache/memory-cache.ts';
import { createMemoryEventBus } from '../../adapters/events/memory-event-bus.ts';
import { createMongoReservationStore } from '../../adapters/storage/mongo/reservation-store.ts';
import { createMongoStockStore } from '../../adapters/storage/mongo/stock-store.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { ReservationItem } from '../../platform/ports/reservation-store.ts';
import type { StockStore } from '../../platform/ports/stock-store.ts';
import { createBufferPolicy } from '../../subgraphs/inventory/buffer-policy.ts';
import { createReservationService } from '../../subgraphs/inventory/reservations.ts';
import { createStockUpdater } from '../../subgraphs/inventory/stock-updater.ts';

export interface RaceArgs {
  readonly sku: string;
  readonly supplier: string;
  readonly count: number;
}

export interface CrashArgs {
  readonly items: readonly ReservationItem[];
  readonly ttlMs: number;
}

export interface RaceReport {
  readonly won: string[];
  readonly lost: Record<string, number>;
}

const [url, dbName, mode, json] = process.argv.slice(2);
const log = silentLogger();

async function main(): Promise<void> {
  const client = await new MongoClient(url!, { serverSelectionTimeoutMS: 5_000 }).connect();
  const db = client.db(dbName);
  const realStock = createMongoStockStore({ db, log });
  // In crash mode the second reservation's first hold is the last thing this process does.
  let freezeAfterNextHold = false;
  const stock: StockStore = {
    ...realStock,
    async mutate(sku, supplier, change) {
      const result = await realStock.mutate(sku, supplier, change);
      if (freezeAfterNextHold && result.outcome === 'applied') {
        process.send!({ partial: true });
        await new Promise(() => undefined); // never returns: the parent kills us here
      }
      return result;
    },
  };
  const service = createReservationService({
    reservations: createMongoReservationStore({ db }),
    updater: createStockUpdater({ stock, cache: createMemoryCache(), events: createMemoryEventBus({ log }), log }),
    buffers: createBufferPolicy(),
    log,
  });
  const go = new Promise<void>((resolve) => process.once('message', () => resolve()));
  process.send!({ ready: true });
  await go;

  if (mode === 'race') {
    const args = JSON.parse(json!) as RaceArgs;
    const item = { sku: args.sku, supplier: args.supplier, quantity: 1 };
    const results = await Promise.allSettled(Array.from({ length: args.count }, () => service.reserveStock([item], 120_000, { tenant: 't1' })));
    const report: RaceReport = { won: [], lost: {} };
    for (const r of results) {
      if (r.status === 'fulfilled') report.won.push(r.value.id);
      else {
        const code = isRegistryError(r.reason) ? r.reason.code : String(r.reason);
        report.lost[code] = (report.lost[code] ?? 0) + 1;
      }
    }
    await client.close();
    process.send!(report);
    return;
  }

  const args = JSON.parse(json!) as CrashArgs;
  const held = await service.reserveStock(args.items, args.ttlMs, { tenant: 't1' });
  process.send!({ held: held.id });
  freezeAfterNextHold = true;
  await service.reserveStock(args.items, args.ttlMs, { tenant: 't1' });
}

main().catch((error: unknown) => {
  process.send!({ error: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
});
