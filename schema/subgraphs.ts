/**
 * The subgraphs of the supergraph and how their SDL is assembled. The supplier subgraphs and the inventory
 * subgraph's offer stubs are generated from the suppliers file (see schema/generate.ts), so adding a supplier adds
 * one subgraph and one stub and nothing else changes by hand.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SUPPLIERS, type SupplierDescriptor } from '../platform/supplier-registry.ts';
import { generatedSchemaFiles } from './generate.ts';

export const SCHEMA_DIR = fileURLToPath(new URL('.', import.meta.url));

export interface SubgraphDefinition {
  readonly name: string;
  /** Files under schema/, concatenated in order; `generated/…` files are generated from the suppliers. */
  readonly files: readonly string[];
  readonly defaultPort: number;
}

/** Every subgraph of a suppliers file (the process's by default). */
export function subgraphsOf(suppliers: readonly SupplierDescriptor[] = SUPPLIERS): readonly SubgraphDefinition[] {
  return [
    { name: 'catalog', files: ['catalog.graphql'], defaultPort: 4101 },
    { name: 'inventory', files: ['inventory.graphql', 'inventory-sync.graphql', 'generated/inventory-offer-stubs.graphql', 'stock-subscriptions.graphql', 'pricing.graphql'], defaultPort: 4102 },
    { name: 'orders', files: ['orders.graphql', 'order-subscriptions.graphql'], defaultPort: 4103 },
    { name: 'access', files: ['access.graphql'], defaultPort: 4104 },
    ...suppliers.map((s) => ({ name: `supplier-${s.slug}`, files: [`generated/supplier-${s.slug}.graphql`], defaultPort: s.defaultPort })),
  ];
}

/** The subgraphs of the committed demo suppliers file (schema/supergraph.graphql). */
export const SUBGRAPHS: readonly SubgraphDefinition[] = subgraphsOf();

export const subgraphByName = (name: string, suppliers: readonly SupplierDescriptor[] = SUPPLIERS): SubgraphDefinition => {
  const found = subgraphsOf(suppliers).find((s) => s.name === name);
  if (!found) throw new Error(`unknown subgraph ${name}`);
  return found;
};

/** Read first into every subgraph's SDL: the `@scopes` directive every subgraph declares access with (docs/security.md). */
export const SHARED_SCHEMA_FILES: readonly string[] = ['scopes.graphql'];

/**
 * A subgraph's SDL. Generated parts come from the suppliers in memory (identical to the committed files for the
 * demo file: `npm run compose -- --check`), so a process on another suppliers file serves that file's subgraphs.
 */
export function readSubgraphSdl(name: string, suppliers: readonly SupplierDescriptor[] = SUPPLIERS): string {
  const generated = generatedSchemaFiles(suppliers);
  return [...SHARED_SCHEMA_FILES, ...subgraphByName(name, suppliers).files]
    .map((file) => generated.get(file) ?? readFileSync(`${SCHEMA_DIR}${file}`, 'utf8'))
    .join('\n');
}

export const defaultSubgraphUrl = (def: SubgraphDefinition): string => `http://localhost:${def.defaultPort}/graphql`;
