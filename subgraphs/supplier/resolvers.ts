import type { GraphQLResolveInfo } from 'graphql';
import type { SupplierDescriptor } from '../supplier-registry.ts';
import { offerId, parseOfferId } from '../supplier-registry.ts';
import { toClientError } from '../graphql-errors.ts';
import type { SupplierStock } from '../../adapters/core/model.ts';
import type { SupplierContext } from './context.ts';
import type { OfferView } from './offer-view.ts';

/** The live figures of an offer, or the supplier's failure raised at this field (null + an error naming the supplier). */
function live(view: OfferView, info: GraphQLResolveInfo): SupplierStock | null {
  const { result } = view;
  if (result.kind === 'failed') throw toClientError(result.error, pathOf(info));
  return result.kind === 'live' ? result.stock : null;
}

function pathOf(info: GraphQLResolveInfo): (string | number)[] {
  const path: (string | number)[] = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) path.unshift(p.key);
  return path;
}

async function loadView(supplierSku: string, ctx: SupplierContext, slug: string): Promise<OfferView> {
  return { id: offerId(slug, supplierSku), supplierSku, result: await ctx.offers.load(supplierSku) };
}

/**
 * Resolvers for one supplier subgraph. Every supplier uses the same generated SDL shape (schema/generate.ts), so
 * this is built from the registry entry rather than written per supplier.
 */
export function createSupplierResolvers(supplier: SupplierDescriptor) {
  const supplierInfo = { name: supplier.slug, displayName: supplier.displayName, protocol: supplier.protocol.toUpperCase() };
  return {
    Query: {
      [`${supplier.slug}Offer`]: (_: unknown, args: { supplierSku: string }, ctx: SupplierContext) => loadView(args.supplierSku, ctx, supplier.slug),
    },
    [supplier.offerType]: {
      __resolveReference: (ref: { id: string }, ctx: SupplierContext): Promise<OfferView> | null => {
        const parsed = parseOfferId(ref.id);
        // An id of another supplier never reaches us through the planner; a hand-made one resolves to null.
        if (!parsed || parsed.slug !== supplier.slug) return null;
        return loadView(parsed.supplierSku, ctx, supplier.slug);
      },
      id: (view: OfferView) => view.id,
      supplier: () => supplierInfo,
      supplierSku: (view: OfferView) => view.supplierSku,
      available: (view: OfferView, _: unknown, __: unknown, info: GraphQLResolveInfo) => live(view, info)?.available ?? null,
      status: (view: OfferView, _: unknown, __: unknown, info: GraphQLResolveInfo) => {
        if (view.result.kind === 'unlisted') return 'UNLISTED';
        return live(view, info)?.status.toUpperCase() ?? null;
      },
      cost: (view: OfferView, _: unknown, __: unknown, info: GraphQLResolveInfo) => live(view, info)?.cost ?? null,
      leadTimeDays: (view: OfferView, _: unknown, __: unknown, info: GraphQLResolveInfo) => live(view, info)?.leadTimeDays ?? null,
      asOf: (view: OfferView, _: unknown, __: unknown, info: GraphQLResolveInfo) => live(view, info)?.asOf ?? null,
    },
    Offer: {
      __resolveType: () => supplier.offerType,
    },
  };
}
