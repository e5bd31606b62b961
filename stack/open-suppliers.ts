import type { SupplierConnector } from '../adapters/core/connector.ts';
import type { Config } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import type { Metrics } from '../platform/metrics.ts';
import type { RateLimitStore } from '../platform/ports/rate-limit-store.ts';
import type { SupplierSandbox } from '../sandboxes/shared/sandbox.ts';
import { SUPPLIERS } from '../subgraphs/supplier-registry.ts';
import { createConnector } from './connectors.ts';
import { startSandbox } from './sandboxes.ts';
import { createSupplierTraffic, type SupplierTraffic } from './supplier-traffic.ts';

export interface OpenSuppliers {
  readonly connectors: ReadonlyMap<string, SupplierConnector>;
  /** Bundled sandboxes started because a supplier's URL was not configured, by slug. */
  readonly sandboxes: ReadonlyMap<string, SupplierSandbox>;
  readonly traffic: ReadonlyMap<string, SupplierTraffic>;
  close(): Promise<void>;
}

/**
 * A connector per registered supplier, each behind its traffic layer: against the configured supplier, or the
 * bundled sandbox when its URL is unset (logged, so nobody mistakes a sandbox for the real supplier).
 */
export async function openSuppliers(options: { config: Config; rateLimits: RateLimitStore; metrics: Metrics; log: Logger }): Promise<OpenSuppliers> {
  const { config, log } = options;
  const connectors = new Map<string, SupplierConnector>();
  const sandboxes = new Map<string, SupplierSandbox>();
  const traffic = new Map<string, SupplierTraffic>();
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch((error: unknown) => log.warn({ err: error }, 'error while closing a supplier'));
  };
  try {
    for (const supplier of SUPPLIERS) {
      const configured = config.suppliers[supplier.slug];
      let url = configured?.url;
      let credentials = configured?.credentials ?? {};
      if (!url) {
        const sandbox = await startSandbox(supplier.protocol, { port: 0, host: '127.0.0.1' });
        closers.push(() => sandbox.close());
        sandboxes.set(supplier.slug, sandbox);
        url = sandbox.url;
        credentials = sandbox.credentials;
        log.info({ supplier: supplier.slug, url }, 'no supplier URL configured: using the bundled sandbox');
      }
      const supplierTraffic = createSupplierTraffic(supplier.slug, { store: options.rateLimits, metrics: options.metrics.supplier, log, timeoutMs: config.supplierTimeoutMs });
      traffic.set(supplier.slug, supplierTraffic);
      const connector = await createConnector(supplier.slug, { url, credentials }, supplierTraffic.policies);
      closers.push(() => connector.close());
      connectors.set(supplier.slug, connector);
    }
    return { connectors, sandboxes, traffic, close };
  } catch (error) {
    await close();
    throw error;
  }
}
