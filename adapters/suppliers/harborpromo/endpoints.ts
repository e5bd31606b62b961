/**
 * Where each PromoStandards service of one supplier is published. Real suppliers publish one endpoint URL per
 * service with their own paths, so every service may be named on its own (an absolute URL, or a path under the
 * supplier's base URL); a service not named falls back to the base URL plus the path the bundled sandbox uses by
 * default. Order Cancel is not a PromoStandards service: it has no fallback, and without it the connector cannot
 * cancel (docs/suppliers/promostandards.md).
 */
import { RegistryError } from '../../../kernel/errors.ts';

export const PROMOSTANDARDS_SERVICE_KEYS = ['productData', 'inventory', 'pricing', 'purchaseOrder', 'orderStatus', 'shipmentNotification', 'orderCancel'] as const;
export type PromoStandardsServiceKey = (typeof PROMOSTANDARDS_SERVICE_KEYS)[number];

/** The services the connector cannot work without. */
export const REQUIRED_SERVICES = ['productData', 'inventory', 'purchaseOrder', 'orderStatus', 'shipmentNotification'] as const satisfies readonly PromoStandardsServiceKey[];
export type RequiredService = (typeof REQUIRED_SERVICES)[number];

/** Paths under the base URL for services not named (the bundled sandbox's defaults). */
export const DEFAULT_SERVICE_PATHS: Readonly<Record<RequiredService, string>> = {
  productData: '/product-data/v2',
  inventory: '/inventory/v2',
  purchaseOrder: '/po/v1',
  orderStatus: '/order-status/v2',
  shipmentNotification: '/osn/v2',
};

export type ServiceEndpoints = Readonly<Record<RequiredService, string>> & { readonly orderCancel: string | null; readonly pricing: string | null };

export function resolveServiceEndpoints(
  supplier: string,
  url: string | undefined,
  services: Readonly<Partial<Record<PromoStandardsServiceKey, string>>> = {},
): ServiceEndpoints {
  const base = url?.replace(/\/+$/, '');
  const resolve = (service: PromoStandardsServiceKey, fallbackPath: string | null): string | null => {
    const named = services[service];
    if (named && !named.startsWith('/')) return named;
    const relative = named ?? fallbackPath;
    if (relative === null) return null;
    if (base === undefined) {
      throw new RegistryError('MISCONFIGURED', `supplier ${supplier}: service ${service} needs an endpoint URL (or a base url for its path)`, { supplier });
    }
    return `${base}${relative}`;
  };
  const out: Record<string, string | null> = {};
  for (const service of REQUIRED_SERVICES) out[service] = resolve(service, DEFAULT_SERVICE_PATHS[service]);
  out['orderCancel'] = resolve('orderCancel', null);
  out['pricing'] = resolve('pricing', null);
  return out as ServiceEndpoints;
}
