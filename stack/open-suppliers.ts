import type { SupplierConnector } from '../adapters/core/connector.ts';
import { createOutboundPolicy, type OutboundPolicy } from '../adapters/core/outbound-policy.ts';
import type { CredentialStore } from '../platform/ports/credential-store.ts';
import type { Config } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import type { Metrics } from '../platform/metrics.ts';
import type { RateLimitStore } from '../platform/ports/rate-limit-store.ts';
import type { SupplierSandbox } from '../sandboxes/shared/sandbox.ts';
import { SUPPLIERS } from '../subgraphs/supplier-registry.ts';
import { createConnector } from './connectors.ts';
import { startSandbox } from './sandboxes.ts';
import { publishedLimitsOf, sandboxLimitsOf, supplierLimitsOf } from './supplier-limits.ts';
import { createSupplierTraffic, type SupplierTraffic } from './supplier-traffic.ts';
import { createSupplierCredentialSource } from './supplier-credentials.ts';

export interface OpenSuppliers {
  readonly connectors: ReadonlyMap<string, SupplierConnector>;
  /** Bundled sandboxes started because a supplier's URL was not configured, by slug. */
  readonly sandboxes: ReadonlyMap<string, SupplierSandbox>;
  readonly traffic: ReadonlyMap<string, SupplierTraffic>;
  /**
   * Where each supplier is reached, with the credentials in use (credential store first, then environment; a
   * sandbox's own) and its outbound policy, for pieces that call a supplier outside its connector.
   */
  readonly endpoints: ReadonlyMap<string, OpenedSupplierEndpoint>;
  close(): Promise<void>;
}

export interface OpenedSupplierEndpoint {
  readonly url: string;
  readonly credentials: Readonly<Record<string, string | undefined>>;
  readonly outbound: OutboundPolicy;
}

/**
 * A connector per registered supplier, each behind its traffic layer: against the configured supplier, or the
 * bundled sandbox when its URL is unset (logged, so nobody mistakes a sandbox for the real supplier).
 */
export async function openSuppliers(options: {
  config: Config;
  rateLimits: RateLimitStore;
  metrics: Metrics;
  log: Logger;
  /** Where a bundled sandbox posts its webhooks (our inventory subgraph's endpoint); none are sent when undefined. */
  webhookUrlFor?: (slug: string) => string | undefined;
  /** Sealed supplier credentials; a field stored here wins over the environment (docs/security.md). */
  credentialStore?: CredentialStore;
}): Promise<OpenSuppliers> {
  const { config, log } = options;
  const connectors = new Map<string, SupplierConnector>();
  const sandboxes = new Map<string, SupplierSandbox>();
  const traffic = new Map<string, SupplierTraffic>();
  const endpoints = new Map<string, OpenedSupplierEndpoint>();
  const credentialSource = createSupplierCredentialSource({ config, store: options.credentialStore, log });
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch((error: unknown) => log.warn({ err: error }, 'error while closing a supplier'));
  };
  try {
    const unknown = Object.keys(config.supplierLimits).filter((slug) => !SUPPLIERS.some((s) => s.slug === slug));
    if (unknown.length > 0) throw new Error(`SUPPLIER_LIMITS names unknown suppliers: ${unknown.join(', ')}`);
    for (const supplier of SUPPLIERS) {
      const configured = config.suppliers[supplier.slug];
      // One set of limits for both sides: our buckets, and what a bundled sandbox enforces and counts.
      const published = publishedLimitsOf(supplier.slug, config.supplierLimits[supplier.slug]);
      let url = configured?.url;
      let credentials = configured?.credentials ?? {};
      // Plain http only to a sandbox we started on loopback ourselves, or when the operator allowed it.
      let allowLoopbackHttp = config.outbound.allowLoopbackHttp;
      let readCredentials: (() => Promise<Readonly<Record<string, string | undefined>>>) | undefined;
      if (!url) {
        const webhookUrl = options.webhookUrlFor?.(supplier.slug);
        const sandbox = await startSandbox(supplier.protocol, { port: 0, host: '127.0.0.1', ...(webhookUrl ? { webhookUrl } : {}), ...sandboxLimitsOf(published) });
        closers.push(() => sandbox.close());
        sandboxes.set(supplier.slug, sandbox);
        url = sandbox.url;
        credentials = sandbox.credentials;
        allowLoopbackHttp = true;
        log.info({ supplier: supplier.slug, url }, 'no supplier URL configured: using the bundled sandbox');
      } else {
        readCredentials = credentialSource.reader(supplier.slug, credentials);
        credentials = await credentialSource.resolve(supplier.slug, credentials);
      }
      const pins = sandboxes.has(supplier.slug) ? [] : (config.outbound.tlsPins[supplier.slug] ?? []);
      const outbound = createOutboundPolicy({ supplier: supplier.slug, allowLoopbackHttp, pins, log });
      closers.push(() => outbound.close());
      outbound.check(url); // a refused URL stops the start, before any call
      const supplierTraffic = createSupplierTraffic(supplier.slug, {
        store: options.rateLimits,
        metrics: options.metrics.supplier,
        log,
        timeoutMs: config.supplierTimeoutMs,
        limits: supplierLimitsOf(published),
        breakerOpenMs: config.supplierBreakerOpenMs,
      });
      traffic.set(supplier.slug, supplierTraffic);
      const connector = await createConnector(supplier.slug, { url, credentials, ...(readCredentials ? { readCredentials } : {}) }, supplierTraffic.policies, outbound);
      closers.push(() => connector.close());
      connectors.set(supplier.slug, connector);
      endpoints.set(supplier.slug, { url, credentials, outbound });
    }
    return { connectors, sandboxes, traffic, endpoints, close };
  } catch (error) {
    await close();
    throw error;
  }
}
