import type { FaultKnobs } from './faults.ts';
import type { PublishedRequestLimit } from './request-window.ts';

export type SandboxKind = 'rest' | 'soap' | 'graphql';

/** Requests a sandbox has answered, per operation name in its own API, for call-count assertions. */
export interface SandboxStats {
  readonly total: number;
  readonly byOperation: Readonly<Record<string, number>>;
  /** Largest number of SKUs asked for in one stock request. */
  readonly maxStockBatch: number;
  /**
   * Requests refused because they exceeded the supplier's published limit (the request window, or the GraphQL
   * cost bucket): what a real supplier would count against the account. Fault-knob throttles are not counted.
   */
  readonly overLimit: number;
}

/**
 * What tests and `npm start` hold of a running sandbox. Every sandbox also serves these over HTTP under
 * `/__sandbox/` (faults, stats, drift, orders) for tests driving it from another process.
 */
export interface SupplierSandbox {
  readonly kind: SandboxKind;
  /** Base URL of the supplier API, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Credentials the connector must present; the sandbox refuses others. */
  readonly credentials: Readonly<Record<string, string>>;
  /** Secret(s) the sandbox signs its webhooks with (REST, GraphQL); empty for the pull-only SOAP supplier. */
  readonly webhookSecret: string | null;
  setFaults(knobs: Partial<FaultKnobs>): void;
  resetFaults(): void;
  stats(): SandboxStats;
  resetStats(): void;
  /** The supplier SKUs this sandbox carries, in catalog order. */
  supplierSkus(): string[];
  /** Units available now for one supplier SKU (undefined when not carried). */
  stockOf(supplierSku: string): number | undefined;
  /** Changes stock silently: no webhook, as real suppliers sometimes do. */
  driftStock(supplierSku: string, available: number): void;
  /** Orders as the sandbox stores them, in its own format. */
  orders(): readonly unknown[];
  /** Advances an order along the supplier's own lifecycle (e.g. to shipped), for tests. */
  advanceOrder(supplierOrderId: string, to: 'accepted' | 'partially_shipped' | 'shipped' | 'delivered' | 'backordered' | 'on_hold' | 'rejected'): void;
  close(): Promise<void>;
}

export interface SandboxOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  readonly port?: number;
  readonly host?: string;
  /** Where the sandbox POSTs webhooks (REST, GraphQL); none are sent when unset. */
  readonly webhookUrl?: string;
  /**
   * The supplier's published request limit, enforced over a sliding window of API requests (request-window.ts).
   * Unset: no request limit (the GraphQL sandbox still runs its cost bucket).
   */
  readonly publishedLimit?: PublishedRequestLimit;
}
