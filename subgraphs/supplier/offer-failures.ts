import { GraphQLError } from 'graphql';
import type { RegistryError } from '../../adapters/core/errors.ts';
import { toClientError } from '../graphql-errors.ts';

/** One supplier's degraded answer in this response: what went wrong and how old the served figures are. */
export interface DegradedSupplier {
  readonly supplier: string;
  readonly code: string;
  readonly errorClass: string;
  readonly staleOffers: number;
  /** The oldest `asOf` among the stale figures served. */
  readonly oldestAsOf: string;
}

/**
 * Collects, per request, what a supplier failure did to its offers, and reports it once per failure rather than
 * once per field:
 * - offers left empty → ONE GraphQL error per failure code, naming the supplier and class, listing the offer ids;
 * - offers served from the last known value → a `degradedSuppliers` response extension (the data is there, marked
 *   `stale` with its `asOf`; nothing failed for the client).
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

  degradedSuppliers(): DegradedSupplier[] {
    return [...this.#stale.values()].map(({ error, offers, oldestAsOf }) => ({
      supplier: error.supplier ?? 'unknown',
      code: error.code,
      errorClass: error.errorClass,
      staleOffers: offers.size,
      oldestAsOf,
    }));
  }
}
