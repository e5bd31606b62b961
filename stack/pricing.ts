/**
 * Sell prices wired for one process (docs/storefront.md "Prices"): the configured store currency, rates and rules,
 * the rule store, and the deployment's routing policy, so a price comes from the offer orders would route to.
 */
import type { Money } from '../kernel/model.ts';
import type { Config } from '../platform/config.ts';
import type { AuditLog } from '../platform/audit/audit-log.ts';
import type { Logger } from '../platform/logger.ts';
import type { Stores } from '../adapters/storage/open-stores.ts';
import type { FxTable } from '../subgraphs/pricing/fx.ts';
import { createPriceService } from '../subgraphs/pricing/price-service.ts';
import type { PricingResolverOptions } from '../subgraphs/pricing/resolvers.ts';
import { createRuleSource } from '../subgraphs/pricing/rule-source.ts';
import { supplierLandedCost, type LandedCostView } from '../subgraphs/pricing/sell-price.ts';
import { routingPolicyOf } from '../subgraphs/routing-policy.ts';

export const fxTableOf = (config: Pick<Config, 'pricing'>): FxTable => ({ storeCurrency: config.pricing.storeCurrency, date: config.pricing.fx.date, rates: config.pricing.fx.rates });

export interface StackPricing extends PricingResolverOptions {
  close(): Promise<void>;
}

/** Opens the process's pricing: its rule source listens for `pricing.changed` before the subgraph serves. */
export async function openPricing(config: Config, stores: Pick<Stores, 'catalog' | 'stock' | 'cache' | 'events' | 'pricingRules'>, log: Logger, audit?: Pick<AuditLog, 'record'>): Promise<StackPricing> {
  const fx = fxTableOf(config);
  const rules = createRuleSource({ store: stores.pricingRules, configured: config.pricing.rules, events: stores.events, log: log.child({ component: 'pricing' }), ...(audit ? { audit } : {}) });
  await rules.start();
  const prices = createPriceService({ catalog: stores.catalog, stock: stores.stock, cache: stores.cache, rules, fx, policy: routingPolicyOf(config.orders.routingPolicy), log });
  return { prices, rules, fx, close: () => rules.close() };
}

/** `Offer.landedCost` for one supplier's subgraph. */
export function landedCostOfSupplier(config: Config, supplier: string): (cost: Money) => LandedCostView | null {
  return supplierLandedCost(supplier, fxTableOf(config), routingPolicyOf(config.orders.routingPolicy).shippingCost);
}
