/**
 * What every role of a process shares (docs/architecture.md, "Roles"): the stores, the metrics registry, partner
 * access (the gateway's signer, the subgraphs' verifier), the one stock update path and the reservation service.
 * `startStack` opens one for the whole product; `serve <role>` opens one per process.
 */
import { openAuthGuardStore } from '../../adapters/auth-guard/open-auth-guard-store.ts';
import { openStores } from '../../adapters/storage/open-stores.ts';
import type { GatewayAuthOptions } from '../../gateway/auth/gateway-auth.ts';
import type { Config } from '../../platform/config.ts';
import type { Logger } from '../../platform/logger.ts';
import { createMetrics, type Metrics } from '../../platform/metrics.ts';
import { createBufferPolicy } from '../../subgraphs/inventory/buffer-policy.ts';
import { createReservationService, type ReservationService } from '../../subgraphs/inventory/reservations.ts';
import { createStockUpdater, type StockUpdater } from '../../subgraphs/inventory/stock-updater.ts';
import { createInventorySyncMetrics, withUpdateMetrics, type InventorySyncMetrics } from '../../subgraphs/inventory/sync-metrics.ts';
import { createStackAccess, type StackAccess } from '../access.ts';
import { withCatalogEvents } from '../catalog-events.ts';

export type Stores = Awaited<ReturnType<typeof openStores>>;

export interface RoleBase {
  readonly config: Config;
  readonly log: Logger;
  readonly stores: Stores;
  readonly metrics: Metrics;
  readonly syncMetrics: InventorySyncMetrics;
  readonly buffers: ReturnType<typeof createBufferPolicy>;
  /** The one path supplier figures take into canonical stock (counted; invalidates caches, publishes stock.changed). */
  readonly updater: StockUpdater;
  readonly access: StackAccess;
  /** Holds through the same updater (events, cache invalidation). */
  readonly reservations: ReservationService;
  /** Closes the auth-guard store and the stores. */
  close(): Promise<void>;
}

export interface RoleBaseOptions {
  readonly config: Config;
  readonly log: Logger;
  /** The process's metrics registry; one labelled `service` is created when not given. */
  readonly metrics?: Metrics;
  /** The `service` label of a created registry. @default 'dropship' */
  readonly service?: string;
  readonly jwks?: GatewayAuthOptions['jwks'];
}

export async function openRoleBase(options: RoleBaseOptions): Promise<RoleBase> {
  const { config, log } = options;
  const opened = await openStores({ mongoUrl: config.mongoUrl, mongoDb: config.mongoDb, redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, timeouts: config.storeTimeouts }, log);
  // Every product write announces itself (catalog.changed): the gateways' entity caches drop the product.
  const stores: Stores = { ...opened, catalog: withCatalogEvents(opened.catalog, opened.events, log) };
  try {
    const metrics = options.metrics ?? createMetrics({ defaultLabels: { service: options.service ?? 'dropship' } });
    const syncMetrics = createInventorySyncMetrics(metrics.registry);
    const buffers = createBufferPolicy(config.stockBuffer);
    // Counted, so every figure through the one update path shows in stock_updates_total by source and outcome.
    const updater = withUpdateMetrics(createStockUpdater({ stock: stores.stock, cache: stores.cache, events: stores.events, log, bufferFor: buffers.bufferFor }), syncMetrics);
    // Failed-authentication counters and single-use gateway header ids (docs/security.md): Redis when configured.
    const authGuards = await openAuthGuardStore({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, redisCommandTimeoutMs: config.storeTimeouts.redisCommandMs }, log);
    const access = createStackAccess(config, { ...stores, authGuards }, log, options.jwks, metrics.registry);
    const reservations = createReservationService({ reservations: stores.reservations, updater, buffers, log });
    return {
      config,
      log,
      stores,
      metrics,
      syncMetrics,
      buffers,
      updater,
      access,
      reservations,
      close: async () => {
        await authGuards.close().catch((error: unknown) => log.warn({ err: error }, 'error while stopping'));
        await stores.close();
      },
    };
  } catch (error) {
    await stores.close();
    throw error;
  }
}
