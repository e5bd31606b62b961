import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeSupergraph } from '../../schema/compose.ts';
import { generatedSchemaFiles } from '../../schema/generate.ts';
import { SCHEMA_DIR } from '../../schema/subgraphs.ts';
import { SUPPLIERS } from '../../platform/supplier-registry.ts';

describe('committed schema files', () => {
  it('match what the supplier registry generates', () => {
    for (const [relative, content] of generatedSchemaFiles()) {
      expect(readFileSync(`${SCHEMA_DIR}${relative}`, 'utf8'), `schema/${relative} is stale: run npm run compose`).toBe(content);
    }
  });

  it('schema/supergraph.graphql is the composition of the subgraph SDL', () => {
    expect(readFileSync(`${SCHEMA_DIR}supergraph.graphql`, 'utf8'), 'supergraph is stale: run npm run compose').toBe(composeSupergraph());
  });

  it('routes each supplier offer type to its own supplier subgraph', () => {
    const supergraph = composeSupergraph();
    for (const s of SUPPLIERS) {
      const graph = `SUPPLIER_${s.slug.toUpperCase()}`;
      expect(supergraph).toContain(`@join__type(graph: ${graph}, key: "id")`);
      expect(supergraph).toContain(`@join__type(graph: INVENTORY, key: "id", resolvable: false)`);
      expect(supergraph).toMatch(new RegExp(`type ${s.offerType} implements Offer[\\s\\S]*?@join__implements\\(graph: ${graph}, interface: "Offer"\\)`));
    }
  });
});
