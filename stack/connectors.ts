import type { SupplierConnector } from '../adapters/core/connector.ts';
import { RegistryError } from '../adapters/core/errors.ts';
import type { CallPolicyOptions } from '../adapters/core/policies/with-call-policies.ts';
import type { OutboundPolicy } from '../adapters/core/outbound-policy.ts';
import { createBrightlineConnector } from '../adapters/suppliers/brightline/connector.ts';
import { createHarborpromoConnector } from '../adapters/suppliers/harborpromo/connector.ts';
import { createMaplecartConnector } from '../adapters/suppliers/maplecart/connector.ts';

export interface SupplierEndpoint {
  readonly url: string;
  readonly credentials: Readonly<Record<string, string | undefined>>;
  /** Re-reads the credentials (credential store), for connectors that take a rotated secret without a restart. */
  readonly readCredentials?: () => Promise<Readonly<Record<string, string | undefined>>>;
}

function required(slug: string, credentials: SupplierEndpoint['credentials'], name: string): string {
  const value = credentials[name];
  if (!value) throw new RegistryError('MISCONFIGURED', `supplier ${slug}: credential ${name} is not set`, { supplier: slug });
  return value;
}

const readPair =
  (slug: string, read: NonNullable<SupplierEndpoint['readCredentials']>) =>
  async (): Promise<{ clientId: string; clientSecret: string }> => {
    const c = await read();
    return { clientId: required(slug, c, 'clientId'), clientSecret: required(slug, c, 'clientSecret') };
  };

/**
 * Builds each registered supplier's production connector: protocol layer + mapping, wrapped once in the call
 * policies given (deadline, retries, shared rate limits, breaker, concurrency cap, metrics). With `outbound`, every
 * HTTP exchange goes through it (HTTPS only, TLS 1.2+, pins: docs/security.md).
 */
export async function createConnector(slug: string, endpoint: SupplierEndpoint, policies: CallPolicyOptions, outbound?: OutboundPolicy): Promise<SupplierConnector> {
  const c = endpoint.credentials;
  const viaPolicy = outbound ? { fetch: outbound.fetch } : {};
  switch (slug) {
    case 'brightline':
      return createBrightlineConnector({
        baseUrl: endpoint.url,
        clientId: required(slug, c, 'clientId'),
        clientSecret: required(slug, c, 'clientSecret'),
        // Read at each OAuth token request: a secret rotated in the vault is used without a restart.
        ...(endpoint.readCredentials ? { readCredentials: readPair(slug, endpoint.readCredentials) } : {}),
        ...viaPolicy,
        ...policies,
      });
    case 'harborpromo':
      return createHarborpromoConnector({
        baseUrl: endpoint.url,
        id: required(slug, c, 'id'),
        password: required(slug, c, 'password'),
        ...(outbound ? { outbound } : {}),
        ...policies,
      });
    case 'maplecart':
      return createMaplecartConnector({
        baseUrl: endpoint.url,
        accessToken: required(slug, c, 'accessToken'),
        ...viaPolicy,
        ...policies,
      });
    default:
      throw new RegistryError('MISCONFIGURED', `no connector for supplier ${slug}`, { supplier: slug });
  }
}
