/**
 * The `promostandards` family: any supplier publishing the PromoStandards SOAP services (Product Data, Inventory,
 * PPC pricing, Purchase Order, Order Status, Order Shipment Notification; Order Cancel is optional). Each service
 * has its own endpoint in the entry (`services`: a URL, or a path under `url`). Pull only: no webhooks.
 */
import { createHarborpromoConnector } from '../../adapters/suppliers/harborpromo/connector.ts';
import { PROMOSTANDARDS_SERVICES, type PromoStandardsService, type SupplierEntry } from '../../platform/suppliers-file.ts';
import { createSoapSandbox } from '../../sandboxes/soap/index.ts';
import type { SupplierSandbox } from '../../sandboxes/shared/sandbox.ts';
import type { SupplierFamily } from './family.ts';
import { requiredCredential } from './required-credential.ts';

/**
 * Each service's absolute endpoint: the entry's URL or path for it, else the bundled sandbox's own path for it;
 * services named nowhere are left to the connector's defaults under the base URL.
 */
export function serviceEndpointsOf(entry: SupplierEntry, url: string, sandbox?: SupplierSandbox): Partial<Record<PromoStandardsService, string>> {
  const base = url.replace(/\/+$/, '');
  const out: Partial<Record<PromoStandardsService, string>> = {};
  for (const service of PROMOSTANDARDS_SERVICES) {
    const named = sandbox ? entry.sandbox?.paths?.[service] : (entry.services?.[service] ?? undefined);
    if (named) out[service] = named.startsWith('/') ? `${base}${named}` : named;
  }
  return out;
}

export const promostandardsFamily: SupplierFamily = {
  name: 'promostandards',
  protocol: 'soap',
  async createConnector({ entry, url, credentials, sandbox, policies, outbound }) {
    return createHarborpromoConnector({
      baseUrl: url,
      id: requiredCredential(entry.slug, credentials, 'id'),
      password: requiredCredential(entry.slug, credentials, 'password'),
      outbound,
      // No call at creation: the part → product index loads on first use, so a supplier down at start costs nothing.
      primeDirectory: false,
      ...policies,
    });
  },
  startSandbox(entry, { costBudget: _unused, ...common }) {
    const c = entry.sandbox?.credentials;
    return createSoapSandbox({
      ...common,
      ...(c?.['id'] && c['password'] ? { credentials: { id: c['id'], password: c['password'] } } : {}),
      ...(entry.sandbox?.seed === undefined ? {} : { seed: entry.sandbox.seed }),
    });
  },
};
