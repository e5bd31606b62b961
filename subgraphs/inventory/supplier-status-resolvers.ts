import { statusTypeOf } from '../../schema/generate.ts';
import { SUPPLIERS } from '../../platform/supplier-registry.ts';
import type { SubgraphContext } from '../context.ts';
import { maySeeSupplier } from '../auth/allowed-suppliers.ts';

/**
 * `suppliers` lists a reference per registered supplier; each reference's concrete type belongs to that supplier's
 * subgraph, which resolves health, breaker and quota from the traffic layer of the process serving it.
 */
export function createSupplierStatusResolvers() {
  return {
    Query: {
      // A partner limited to some suppliers sees only those (docs/security.md).
      suppliers: (_root: unknown, _args: unknown, ctx: SubgraphContext) =>
        SUPPLIERS.filter((s) => maySeeSupplier(ctx, s.slug)).map((s) => ({ __typename: statusTypeOf(s), name: s.slug })),
    },
    SupplierStatus: {
      __resolveType: (ref: { __typename: string }) => ref.__typename,
    },
  };
}
