import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUPPLIERS, type SupplierDescriptor } from '../platform/supplier-registry.ts';
import { defaultSubgraphUrl, readSubgraphSdl, subgraphsOf } from './subgraphs.ts';

/**
 * Composes the supergraph of a suppliers file (the process's by default) from the subgraph SDL. Subgraph URLs in
 * the committed supergraph are the one-machine defaults; operators override them at the gateway
 * (SUBGRAPH_URL_<NAME>) or compose their own.
 */
export function composeSupergraph(suppliers: readonly SupplierDescriptor[] = SUPPLIERS): string {
  const result = composeServices(
    subgraphsOf(suppliers).map((def) => ({ name: def.name, url: defaultSubgraphUrl(def), typeDefs: parse(readSubgraphSdl(def.name, suppliers)) })),
  );
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}
