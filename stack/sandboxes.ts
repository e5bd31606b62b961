import type { SupplierSandbox } from '../sandboxes/shared/sandbox.ts';
import type { SupplierProtocol } from '../subgraphs/supplier-registry.ts';
import { createRestSandbox } from '../sandboxes/rest/index.ts';
import { createSoapSandbox } from '../sandboxes/soap/index.ts';
import { createGraphqlSandbox } from '../sandboxes/graphql/index.ts';

/** The bundled sandbox that simulates each protocol's supplier, for first runs and tests. */
export async function startSandbox(protocol: SupplierProtocol, options: { port?: number; host?: string; webhookUrl?: string } = {}): Promise<SupplierSandbox> {
  switch (protocol) {
    case 'rest':
      return createRestSandbox(options);
    case 'soap':
      return createSoapSandbox(options);
    case 'graphql':
      return createGraphqlSandbox(options);
  }
}
