/**
 * The partner-facing client schema (`npm run client-schema`): the supergraph's API schema without what only
 * operators may use (fields and types whose `@scopes` require `admin`), as SDL for partners' tooling (codegen,
 * IDE), and Apollo Client's `possibleTypes` for it. Without `possibleTypes`, Apollo Client's cache cannot tell that
 * a `BrightlineOffer` is an `Offer`, so fragments on the interface (`... on Offer { stale asOf }`) are dropped from
 * cached results. Both are committed under schema/client/ and checked by scripts/check-generated.sh.
 */
import { ApolloGateway } from '@apollo/gateway';
import {
  Kind,
  buildASTSchema,
  isInterfaceType,
  isUnionType,
  parse,
  print,
  printSchema,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type GraphQLSchema,
  type TypeNode,
} from 'graphql';
import { readScopeDeclarations, requiredScopes, type ScopeIndex } from '../platform/auth/scope-declarations.ts';

/** Operators' scope: what requires it is left out of the partner-facing schema. */
export const OPERATOR_SCOPE = 'admin';

export interface ClientSchema {
  /** The partner-facing SDL. */
  readonly sdl: string;
  /** Apollo Client's `possibleTypes`: each interface and union of the SDL, with its object types, sorted. */
  readonly possibleTypes: Readonly<Record<string, readonly string[]>>;
}

/** The API schema of a supergraph, as the gateway serves it (join and link machinery removed). */
export async function apiSchemaOf(supergraphSdl: string): Promise<GraphQLSchema> {
  const gateway = new ApolloGateway({ supergraphSdl, logger: { debug() {}, info() {}, warn() {}, error() {} } });
  try {
    const { schema } = await gateway.load();
    return schema;
  } finally {
    await gateway.stop();
  }
}

const namedType = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type));
const ROOTS = ['Query', 'Mutation', 'Subscription'];

/** Drops operator-only fields and types, then every type no root reaches any more (fields typed by a dropped type go too). */
function partnerDocument(api: DocumentNode, scopes: ScopeIndex): DocumentNode {
  const operatorOnly = (typeName: string, field?: string): boolean =>
    (field === undefined ? scopes.types.get(typeName) : requiredScopes(scopes, typeName, field))?.includes(OPERATOR_SCOPE) ?? false;
  let definitions: DefinitionNode[] = api.definitions.filter((d) => !('name' in d && d.name !== undefined && operatorOnly(d.name.value)));
  for (;;) {
    const names = new Set(definitions.flatMap((d) => ('name' in d && d.name !== undefined ? [d.name.value] : [])));
    const BUILT_IN = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);
    const known = (type: TypeNode) => BUILT_IN.has(namedType(type)) || names.has(namedType(type));
    const keepField = (typeName: string, f: FieldDefinitionNode) => !operatorOnly(typeName, f.name.value) && known(f.type) && (f.arguments ?? []).every((a) => known(a.type));
    const trimmed = definitions
      .map((d) => (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION ? { ...d, fields: (d.fields ?? []).filter((f) => keepField(d.name.value, f)), interfaces: (d.interfaces ?? []).filter((i) => names.has(i.name.value)) } : d))
      .map((d) => (d.kind === Kind.UNION_TYPE_DEFINITION ? { ...d, types: (d.types ?? []).filter((t) => names.has(t.name.value)) } : d))
      .map((d) => (d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION ? { ...d, fields: (d.fields ?? []).filter((f) => known(f.type)) } : d))
      .filter((d) => !((d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION) && d.fields.length === 0))
      .filter((d) => !(d.kind === Kind.UNION_TYPE_DEFINITION && d.types.length === 0));
    // Reachable from the roots; an interface brings the object types that implement it (a client may receive them).
    const byName = new Map(trimmed.flatMap((d) => ('name' in d && d.name !== undefined ? [[d.name.value, d] as const] : [])));
    const reached = new Set<string>();
    const visit = (name: string): void => {
      if (reached.has(name) || !byName.has(name)) return;
      reached.add(name);
      const d = byName.get(name)!;
      if (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION) {
        for (const f of d.fields ?? []) [f.type, ...(f.arguments ?? []).map((a) => a.type)].forEach((t) => visit(namedType(t)));
        for (const i of d.interfaces ?? []) visit(i.name.value);
      }
      if (d.kind === Kind.INTERFACE_TYPE_DEFINITION) {
        for (const other of byName.values()) if (other.kind === Kind.OBJECT_TYPE_DEFINITION && (other.interfaces ?? []).some((i) => i.name.value === name)) visit(other.name.value);
      }
      if (d.kind === Kind.UNION_TYPE_DEFINITION) for (const t of d.types ?? []) visit(t.name.value);
      if (d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) for (const f of d.fields ?? []) visit(namedType(f.type));
    };
    ROOTS.forEach(visit);
    const next = trimmed.filter((d) => !('name' in d) || d.name === undefined || d.kind === Kind.DIRECTIVE_DEFINITION || reached.has(d.name.value));
    if (next.length === definitions.length && print({ kind: Kind.DOCUMENT, definitions: next }) === print({ kind: Kind.DOCUMENT, definitions })) return { kind: Kind.DOCUMENT, definitions: next };
    definitions = next;
  }
}

export function clientSchemaOf(supergraphSdl: string, apiSchema: GraphQLSchema): ClientSchema {
  const scopes = readScopeDeclarations(parse(supergraphSdl));
  const partner = buildASTSchema(partnerDocument(parse(printSchema(apiSchema)), scopes));
  const possibleTypes: Record<string, string[]> = {};
  for (const type of Object.values(partner.getTypeMap()).sort((a, b) => a.name.localeCompare(b.name))) {
    if (type.name.startsWith('__')) continue;
    if (isInterfaceType(type)) possibleTypes[type.name] = partner.getPossibleTypes(type).map((t) => t.name).sort();
    if (isUnionType(type)) possibleTypes[type.name] = type.getTypes().map((t) => t.name).sort();
  }
  return { sdl: `${printSchema(partner)}\n`, possibleTypes };
}
