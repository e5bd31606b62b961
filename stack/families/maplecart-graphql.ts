/**
 * The `maplecart-graphql` family: Maplecart's Shopify-style GraphQL Admin API (cost bucket, HMAC webhooks that
 * carry inventory item ids). Item ids are resolved by the connector's `lookupItems`, under its traffic policies.
 */
import { createMaplecartConnector } from '../../adapters/suppliers/maplecart/connector.ts';
import { createInventoryItemResolver } from '../../adapters/suppliers/maplecart/inventory-items.ts';
import { createMaplecartWebhookScheme } from '../../adapters/suppliers/maplecart/webhook.ts';
import { createGraphqlSandbox } from '../../sandboxes/graphql/index.ts';
import { answerLimitsOf } from './answer-limits.ts';
import type { SupplierFamily } from './family.ts';
import { requiredCredential } from './required-credential.ts';

export const maplecartGraphqlFamily: SupplierFamily = {
  name: 'maplecart-graphql',
  protocol: 'graphql',
  async createConnector({ entry, url, credentials, policies, outbound }) {
    return createMaplecartConnector({
      baseUrl: url,
      accessToken: requiredCredential(entry.slug, credentials, 'accessToken'),
      fetch: outbound.fetch,
      answerLimits: answerLimitsOf(entry),
      ...policies,
    });
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
  // Through the connector's lookupItems: its client, breaker, shared cost bucket and concurrency cap; answers remembered.
  itemLookups: ({ connector }) => createInventoryItemResolver({ connector }),
};
