import type { SupplierConnector } from '../adapters/core/connector.ts';
import { createOutboundPolicy, type OutboundPolicy } from '../adapters/core/outbound-policy.ts';
import type { CredentialStore } from '../platform/ports/credential-store.ts';
import type { Config } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import type { Metrics } from '../platform/metrics.ts';
import type { RateLimitStore } from '../platform/ports/rate-limit-store.ts';
import type { SupplierEntry } from '../platform/suppliers-file.ts';
import type { SupplierSandbox } from '../sandboxes/shared/sandbox.ts';
import type { ItemRefResolver } from '../subgraphs/inventory/ingest/signal-reports.ts';
import { createConnector } from './connectors.ts';
import { familyOf } from './families/index.ts';
import { startSandboxFor } from './sandboxes.ts';
import { publishedLimitsOf, sandboxLimitsOf, supplierLimitsOf } from './supplier-limits.ts';
import { createSupplierTraffic, type SupplierTraffic } from './supplier-traffic.ts';
import { createSupplierCredentialSource } from './supplier-credentials.ts';

export interface OpenSuppliers {
  /** The suppliers file's entries, in file order. */
  readonly entries: readonly SupplierEntry[];
  readonly connectors: ReadonlyMap<string, SupplierConnector>;
  /** Bundled sandboxes started because a supplier's URL was not configured, by slug. */
  readonly sandboxes: ReadonlyMap<string, SupplierSandbox>;
  readonly traffic: ReadonlyMap<string, SupplierTraffic>;
  /** Where each supplier is reached, with the credentials in use (credential store first, then environment; a sandbox's own). */
  readonly endpoints: ReadonlyMap<string, OpenedSupplierEndpoint>;
  /** Webhook item-id lookups of the families that need them, through each supplier's connector (`lookupItems`). */
  readonly itemLookups: ReadonlyMap<string, ItemRefResolver>;
  close(): Promise<void>;
}

export interface OpenedSupplierEndpoint {
  readonly url: string;
  readonly credentials: Readonly<Record<string, string | undefined>>;
  readonly outbound: OutboundPolicy;
  /** The bundled sandbox's webhook secret (accepted next to the configured ones), when the supplier is a sandbox. */
  readonly sandboxWebhookSecret?: string | null;
}

/**
 * A connector per entry of the suppliers file, each behind its traffic layer: against the configured supplier, or
 * its bundled sandbox when its URL is unset (logged, so nobody mistakes a sandbox for the real supplier). No call
 * reaches a supplier here: one that is down, or refuses our credentials, degrades only itself (docs/suppliers/).
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
  const itemLookups = new Map<string, ItemRefResolver>();
  const credentialSource = createSupplierCredentialSource({ config, store: options.credentialStore, log });
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch((error: unknown) => log.warn({ err: error }, 'error while closing a supplier'));
  };
  try {
    const unknown = Object.keys(config.supplierLimits).filter((slug) => !config.supplierEntries.some((s) => s.slug === slug));
    if (unknown.length > 0) throw new Error(`SUPPLIER_LIMITS names unknown suppliers: ${unknown.join(', ')}`);
    for (const entry of config.supplierEntries) {
      const { slug } = entry;
      const family = familyOf(entry.family);
      const configured = config.suppliers[slug];
      // One set of limits for both sides: our buckets, and what a bundled sandbox enforces and counts.
      const published = publishedLimitsOf(slug, config.supplierLimits[slug], entry);
      let url = configured?.url;
      let credentials = configured?.credentials ?? {};
      // Plain http only to a sandbox we started on loopback ourselves, or when the operator allowed it.
      let allowLoopbackHttp = config.outbound.allowLoopbackHttp;
      let readCredentials: (() => Promise<Readonly<Record<string, string | undefined>>>) | undefined;
      let sandbox: SupplierSandbox | undefined;
      if (!url) {
        const webhookUrl = options.webhookUrlFor?.(slug);
        sandbox = await startSandboxFor(entry, { port: 0, host: '127.0.0.1', ...(webhookUrl ? { webhookUrl } : {}), ...sandboxLimitsOf(published) });
        closers.push(() => sandbox!.close());
        sandboxes.set(slug, sandbox);
        url = sandbox.url;
        credentials = sandbox.credentials;
        allowLoopbackHttp = true;
        log.info({ supplier: slug, family: entry.family, url }, 'no supplier URL configured: using the bundled sandbox');
      } else {
        readCredentials = credentialSource.reader(slug, credentials);
        credentials = await credentialSource.resolve(slug, credentials);
      }
      const pins = sandbox ? [] : (config.outbound.tlsPins[slug] ?? []);
      const outbound = createOutboundPolicy({ supplier: slug, allowLoopbackHttp, pins, log });
      closers.push(() => outbound.close());
      // A refused URL stops the start, before any call: it is configuration, not an outage.
      outbound.check(url);
      for (const endpoint of family.endpointsOf?.(entry, url, sandbox) ?? []) outbound.check(endpoint);
      const supplierTraffic = createSupplierTraffic(slug, {
        store: options.rateLimits,
        metrics: options.metrics.supplier,
        log,
        timeoutMs: config.supplierTimeoutMs,
        limits: supplierLimitsOf(published),
        breakerOpenMs: config.supplierBreakerOpenMs,
      });
      traffic.set(slug, supplierTraffic);
      const connector = await createConnector({
        entry,
        url,
        credentials,
        ...(readCredentials ? { readCredentials } : {}),
        ...(sandbox ? { sandbox } : {}),
        policies: supplierTraffic.policies,
        outbound,
        log,
      });
      closers.push(() => connector.close());
      connectors.set(slug, connector);
      endpoints.set(slug, { url, credentials, outbound, ...(sandbox ? { sandboxWebhookSecret: sandbox.webhookSecret } : {}) });
      const lookups = family.itemLookups?.({ entry, connector });
      if (lookups) itemLookups.set(slug, lookups);
    }
    return { entries: config.supplierEntries, connectors, sandboxes, traffic, endpoints, itemLookups, close };
  } catch (error) {
    await close();
    throw error;
  }
}
