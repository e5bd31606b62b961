/**
 * Wires inventory truth for one process: the webhook endpoint and its inbox worker (push), the poller (pull),
 * and scheduled reconciliation, all feeding the one stock update path. Each pushing supplier's webhook scheme comes
 * from its family module (stack/families/), and webhook item ids are resolved by the family's lookup under the
 * supplier's own traffic policies, so the subgraph code stays generic.
 */
import type { SupplierConnector } from '../adapters/core/connector.ts';
import type { WebhookScheme } from '../adapters/core/webhook.ts';
import type { InventorySyncConfig } from '../platform/config.ts';
import type { SupplierEntry } from '../platform/suppliers-file.ts';
import type { Route } from '../platform/http/listen.ts';
import type { Logger } from '../platform/logger.ts';
import type { Cache } from '../platform/ports/cache.ts';
import type { CatalogStore } from '../platform/ports/catalog-store.ts';
import type { EventBus } from '../platform/ports/event-bus.ts';
import type { DiscrepancyStore, ReconciliationRun } from '../platform/ports/discrepancy-store.ts';
import type { OrderTriggers } from '../platform/ports/order-triggers.ts';
import type { StockStore } from '../platform/ports/stock-store.ts';
import type { WebhookInbox } from '../platform/ports/webhook-inbox.ts';
import { createIngestWorker, type IngestWorker } from '../subgraphs/inventory/ingest/ingest-worker.ts';
import { createSignalReports, type ItemRefResolver } from '../subgraphs/inventory/ingest/signal-reports.ts';
import { createWebhookRoute, WEBHOOK_PATH_PREFIX } from '../subgraphs/inventory/ingest/webhook-endpoint.ts';
import { createPoller, type Poller, type PollSummary } from '../subgraphs/inventory/poller.ts';
import { reconcileStock, type ReconcileProgress } from '../subgraphs/inventory/reconcile.ts';
import type { StockUpdater } from '../subgraphs/inventory/stock-updater.ts';
import type { InventorySyncMetrics } from '../subgraphs/inventory/sync-metrics.ts';
import { createOfferRecorder, type OfferRecorder } from '../subgraphs/inventory/offer-record.ts';
import { familyOf } from './families/index.ts';
import { withOffersCachedEvents } from './listing-events.ts';

export interface InventorySyncOptions {
  readonly config: InventorySyncConfig;
  /** The suppliers file's entries: which suppliers push, and with which webhook scheme. */
  readonly suppliers: readonly SupplierEntry[];
  readonly log: Logger;
  readonly stores: {
    readonly catalog: CatalogStore;
    readonly stock: StockStore;
    readonly webhookInbox: WebhookInbox;
    readonly discrepancies: DiscrepancyStore;
    /** Where the supplier's answers are kept as last known offers, and where that is announced (`offers.cached`). */
    readonly cache: Cache;
    readonly events: EventBus;
  };
  /** The one update path (already counted with withUpdateMetrics). */
  readonly updater: StockUpdater;
  readonly metrics: InventorySyncMetrics;
  readonly onPoll?: (summary: PollSummary) => void;
  /**
   * Singleton leases (platform/lease-keeper.ts) when several processes run the pull side (`jobs` role): a supplier is
   * polled only by the holder of `poll:<slug>`, scheduled reconciliation runs only in the holder of `reconcile`.
   * Unset: this process does both alone (the one-process stack).
   */
  readonly leases?: { holds(name: string): boolean; confirm(name: string): Promise<boolean> };
}

/** The lease names of the singleton work (docs/architecture.md, "Roles"). */
export const pollLease = (supplier: string): string => `poll:${supplier}`;
export const RECONCILE_LEASE = 'reconcile';

export interface InventorySync {
  /** `/webhooks/*` for the inventory subgraph's server. */
  readonly routes: Readonly<Record<string, Route>>;
  readonly worker: IngestWorker;
  readonly poller: Poller;
  /**
   * Keeps the supplier's stock answers the sync reads (polls, reconciliation, webhook read-backs, and the initial
   * sync's snapshot and the orders' stock refresher, which are given this) as the offers' last known values and
   * announces them, so listings price every product read.
   */
  readonly offers: OfferRecorder;
  /** Suppliers we receive webhooks from. */
  pushes(supplier: string): boolean;
  /**
   * Hands over the process's suppliers once they are open: connectors (read-backs, polling, reconciliation), webhook
   * item lookups, and for a bundled sandbox its webhook secret (accepted next to the configured ones).
   */
  attachSuppliers(opened: OpenedForSync): void;
  /**
   * Hands over order tracking once the order service exists: verified order and fulfilment deliveries are then
   * tracked (until then they wait in the inbox and are retried).
   */
  attachOrderTriggers(triggers: OrderTriggers): void;
  /**
   * Starts the worker (`ingest`), and the poll timers and scheduled reconciliation (`pull`). @default both: the
   * one-process stack; the `ingest` and `jobs` roles start one side each.
   */
  start(parts?: { readonly ingest: boolean; readonly pull: boolean }): void;
  reconcileNow(onProgress?: (progress: ReconcileProgress) => void): Promise<ReconciliationRun>;
  close(): Promise<void>;
}

/** What the sync needs of the open suppliers (stack/open-suppliers.ts). */
export interface OpenedForSync {
  readonly connectors: ReadonlyMap<string, SupplierConnector>;
  readonly itemLookups: ReadonlyMap<string, ItemRefResolver>;
  /** Bundled sandboxes' webhook secrets, by slug. */
  readonly endpoints: ReadonlyMap<string, { readonly sandboxWebhookSecret?: string | null }>;
}

