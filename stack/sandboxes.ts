import type { SupplierEntry } from '../platform/suppliers-file.ts';
import type { SandboxOptions, SupplierSandbox } from '../sandboxes/shared/sandbox.ts';
import type { SupplierProtocol } from '../platform/supplier-registry.ts';
import { createRestSandbox } from '../sandboxes/rest/index.ts';
import { createSoapSandbox } from '../sandboxes/soap/index.ts';
import { createGraphqlSandbox } from '../sandboxes/graphql/index.ts';
import { familyOf } from './families/index.ts';

/** The bundled sandbox that simulates each protocol's supplier, for first runs and tests. */
export interface StartSandboxOptions extends SandboxOptions {
  /** The GraphQL supplier's cost bucket (its published limit); ignored by the others. */
  readonly costBudget?: { readonly maximumAvailable: number; readonly restoreRate: number };
}

/** A suppliers-file entry's bundled sandbox, with the entry's own sandbox options (credentials, paths, catalog). */
export function startSandboxFor(entry: SupplierEntry, options: StartSandboxOptions = {}): Promise<SupplierSandbox> {
  return familyOf(entry.family).startSandbox(entry, options);
}

/** A protocol's sandbox with its defaults (tests that need one supplier simulator without a suppliers file). */
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
