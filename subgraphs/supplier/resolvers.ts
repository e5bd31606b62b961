import type { SupplierDescriptor } from '../../platform/supplier-registry.ts';
import { offerId, parseOfferId } from '../../platform/supplier-registry.ts';
import type { Money, SupplierStock } from '../../kernel/model.ts';
import type { LandedCostView } from '../pricing/sell-price.ts';
import type { SupplierContext } from './context.ts';
import { maySeeSupplier } from '../auth/allowed-suppliers.ts';
import type { OfferView } from './offer-view.ts';
import type { SupplierStatusView } from './status-view.ts';
import { statusTypeOf } from '../../schema/generate.ts';

/** The figures of an offer, live or last known; null when the supplier failed (reported once, see offer-failures.ts). */
function live(view: OfferView): SupplierStock | null {
  return view.result.kind === 'live' || view.result.kind === 'stale' ? view.result.stock : null;
}

async function loadView(supplierSku: string, ctx: SupplierContext, slug: string): Promise<OfferView> {
  const view: OfferView = { id: offerId(slug, supplierSku), supplierSku, result: await ctx.offers.load(supplierSku) };
  if (view.result.kind === 'failed') ctx.failures.record(view.id, view.result.error);
  if (view.result.kind === 'stale') ctx.failures.recordStale(view.id, view.result.error, view.result.stock.asOf);
  return view;
}

/**
 * Resolvers for one supplier subgraph. Every supplier uses the same generated SDL shape (schema/generate.ts), so
 * this is built from the registry entry rather than written per supplier.
 */
export function createSupplierResolvers(
  supplier: SupplierDescriptor,
  status: () => Promise<SupplierStatusView>,
  /** An offer's cost + known shipping in the store currency (subgraphs/pricing/); null when it does not convert. */
  landedCost: (cost: Money) => LandedCostView | null = () => null,
) {
  const supplierInfo = { name: supplier.slug, displayName: supplier.displayName, protocol: supplier.protocol.toUpperCase() };
  return {
    Query: {
      [`${supplier.slug}Offer`]: (_: unknown, args: { supplierSku: string }, ctx: SupplierContext) =>
        maySeeSupplier(ctx, supplier.slug) ? loadView(args.supplierSku, ctx, supplier.slug) : null,
    },
    [supplier.offerType]: {
      __resolveReference: (ref: { id: string }, ctx: SupplierContext): Promise<OfferView> | null => {
        const parsed = parseOfferId(ref.id);
        // An id of another supplier never reaches us through the planner; a hand-made one resolves to null.
        if (!parsed || parsed.slug !== supplier.slug) return null;
        // A partner limited to other suppliers: the inventory subgraph never refers it here; a direct lookup gets null.
        if (!maySeeSupplier(ctx, supplier.slug)) return null;
        return loadView(parsed.supplierSku, ctx, supplier.slug);
      },
      id: (view: OfferView) => view.id,
      supplier: () => supplierInfo,
      supplierSku: (view: OfferView) => view.supplierSku,
      available: (view: OfferView) => live(view)?.available ?? null,
      status: (view: OfferView) => (view.result.kind === 'unlisted' ? 'UNLISTED' : (live(view)?.status.toUpperCase() ?? null)),
      cost: (view: OfferView) => live(view)?.cost ?? null,
      leadTimeDays: (view: OfferView) => live(view)?.leadTimeDays ?? null,
      asOf: (view: OfferView) => live(view)?.asOf ?? null,
      stale: (view: OfferView) => view.result.kind === 'stale',
      landedCost: (view: OfferView) => {
        const cost = live(view)?.cost ?? null;
        return cost === null ? null : landedCost(cost);
      },
      // Kept with the figures in the offer cache (the whole SupplierStock), so a cached or last known offer has it too.
      incoming: (view: OfferView) => live(view)?.incoming ?? null,
    },
    Offer: {
      __resolveType: () => supplier.offerType,
    },
    [statusTypeOf(supplier)]: {
      __resolveReference: (ref: { name: string }, ctx: SupplierContext) => (ref.name === supplier.slug && maySeeSupplier(ctx, supplier.slug) ? status() : null),
    },
    SupplierStatus: {
      __resolveType: () => statusTypeOf(supplier),
    },
  };
}
