/** The reservation contracts against the embedded stores. */
import { createMemoryReservationStore } from '../../adapters/storage/memory/reservation-store.ts';
import { createMemoryStockStore } from '../../adapters/storage/memory/stock-store.ts';
import { describeReservationStoreContract } from './reservation-store.contract.ts';
import { describeReservationsContract } from './reservations.contract.ts';

describeReservationStoreContract('memory', async () => createMemoryReservationStore());
describeReservationsContract('memory', async () => ({ stock: createMemoryStockStore(), reservations: createMemoryReservationStore() }));
