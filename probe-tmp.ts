import { openStores } from './adapters/storage/open-stores.ts';
import { silentLogger } from './platform/logger.ts';
import { createBufferPolicy } from './subgraphs/inventory/buffer-policy.ts';
import { createReservationService } from './subgraphs/inventory/reservations.ts';
import { createStockUpdater } from './subgraphs/inventory/stock-updater.ts';
import { MongoClient } from 'mongodb';
const log = silentLogger();
const dbn = 'probe_' + Date.now();
const stores = await openStores({ mongoUrl: process.env.MONGO_URL, mongoDb: dbn }, log);
const updater = createStockUpdater({ stock: stores.stock, cache: stores.cache, events: stores.events, log });
const service = createReservationService({ reservations: stores.reservations, updater, buffers: createBufferPolicy(), log });
await stores.stock.applyReport({ sku: 'A', supplier: 'b', supplierSku: 'A', onHand: 100000, supplierAsOf: new Date().toISOString() }, 0);
const t = async (label: string, f: () => Promise<unknown>) => { const s = performance.now(); const r = await f(); console.log(label, (performance.now() - s).toFixed(1)); return r; };
for (let i = 0; i < 3; i++) {
  const r: any = await t('reserve', () => service.reserveStock([{ sku: 'A', supplier: 'b', quantity: 1 }], 60000, { tenant: 't' }));
  await t('release', () => service.releaseReservation(r.id, { tenant: 't' }));
}
const db = new MongoClient(process.env.MONGO_URL!); await db.connect(); const c = db.db(dbn);
await t('insert', () => c.collection('x').insertOne({ a: 1 }));
await t('insert', () => c.collection('x').insertOne({ a: 2 }));
await t('findOne', () => c.collection('reservations').findOne({ id: 'x' }));
await t('findOne', () => c.collection('stock').findOne({ sku: 'A' }));
await t('updateOne', () => c.collection('reservations').updateOne({ id: 'x' }, { $set: { a: 1 } }));
await t('count', () => c.collection('stock').countDocuments({}));
await c.dropDatabase(); await db.close();
await stores.close();
