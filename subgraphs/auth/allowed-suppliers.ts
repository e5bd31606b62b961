import { allowsSupplier } from '../../platform/auth/principal.ts';
import type { SubgraphContext } from '../context.ts';

/**
 * A partner limited to some suppliers sees only those suppliers' offers, stock rows, mappings and statuses
 * (docs/security.md). Resolvers filter with this; the principal comes from the verified gateway signature.
 */
export const maySeeSupplier = (ctx: Pick<SubgraphContext, 'auth'>, slug: string): boolean => allowsSupplier(ctx.auth, slug);

export function onlyAllowedSuppliers<T extends { readonly supplier: string }>(ctx: Pick<SubgraphContext, 'auth'>, items: readonly T[]): T[] {
  return ctx.auth.suppliers === undefined ? [...items] : items.filter((item) => allowsSupplier(ctx.auth, item.supplier));
}
