import { GraphQLError } from 'graphql';
import type { RegistryError } from '../../kernel/errors.ts';
import { toClientError } from '../graphql-errors.ts';
import { servesLastKnownValue } from '../../adapters/core/policies/degraded-read.ts';

/**
 * One supplier's degraded answer in this response, per failure code: how many of its offers were served from last
 * known figures (and how old the oldest is), and how many were left without figures because it could not answer now.
 */
export interface DegradedSupplier {
  readonly supplier: string;
  readonly code: string;
  readonly errorClass: string;
  readonly staleOffers: number;
  /** Offers left without figures (also reported in the error naming the supplier); outages only, not refusals. */
  readonly failedOffers: number;
  /** The oldest `asOf` among the stale figures served; null when none were. */
  readonly oldestAsOf: string | null;
}

/**
 * Collects, per request, what a supplier failure did to its offers, and reports it once per failure rather than
 * once per field:
 * - offers left empty → ONE GraphQL error per failure code, naming the supplier and class, listing the offer ids;
 * - offers served from the last known value → a `degradedSuppliers` response extension (the data is there, marked
 *   `stale` with its `asOf`; nothing failed for the client);
 * - and the extension counts both, per supplier and code, for every outage: one place where a client sees which
 *   suppliers could not answer now (a logical refusal is only an error).
 *
 * Why no `path` on the error: @apollo/gateway 2.14 rebuilds the path of an `_entities` error from the index of the
 * representation, but looks that index up among *all* entities at the fetch's merge point. Offers are polymorphic,
 * so a supplier's fetch gets only its own offers and every path would point at the wrong offer. A pathless error
 * naming the supplier, the class and the offer ids is honest; the affected fields are null.
 */
export class OfferFailures {
  readonly #failed = new Map<string, { error: RegistryError; offerIds: Set<string> }>();
  readonly #stale = new Map<string, { error: RegistryError; offers: Set<string>; oldestAsOf: string }>();

  record(offerId: string, error: RegistryError): void {
    const entry = this.#failed.get(error.code) ?? { error, offerIds: new Set<string>() };
    entry.offerIds.add(offerId);
    this.#failed.set(error.code, entry);
  }

  recordStale(offerId: string, error: RegistryError, asOf: string): void {
    const entry = this.#stale.get(error.code) ?? { error, offers: new Set<string>(), oldestAsOf: asOf };
    entry.offers.add(offerId);
    if (Date.parse(asOf) < Date.parse(entry.oldestAsOf)) entry.oldestAsOf = asOf;
    this.#stale.set(error.code, entry);
  }

  get size(): number {
    return this.#failed.size + this.#stale.size;
  }

  toGraphQLErrors(): GraphQLError[] {
    return [...this.#failed.values()].map(({ error, offerIds }) => {
      const client = toClientError(error);
      return new GraphQLError(client.message, { extensions: { ...client.extensions, offerIds: [...offerIds].sort() } });
    });
  }

  /**
   * Every supplier that could not answer now, in one place for a client: stale offers, and offers left empty by an
   * outage (timeouts, throttling, open circuit, down, garbage). A logical refusal is not a degradation: its error
   * is the whole story.
   */
  degradedSuppliers(): DegradedSupplier[] {
    const byCode = new Map<string, { error: RegistryError; stale: number; failed: number; oldestAsOf: string | null }>();
    for (const { error, offers, oldestAsOf } of this.#stale.values()) byCode.set(error.code, { error, stale: offers.size, failed: 0, oldestAsOf });
    for (const { error, offerIds } of this.#failed.values()) {
      if (!servesLastKnownValue(error)) continue;
      const entry = byCode.get(error.code) ?? { error, stale: 0, failed: 0, oldestAsOf: null };
      entry.failed += offerIds.size;
      byCode.set(error.code, entry);
    }
    return [...byCode.values()].map(({ error, stale, failed, oldestAsOf }) => ({
      supplier: error.supplier ?? 'unknown',
      code: error.code,
      errorClass: error.errorClass,
      staleOffers: stale,
      failedOffers: failed,
      oldestAsOf,
    }));
  }
}
