/**
 * Each subgraph as one start function over a RoleBase: `startStack` starts them all in one process, and
 * `serve <role>` starts one. The caller owns the returned server (closes it).
 */
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import type { Route } from '../../platform/http/listen.ts';
import type { SubgraphContext } from '../../subgraphs/context.ts';
import { createAccessSubgraph } from '../../subgraphs/access/index.ts';
import { createCatalogSubgraph } from '../../subgraphs/catalog/index.ts';
import { createInventorySubgraph } from '../../subgraphs/inventory/index.ts';
import { createOrdersSubgraph } from '../../subgraphs/orders/index.ts';
import type { OrderService } from '../../subgraphs/orders/order-service.ts';
import { startSubgraph, type RunningSubgraph, type SubgraphServerOptions } from '../../subgraphs/serve.ts';
import { createSupplierSubgraph } from '../../subgraphs/supplier/index.ts';
import type { SupplierDescriptor } from '../../platform/supplier-registry.ts';
import { supplierStatusView } from '../supplier-status-view.ts';
import type { SupplierTraffic } from '../supplier-traffic.ts';
import { withRevocationEvents } from '../token-revocation-events.ts';
import type { RoleBase } from './role-base.ts';
import { landedCostOfSupplier, openPricing } from '../pricing.ts';
import { startListing } from '../listing.ts';
import { withOffersCachedEvents } from '../listing-events.ts';

type Served<T extends SubgraphContext> = Omit<SubgraphServerOptions<T>, 'gatewayAuth' | 'metricsRegistry' | 'budget' | 'dependencies' | 'host' | 'log' | 'name' | 'port'>;

/** A subgraph on its own HTTP server, checking the gateway's signature, with the process's metrics and stores' health. */
export function serveSubgraph<T extends SubgraphContext>(base: RoleBase, name: string, port: number, served: Served<T>): Promise<RunningSubgraph> {
  return startSubgraph<T>({
    ...served,
    name,
    port,
    host: base.config.host,
    log: base.log,
    metricsRegistry: base.metrics.registry,
    gatewayAuth: base.access.verifier,
    budget: base.config.budget,
    dependencies: base.stores.health,
  });
}

/** Extra routes beside /graphql (the one-process inventory serves /webhooks/*; every role server serves /readyz). */
export type ExtraRoutes = Readonly<Record<string, Route>>;

export async function startCatalogSubgraph(base: RoleBase, port: number, routes?: ExtraRoutes): Promise<RunningSubgraph> {
  // The catalog keeps the listing read model `searchProducts` reads (stack/listing.ts, docs/storefront.md "Listing").
  const listing = await startListing(base.config, base.stores, base.log);
  const catalog = createCatalogSubgraph(base.stores.catalog, { store: base.stores.listing, storeCurrency: base.config.pricing.storeCurrency });
  const server = await serveSubgraph(base, 'catalog', port, { schema: catalog.schema, extendContext: catalog.extendContext, ...(routes ? { routes } : {}) }).catch(async (error: unknown) => {
    await listing.close();
    throw error;
  });
  return { ...server, close: async () => (await listing.close(), server.close()), drain: async (ms) => (await listing.close(), server.drain(ms)) };
}

export async function startInventorySubgraph(base: RoleBase, port: number, routes?: ExtraRoutes): Promise<RunningSubgraph> {
  const { stores } = base;
  // Sell prices are served here, beside the stock and mappings they are chosen from (docs/storefront.md "Prices").
  const pricing = await openPricing(base.config, stores, base.log, base.access.audit);
  const inventory = createInventorySubgraph(stores.stock, stores.catalog, stores.discrepancies, base.reservations, pricing);
  return serveSubgraph(base, 'inventory', port, { schema: inventory.schema, extendContext: inventory.extendContext, ...(routes ? { routes } : {}) });
}

export function startOrdersSubgraph(base: RoleBase, port: number, service: OrderService, routes?: ExtraRoutes): Promise<RunningSubgraph> {
  const orders = createOrdersSubgraph(base.stores.orders, service, base.stores.orderWebhookDeliveries);
  return serveSubgraph(base, 'orders', port, { schema: orders.schema, ...(routes ? { routes } : {}) });
}

export function startAccessSubgraph(base: RoleBase, port: number, routes?: ExtraRoutes): Promise<RunningSubgraph> {
  // Revocations reach open subscription connections on every gateway instance (docs/subscriptions.md).
  const access = createAccessSubgraph(withRevocationEvents(base.stores.tokens, base.stores.events, base.log), base.access.audit);
  return serveSubgraph(base, 'access', port, { schema: access.schema, ...(routes ? { routes } : {}) });
}

export interface SupplierSubgraphPart {
  readonly descriptor: SupplierDescriptor;
  readonly connector: SupplierConnector;
  readonly traffic: SupplierTraffic;
  /** Whether the supplier's first catalog import is still being retried (shown in `{ suppliers }`). @default never */
  readonly initialSyncPending?: () => boolean;
  readonly onSupplierCall?: (skus: readonly string[]) => void;
  readonly routes?: ExtraRoutes;
}

export function startSupplierSubgraph(base: RoleBase, port: number, part: SupplierSubgraphPart): Promise<RunningSubgraph> {
  const { descriptor } = part;
  const subgraph = createSupplierSubgraph({
    descriptor,
    connector: part.connector,
    // Cached supplier answers re-price the listing (offers.cached, stack/listing-events.ts).
    cache: withOffersCachedEvents(base.stores.cache, base.stores.events, base.log),
    offerTtlMs: base.config.offerCacheTtlMs,
    metrics: base.metrics.supplier,
    status: supplierStatusView(descriptor, part.traffic, part.initialSyncPending),
    partnerShare: base.access.partnerShare(descriptor.slug),
    landedCost: landedCostOfSupplier(base.config, descriptor.slug),
    ...(part.onSupplierCall ? { onSupplierCall: part.onSupplierCall } : {}),
  });
  return serveSubgraph(base, subgraph.name, port, { schema: subgraph.schema, extendContext: subgraph.extendContext, plugins: subgraph.plugins, ...(part.routes ? { routes: part.routes } : {}) });
}
