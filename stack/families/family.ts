/**
 * A protocol family is a module; a supplier is an entry in the suppliers file. A family module tells the stack how
 * to reach any supplier of that family: its connector (created without calling the supplier), its bundled
 * sandbox, and — for pushing families — its webhook scheme and item lookups. The stack wraps every connector once
 * with the supplier's traffic policies (stack/open-suppliers.ts); the family passes them on, never builds its own.
 */
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import type { CallPolicyOptions } from '../../adapters/core/policies/with-call-policies.ts';
import type { OutboundPolicy } from '../../adapters/core/outbound-policy.ts';
import type { WebhookScheme } from '../../adapters/core/webhook.ts';
import type { Logger } from '../../platform/logger.ts';
import type { SupplierEntry, SupplierFamilyName } from '../../platform/suppliers-file.ts';
import type { SandboxOptions, SupplierSandbox } from '../../sandboxes/shared/sandbox.ts';
import type { ItemRefResolver } from '../../subgraphs/inventory/ingest/signal-reports.ts';
import type { SupplierProtocol } from '../../platform/supplier-registry.ts';

export type SupplierCredentials = Readonly<Record<string, string | undefined>>;

/** What a family's connector factory is handed for one entry. */
export interface ConnectorInputs {
  readonly entry: SupplierEntry;
  /** The base URL in use: configured, or the bundled sandbox's. */
  readonly url: string;
  /** Credentials in use (credential store first, then environment; a bundled sandbox's own). */
  readonly credentials: SupplierCredentials;
  /** Re-reads them, for a connector that takes a rotated secret without a restart (credential store only). */
  readonly readCredentials?: () => Promise<SupplierCredentials>;
  /** The bundled sandbox, when one was started for this entry. */
  readonly sandbox?: SupplierSandbox;
  /** The supplier's traffic policies; the connector applies them once, around every call. */
  readonly policies: CallPolicyOptions;
  readonly outbound: OutboundPolicy;
  readonly log: Logger;
}

export interface SandboxStart extends SandboxOptions {
  /** A cost-based supplier's bucket (its published limit); ignored by the others. */
  readonly costBudget?: { readonly maximumAvailable: number; readonly restoreRate: number };
}

/** Where pushing suppliers' webhook item references are resolved: through the supplier's own connector. */
export interface ItemLookupInputs {
  readonly entry: SupplierEntry;
  /** The supplier's connector, already behind its traffic policies (breaker, shared buckets, concurrency cap). */
  readonly connector: SupplierConnector;
}

export interface SupplierFamily {
  readonly name: SupplierFamilyName;
  readonly protocol: SupplierProtocol;
  /** Every endpoint the connector will call besides the base URL (checked by the outbound policy at start). */
  endpointsOf?(entry: SupplierEntry, url: string, sandbox?: SupplierSandbox): readonly string[];
  /** Builds the connector without any call to the supplier: a supplier down at start only degrades itself. */
  createConnector(inputs: ConnectorInputs): Promise<SupplierConnector>;
  /** Starts the bundled sandbox for an entry (its `sandbox` options: credentials, paths, catalog). */
  startSandbox(entry: SupplierEntry, options: SandboxStart): Promise<SupplierSandbox>;
  /** Pushing families: how their webhooks are verified and read. */
  webhookScheme?(options: { toleranceSeconds: number }): WebhookScheme;
  /**
   * Pushing families whose webhooks carry the supplier's own item ids rather than SKUs: a resolver over the
   * connector's `lookupItems` (a declared connector operation, so never a second client outside its policies).
   */
  itemLookups?(inputs: ItemLookupInputs): ItemRefResolver;
}
