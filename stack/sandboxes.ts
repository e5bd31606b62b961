import type { SandboxOptions, SupplierSandbox } from '../sandboxes/shared/sandbox.ts';
import type { SupplierProtocol } from '../subgraphs/supplier-registry.ts';
import { createRestSandbox } from '../sandboxes/rest/index.ts';
import { createSoapSandbox } from '../sandboxes/soap/index.ts';
import { createGraphqlSandbox } from '../sandboxes/graphql/index.ts';

/** The bundled sandbox that simulates each protocol's supplier, for first runs and tests. */
export interface StartSandboxOptions extends SandboxOptions {
  /** The GraphQL supplier's cost bucket (its published limit); ignored by the others. */
  readonly costBudget?: { readonly maximumAvailable: number; readonly restoreRate: number };
}

export async function startSandbox(protocol: SupplierProtocol, options: StartSandboxOptions = {}): Promise<SupplierSandbox> {
  const { costBudget, ...common } = options;
  switch (protocol) {
    case 'rest':
      return createRestSandbox(common);
    case 'soap':
      return createSoapSandbox(common);
    case 'graphql':
      return createGraphqlSandbox({ ...common, ...(costBudget ? { costBudget } : {}) });
  }
}
