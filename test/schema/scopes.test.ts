/**
 * The `@scopes` declarations (docs/security.md): composed into the supergraph the gateway enforces, complete on
 * every root field, and made of known scopes only. A new root field without a declaration fails here, not in
 * production (where it would be admin-only).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SUPERGRAPH_PATH } from '../../gateway/supergraph.ts';
import { isKnownScope } from '../../platform/auth/principal.ts';
import { readScopeDeclarations, SCOPES_SPEC_URL } from '../../platform/auth/scope-declarations.ts';
import { SUBGRAPHS, readSubgraphSdl } from '../../schema/subgraphs.ts';

const supergraphSdl = readFileSync(DEFAULT_SUPERGRAPH_PATH, 'utf8');
const supergraph = parse(supergraphSdl);
const declared = readScopeDeclarations(supergraph);

const rootFields = (typeName: string): string[] =>
  supergraph.definitions.flatMap((d) => ('name' in d && d.name?.value === typeName && 'fields' in d ? (d.fields ?? []).map((f) => `${typeName}.${f.name.value}`) : []));

describe('@scopes in the supergraph', () => {
  it('is carried into schema/supergraph.graphql by @composeDirective', () => {
    expect(supergraphSdl).toContain(`@link(url: "${SCOPES_SPEC_URL}", import: ["@scopes"])`);
    expect(supergraphSdl).toMatch(/directive @scopes\(require: \[String!\]!\) on FIELD_DEFINITION \| OBJECT \| INTERFACE/);
  });

  it('declares scopes on every root field', () => {
    const roots = [...rootFields('Query'), ...rootFields('Mutation')];
    expect(roots.length).toBeGreaterThan(10);
    expect(roots.filter((f) => !declared.fields.has(f))).toEqual([]);
  });

  it('never lets a read scope alone call a mutation', () => {
    const readOnly = rootFields('Mutation').filter((f) => {
      const scopes = declared.fields.get(f) ?? [];
      return scopes.length === 0 || scopes.every((s) => s.endsWith(':read'));
    });
    expect(readOnly).toEqual([]);
  });

  it('uses known scopes only', () => {
    const all = [...declared.fields.values(), ...declared.types.values()].flat();
    expect(all.filter((s) => !isKnownScope(s))).toEqual([]);
  });

  it('holds every declaration of every subgraph (nothing lost in composition)', () => {
    for (const subgraph of SUBGRAPHS) {
      const own = readScopeDeclarations(parse(readSubgraphSdl(subgraph.name)));
      for (const [field, scopes] of own.fields) expect(declared.fields.get(field), `${subgraph.name}: ${field}`).toEqual(expect.arrayContaining([...scopes]));
      for (const [type, scopes] of own.types) expect(declared.types.get(type), `${subgraph.name}: ${type}`).toEqual(expect.arrayContaining([...scopes]));
    }
  });

  it('protects tenant data at the type: Order, and every supplier\'s offer and status types', () => {
    expect(declared.types.get('Order')).toEqual(['orders:read']);
    for (const type of ['BrightlineOffer', 'HarborpromoOffer', 'MaplecartOffer', 'BrightlineStatus']) expect(declared.types.get(type), type).toEqual(['inventory:read']);
  });
});