/**
 * Whether a supplier pushes webhooks (its family has a webhook scheme): what `InventorySync.pushes` answers, for a
 * process that runs order tracking without the sync (the `orders` role).
 */
export function pushesWebhooks(suppliers: readonly SupplierEntry[]): (supplier: string) => boolean {
  const pushing = new Set(suppliers.filter((entry) => familyOf(entry.family).webhookScheme !== undefined).map((entry) => entry.slug));
  return (supplier) => pushing.has(supplier);
}

/**
 * The recorder every stock read of the sync writes the supplier's answers through (polls, snapshots, reconciliation,
 * webhook read-backs, and the orders' stock refresher, which a process without the sync builds with this): one cache
 * write per supplier batch, and the listing indexer re-prices on the announcement (docs/storefront.md "Prices").
 */
export function createSyncOfferRecorder(stores: { readonly cache: Cache; readonly events: EventBus }, log: Logger): OfferRecorder {
  return createOfferRecorder({ cache: stores.cache, announcing: withOffersCachedEvents(stores.cache, stores.events, log), log });
}

export function createInventorySync(options: InventorySyncOptions): InventorySync {
  const { config, log, stores, updater, metrics } = options;
  const connectors = new Map<string, SupplierConnector>();
  const resolvers = new Map<string, ItemRefResolver>();
  let orderTriggers: OrderTriggers | undefined;
  const extraSecrets = new Map<string, string[]>();
  const schemes = new Map<string, WebhookScheme>();
  for (const entry of options.suppliers) {
    const scheme = familyOf(entry.family).webhookScheme?.({ toleranceSeconds: config.webhookToleranceSeconds });
    if (scheme) schemes.set(entry.slug, scheme);
  }

  const offers = createSyncOfferRecorder(stores, log);
  const worker = createIngestWorker({
    inbox: stores.webhookInbox,
    reports: createSignalReports({ catalog: stores.catalog, log, connector: (s) => connectors.get(s), itemResolver: (s) => resolvers.get(s) }),
    offers, // webhook read-backs
    updater,
    orderTriggers: () => orderTriggers,
    metrics,
    log,
    retentionMs: config.webhookRetentionMs,
    concurrency: config.webhookApplyConcurrency,
  });
  const route = createWebhookRoute({
    schemes,
    secretsFor: (supplier) => [...(config.webhookSecrets[supplier] ?? []), ...(extraSecrets.get(supplier) ?? [])],
    inbox: stores.webhookInbox,
    onRecorded: (entry) => worker.enqueue(entry),
    metrics,
    log,
    maxBodyBytes: config.webhookMaxBodyBytes,
    leaseMs: config.webhookLeaseMs,
  });
  const poller = createPoller({
    connectors: () => connectors.values(),
    catalog: stores.catalog,
    updater,
    offers,
    metrics,
    log,
    intervalMsFor: (supplier) => config.pollIntervalMs[supplier] ?? 0,
    ...(options.onPoll ? { onPass: options.onPoll } : {}),
    ...(options.leases ? { lease: { holds: (supplier: string) => options.leases!.holds(pollLease(supplier)), confirm: (supplier: string) => options.leases!.confirm(pollLease(supplier)) } } : {}),
  });

  let reconciling: Promise<ReconciliationRun> | null = null;
  let reconcileTimer: NodeJS.Timeout | null = null;
  const stopping = new AbortController();

  function reconcileNow(onProgress?: (progress: ReconcileProgress) => void): Promise<ReconciliationRun> {
    // One run at a time per process: a second caller shares the run in progress.
    reconciling ??= reconcileStock({
      connectors: [...connectors.values()],
      catalog: stores.catalog,
      stock: stores.stock,
      updater,
      offers,
      discrepancies: stores.discrepancies,
      metrics,
      log,
      thresholds: config.reconcileThresholds,
      retentionMs: config.reconcileRetentionMs,
      signal: stopping.signal,
      ...(onProgress ? { onProgress } : {}),
    }).finally(() => {
      reconciling = null;
    });
    return reconciling;
  }

  return {
    routes: { [`${WEBHOOK_PATH_PREFIX}*`]: route },
    worker,
    poller,
    offers,
    pushes: (supplier) => schemes.has(supplier),
    attachSuppliers(opened) {
      for (const [slug, connector] of opened.connectors) connectors.set(slug, connector);
      for (const [slug, lookups] of opened.itemLookups) resolvers.set(slug, lookups);
      for (const [slug, endpoint] of opened.endpoints) if (endpoint.sandboxWebhookSecret) extraSecrets.set(slug, [endpoint.sandboxWebhookSecret]);
    },
    attachOrderTriggers(triggers) {
      orderTriggers = triggers;
    },
    start(parts = { ingest: true, pull: true }) {
      if (parts.ingest) worker.start();
      if (!parts.pull) return;
      poller.start();
      if (config.reconcileIntervalMs > 0) {
        reconcileTimer = setInterval(() => {
          // With several `jobs` processes only the lease holder reconciles (its writes go through the same
          // supplier-timestamp-ordered update path as polls, so a run that outlives its lease changes nothing stale).
          if (options.leases && !options.leases.holds(RECONCILE_LEASE)) return;
          void reconcileNow().catch((error: unknown) => log.error({ err: error }, 'scheduled reconciliation failed'));
        }, config.reconcileIntervalMs);
        reconcileTimer.unref();
      }
    },
    reconcileNow,
    async close() {
      if (reconcileTimer) clearInterval(reconcileTimer);
      stopping.abort();
      await Promise.allSettled([poller.stop(), worker.stop(), reconciling ?? Promise.resolve()]);
      route.closeLog(); // the count of refusals held back since the last line
    },
  };
}
