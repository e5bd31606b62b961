import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { isRegistryError } from '../../kernel/errors.ts';
import { auditActorOf } from '../../platform/auth/principal.ts';
import { offerId, offerTypeOf } from '../../platform/supplier-registry.ts';
import type { SubgraphContext } from '../context.ts';
import type { FxTable } from './fx.ts';
import type { PriceService, ProductPrice } from './price-service.ts';
import type { ListedRule, RuleSource } from './rule-source.ts';
import type { RuleScope } from './rules.ts';
import { landedCostView } from './sell-price.ts';

/** What the pricing fields of Product resolve from: the entity's key. */
export interface ProductKey {
  readonly sku: string;
}

export interface PricingResolverOptions {
  readonly prices: PriceService;
  readonly rules: RuleSource;
  readonly fx: FxTable;
}

type Scope = 'PRODUCT' | 'CATEGORY' | 'BRAND' | 'SUPPLIER' | 'DEFAULT';
const toScope = (s: Scope): RuleScope => s.toLowerCase() as RuleScope;
const fromScope = (s: RuleScope): Scope => s.toUpperCase() as Scope;

interface RuleInput {
  readonly scope: Scope;
  readonly key?: string | null;
  readonly markupPercent?: string | null;
  readonly markupFixed?: string | null;
  readonly minMarginPercent?: string | null;
  readonly rounding?: string | null;
}

/** One loader per request: every product priced in one tick costs one catalog, one stock and one or two cache reads. */
const loaders = new WeakMap<object, DataLoader<string, ProductPrice | null>>();
function pricesFor(ctx: SubgraphContext, prices: PriceService): DataLoader<string, ProductPrice | null> {
  let loader = loaders.get(ctx);
  if (loader === undefined) {
    loader = new DataLoader((skus: readonly string[]) => prices.pricesOf(skus, ctx.auth.suppliers), { maxBatchSize: 500 });
    loaders.set(ctx, loader);
  }
  return loader;
}

/** A refused rule names the field and reason in the error's extensions, so an admin UI can point at the input. */
async function naming<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isRegistryError(error) || error.code !== 'INVALID_INPUT') throw error;
    const { field, reason } = (error.details ?? {}) as { field?: unknown; reason?: unknown };
    throw new GraphQLError(error.message, {
      extensions: { code: error.code, errorClass: error.errorClass, ...(typeof field === 'string' ? { field } : {}), ...(typeof reason === 'string' ? { reason } : {}) },
    });
  }
}

const ruleView = (r: ListedRule) => ({ ...r, scope: fromScope(r.scope), source: r.source === 'graph' ? ('GRAPH' as const) : ('CONFIGURATION' as const) });

/**
 * Product.price / Product.bestOffer and the admins' rule query and mutations, merged into the inventory subgraph's
 * resolvers (schema/pricing.graphql). Typed loosely here and by subgraphs/pricing/generated/resolvers-types.ts at
 * the merge; scopes are enforced by the scope shield from the SDL.
 */
export function createPricingResolvers(options: PricingResolverOptions) {
  const { prices, rules, fx } = options;
  return {
    Product: {
      price: (product: ProductKey, _args: unknown, ctx: SubgraphContext) => pricesFor(ctx, prices).load(product.sku),
      bestOffer: async (product: ProductKey, _args: unknown, ctx: SubgraphContext) => {
        const price = await pricesFor(ctx, prices).load(product.sku);
        return price === null ? null : { __typename: offerTypeOf(price.supplier), id: offerId(price.supplier, price.supplierSku) };
      },
    },
    SellPrice: {
      amount: (p: ProductPrice) => p.price.amount.amount,
      currency: (p: ProductPrice) => p.price.amount.currency,
      landedCost: (p: ProductPrice) => landedCostView(p.price.landedCost),
      markupRule: (p: ProductPrice) => p.price.rule.markupFrom,
      minMarginRule: (p: ProductPrice) => p.price.rule.minMarginFrom,
      roundingRule: (p: ProductPrice) => p.price.rule.roundingFrom,
      marginFloorApplied: (p: ProductPrice) => p.price.marginFloorApplied,
      mapFloorApplied: (p: ProductPrice) => p.price.mapFloorApplied,
    },
    Query: {
      pricing: async () => ({
        storeCurrency: fx.storeCurrency,
        fxRateDate: fx.date,
        fxRates: Object.entries(fx.rates).map(([currency, rate]) => ({ currency, rate })),
        rules: (await rules.list()).map(ruleView),
      }),
    },
    Mutation: {
      setPricingRule: async (_parent: unknown, { input }: { input: RuleInput }, ctx: SubgraphContext) =>
        naming(async () => ruleView(await rules.set({ ...input, scope: toScope(input.scope), key: input.key ?? '' }, auditActorOf(ctx.auth), ctx.requestId))),
      deletePricingRule: (_parent: unknown, { scope, key }: { scope: Scope; key?: string | null }, ctx: SubgraphContext) => rules.remove(toScope(scope), key ?? '', auditActorOf(ctx.auth), ctx.requestId),
    },
  };
}
