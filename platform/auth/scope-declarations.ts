import { Kind, type ConstDirectiveNode, type DocumentNode, type GraphQLSchema, type ValueNode, isInterfaceType, isObjectType } from 'graphql';

/**
 * The `@scopes` declarations of a schema: which scopes each type and field requires (docs/security.md). Read from
 * SDL by the gateway (the supergraph file, where `@composeDirective` carried them) and from each subgraph's own
 * schema, so both layers enforce the same declarations.
 */
export const SCOPES_SPEC_URL = 'https://dropship.example/scopes/v1.0';

export interface ScopeIndex {
  /** Type-level requirements, by type name: every field of the type requires them. */
  readonly types: ReadonlyMap<string, readonly string[]>;
  /** Field-level requirements, by `Type.field`. An empty list means "any authenticated caller". */
  readonly fields: ReadonlyMap<string, readonly string[]>;
}

/** What a field requires: its own declaration plus its type's. Undefined when neither declares anything. */
export function requiredScopes(index: ScopeIndex, typeName: string, fieldName: string): readonly string[] | undefined {
  const onField = index.fields.get(`${typeName}.${fieldName}`);
  const onType = index.types.get(typeName);
  if (onField === undefined && onType === undefined) return undefined;
  return [...new Set([...(onType ?? []), ...(onField ?? [])])];
}

/** The local name of the directive: `@link(url: <spec>, import: ["@scopes"])` or `{ name: "@scopes", as: "@x" }`. */
function directiveName(document: DocumentNode): string {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const args = new Map(link.arguments?.map((a) => [a.name.value, a.value]) ?? []);
      const url = args.get('url');
      if (url?.kind !== Kind.STRING || !url.value.startsWith(SCOPES_SPEC_URL.replace(/\/v[\d.]+$/, '/'))) continue;
      const imports = args.get('import');
      if (imports?.kind !== Kind.LIST) continue;
      for (const entry of imports.values) {
        if (entry.kind === Kind.OBJECT) {
          const name = entry.fields.find((f) => f.name.value === 'name')?.value;
          const as = entry.fields.find((f) => f.name.value === 'as')?.value;
          if (name?.kind === Kind.STRING && name.value === '@scopes' && as?.kind === Kind.STRING) return as.value.replace(/^@/, '');
        }
      }
    }
  }
  return 'scopes';
}

function stringList(value: ValueNode | undefined): string[] {
  if (value === undefined) return [];
  if (value.kind === Kind.STRING) return [value.value];
  if (value.kind === Kind.LIST) return value.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []));
  return [];
}

function declared(directives: readonly ConstDirectiveNode[] | undefined, name: string): string[] | undefined {
  const found = directives?.filter((d) => d.name.value === name) ?? [];
  if (found.length === 0) return undefined;
  return [...new Set(found.flatMap((d) => stringList(d.arguments?.find((a) => a.name.value === 'require')?.value)))];
}

function add(map: Map<string, string[]>, key: string, scopes: readonly string[]): void {
  map.set(key, [...new Set([...(map.get(key) ?? []), ...scopes])]);
}

/** Reads every `@scopes` application of an SDL document (object and interface types, their fields, extensions). */
export function readScopeDeclarations(document: DocumentNode): ScopeIndex {
  const name = directiveName(document);
  const types = new Map<string, string[]>();
  const fields = new Map<string, string[]>();
  for (const definition of document.definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION: {
        const typeName = definition.name.value;
        const onType = declared(definition.directives, name);
        if (onType) add(types, typeName, onType);
        for (const field of definition.fields ?? []) {
          const onField = declared(field.directives, name);
          if (onField) add(fields, `${typeName}.${field.name.value}`, onField);
        }
        break;
      }
      default:
        break;
    }
  }
  return { types, fields };
}

/** The same, from a built schema's AST nodes (a subgraph schema from buildSubgraphSchema keeps them). */
export function readSchemaScopeDeclarations(schema: GraphQLSchema): ScopeIndex {
  const definitions = Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) || isInterfaceType(type))
    .flatMap((type) => [type.astNode, ...type.extensionASTNodes].filter((node) => node != null));
  const schemaNodes = [schema.astNode, ...schema.extensionASTNodes].filter((node) => node != null);
  return readScopeDeclarations({ kind: Kind.DOCUMENT, definitions: [...schemaNodes, ...definitions] } as DocumentNode);
}
