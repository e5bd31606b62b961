import { GraphQLError } from 'graphql';
import type { RegistryError } from '../../adapters/core/errors.ts';
import { toClientError } from '../graphql-errors.ts';

/**
 * Collects, per request, the offers a supplier failure left empty, and reports them as ONE error per failure
 * (not one per null field) listing the affected offer ids.
 *
 * Why no `path`: @apollo/gateway 2.14 rebuilds the path of an `_entities` error from the index of the
 * representation, but looks that index up among *all* entities at the fetch's merge point. Offers are polymorphic,
 * so a supplier's fetch gets only its own offers and every path would point at the wrong offer. A pathless error
 * naming the supplier, the class and the offer ids is honest; the affected fields are null.
 */
export class OfferFailures {
  readonly #byCode = new Map<string, { error: RegistryError; offerIds: Set<string> }>();

  record(offerId: string, error: RegistryError): void {
    const entry = this.#byCode.get(error.code) ?? { error, offerIds: new Set<string>() };
    entry.offerIds.add(offerId);
    this.#byCode.set(error.code, entry);
  }

  get size(): number {
    return this.#byCode.size;
  }

  toGraphQLErrors(): GraphQLError[] {
    return [...this.#byCode.values()].map(({ error, offerIds }) => {
      const client = toClientError(error);
      return new GraphQLError(client.message, { extensions: { ...client.extensions, offerIds: [...offerIds].sort() } });
    });
  }
}
