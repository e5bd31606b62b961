/**
 * The `maplecart-graphql` family: Maplecart's Shopify-style GraphQL Admin API (cost bucket, HMAC webhooks that
 * carry inventory item ids). Item ids are resolved under the supplier's own traffic policies.
 */
import { createMaplecartConnector } from '../../adapters/suppliers/maplecart/connector.ts';
import { createInventoryItemResolver } from '../../adapters/suppliers/maplecart/inventory-items.ts';
import { createMaplecartWebhookScheme } from '../../adapters/suppliers/maplecart/webhook.ts';
import { createGraphqlSandbox } from '../../sandboxes/graphql/index.ts';
import type { SupplierFamily } from './family.ts';
import { requiredCredential } from './required-credential.ts';

export const maplecartGraphqlFamily: SupplierFamily = {
  name: 'maplecart-graphql',
  protocol: 'graphql',
  async createConnector({ entry, url, credentials, policies, outbound }) {
    return createMaplecartConnector({ baseUrl: url, accessToken: requiredCredential(entry.slug, credentials, 'accessToken'), fetch: outbound.fetch, ...policies });
  },
  startSandbox(entry, { costBudget, ...common }) {
    const token = entry.sandbox?.credentials?.['accessToken'];
    return createGraphqlSandbox({
      ...common,
      ...(costBudget ? { costBudget } : {}),
      ...(token ? { accessToken: token } : {}),
      ...(entry.sandbox?.seed === undefined ? {} : { seed: entry.sandbox.seed }),
    });
  },
  webhookScheme: () => createMaplecartWebhookScheme(),
  itemLookups({ entry, url, credentials, fetch, policed }) {
    const accessToken = requiredCredential(entry.slug, credentials, 'accessToken');
    const resolver = createInventoryItemResolver({ baseUrl: url, accessToken, ...(fetch ? { fetch } : {}) });
    // Counted as a stock read: the same buckets, breaker and slot as the connector's (its cost estimate is an upper
    // bound of the lookup's 2 + 2 points per id).
    return { skusOf: (refs, ctx) => policed('getStock', ctx, (c) => resolver.skusOf(refs, c)) };
  },
};
