import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPHS, defaultSubgraphUrl, readSubgraphSdl } from './subgraphs.ts';

/**
 * Composes the supergraph from the subgraph SDL files. Subgraph URLs in the committed supergraph are the
 * one-machine defaults; operators override them at the gateway (SUBGRAPH_URL_<NAME>) or compose their own.
 */
export function composeSupergraph(): string {
  const result = composeServices(
    SUBGRAPHS.map((def) => ({ name: def.name, url: defaultSubgraphUrl(def), typeDefs: parse(readSubgraphSdl(def.name)) })),
  );
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}
