/**
 * The subgraphs of the supergraph and how their SDL is assembled. The supplier subgraphs and the inventory
 * subgraph's offer stubs are generated from the supplier registry (see schema/generate.ts), so adding a
 * supplier adds one subgraph and one stub and nothing else changes by hand.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SUPPLIERS } from '../subgraphs/supplier-registry.ts';

export const SCHEMA_DIR = fileURLToPath(new URL('.', import.meta.url));

export interface SubgraphDefinition {
  readonly name: string;
  /** Files under schema/, concatenated in order. */
  readonly files: readonly string[];
  readonly defaultPort: number;
}

export const SUBGRAPHS: readonly SubgraphDefinition[] = [
  { name: 'catalog', files: ['catalog.graphql'], defaultPort: 4101 },
  { name: 'inventory', files: ['inventory.graphql', 'inventory-sync.graphql', 'generated/inventory-offer-stubs.graphql', 'stock-subscriptions.graphql'], defaultPort: 4102 },
  { name: 'orders', files: ['orders.graphql', 'order-subscriptions.graphql'], defaultPort: 4103 },
  { name: 'access', files: ['access.graphql'], defaultPort: 4104 },
  ...SUPPLIERS.map((s) => ({ name: `supplier-${s.slug}`, files: [`generated/supplier-${s.slug}.graphql`], defaultPort: s.defaultPort })),
];

export const subgraphByName = (name: string): SubgraphDefinition => {
  const found = SUBGRAPHS.find((s) => s.name === name);
  if (!found) throw new Error(`unknown subgraph ${name}`);
  return found;
};

/** Read first into every subgraph's SDL: the `@scopes` directive every subgraph declares access with (docs/security.md). */
export const SHARED_SCHEMA_FILES: readonly string[] = ['scopes.graphql'];

export function readSubgraphSdl(name: string): string {
  return [...SHARED_SCHEMA_FILES, ...subgraphByName(name).files]
    .map((file) => readFileSync(`${SCHEMA_DIR}${file}`, 'utf8'))
    .join('\n');
}

export const defaultSubgraphUrl = (def: SubgraphDefinition): string => `http://localhost:${def.defaultPort}/graphql`;
