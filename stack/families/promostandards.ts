/**
 * The `promostandards` family: any supplier publishing the PromoStandards SOAP services (Product Data, Inventory,
 * PPC pricing, Purchase Order, Order Status, Order Shipment Notification; Order Cancel only where the supplier has
 * one). Each service has its own endpoint in the entry (`services`: a URL, or a path under `url`); a bundled sandbox
 * hands over its own endpoints. Pull only: no webhooks.
 */
import { createPromoStandardsConnector } from '../../adapters/suppliers/harborpromo/connector.ts';
import { PROMOSTANDARDS_SERVICES, type PromoStandardsService, type SupplierEntry } from '../../platform/suppliers-file.ts';
import { createSoapSandbox } from '../../sandboxes/soap/index.ts';
import type { SupplierSandbox } from '../../sandboxes/shared/sandbox.ts';
import { answerLimitsOf } from './answer-limits.ts';
import type { SupplierFamily } from './family.ts';
import { requiredCredential } from './required-credential.ts';

/** A bundled SOAP sandbox's own endpoints (absolute), per service. */
const sandboxEndpoints = (sandbox: SupplierSandbox): Partial<Record<PromoStandardsService, string>> =>
  'endpoints' in sandbox ? (sandbox as SupplierSandbox & { endpoints: Partial<Record<PromoStandardsService, string>> }).endpoints : {};

/**
 * Each service's absolute endpoint as configured: the entry's URL or path for it (a path is under `url`), or the
 * bundled sandbox's own. Services named nowhere are left to the connector's defaults under the base URL.
 */
export function serviceEndpointsOf(entry: SupplierEntry, url: string, sandbox?: SupplierSandbox): Partial<Record<PromoStandardsService, string>> {
  if (sandbox) return sandboxEndpoints(sandbox);
  const base = url.replace(/\/+$/, '');
  const out: Partial<Record<PromoStandardsService, string>> = {};
  for (const service of PROMOSTANDARDS_SERVICES) {
    const named = entry.services?.[service];
    if (named) out[service] = named.startsWith('/') ? `${base}${named}` : named;
  }
  return out;
}

export const promostandardsFamily: SupplierFamily = {
  name: 'promostandards',
  protocol: 'soap',
  endpointsOf: (entry, url, sandbox) => Object.values(serviceEndpointsOf(entry, url, sandbox)),
  async createConnector({ entry, url, credentials, readCredentials, sandbox, policies, outbound, log }) {
    return createPromoStandardsConnector({
      supplier: entry.slug,
      url,
      services: serviceEndpointsOf(entry, url, sandbox),
      credentials: { id: requiredCredential(entry.slug, credentials, 'id'), password: requiredCredential(entry.slug, credentials, 'password') },
      // Re-read when the supplier refuses the ones in use: a secret put in the credential store is used without a restart.
      ...(readCredentials
        ? {
            readCredentials: async () => {
              const c = await readCredentials();
              return { id: requiredCredential(entry.slug, c, 'id'), password: requiredCredential(entry.slug, c, 'password') };
            },
          }
        : {}),
      ...(entry.allocatesStockOnAccept === undefined ? {} : { allocatesStockOnAccept: entry.allocatesStockOnAccept }),
      outbound,
      // The suppliers file's maxAnswerBytes (per connector operation), enforced while each answer is read.
      answerLimits: answerLimitsOf(entry),
      log,
      // No call at creation: the part → product index loads on first use, so a supplier down at start costs nothing.
      primeDirectory: false,
      ...policies,
    });
  },
  startSandbox(entry, { costBudget: _unused, ...common }) {
    const s = entry.sandbox;
    const c = s?.credentials;
    return createSoapSandbox({
      ...common,
      ...(c?.['id'] && c['password'] ? { credentials: { id: c['id'], password: c['password'] } } : {}),
      ...(s?.seed === undefined ? {} : { seed: s.seed }),
      ...(s?.paths ? { paths: s.paths } : {}),
      ...(s?.catalogSeed === undefined ? {} : { catalogSeed: s.catalogSeed }),
      ...(s?.cancelService === undefined ? {} : { cancelService: s.cancelService }),
    });
  },
};
