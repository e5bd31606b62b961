import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isAbstractType,
  isInterfaceType,
  isListType,
  isObjectType,
  isUnionType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLInterfaceType,
  type GraphQLSchema,
  type GraphQLUnionType,
  type DirectiveNode,
  type SelectionSetNode,
} from 'graphql';
import { requiredScopes, type ScopeIndex } from '../../platform/auth/scope-declarations.ts';

/**
 * One walk over a validated operation, as it will execute (variables applied to @skip/@include and arguments,
 * fragments expanded, fields with the same response key merged the way graphql-js merges them), collecting what the
 * gateway checks before planning: scopes, depth, aliases, root fields, an estimated cost, introspection.
 */
export interface AnalysisInput {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operationName?: string | null | undefined;
  readonly variables?: Readonly<Record<string, unknown>> | undefined;
  readonly scopes: ScopeIndex;
  /** Items assumed for a list field without `first`/`last` and without a declared size. */
  readonly defaultListSize: number;
  /** Sizes the schema declares for list fields (`@listSize`, list-sizes.ts), by `Type.field`. */
  readonly listSizes?: ReadonlyMap<string, number> | undefined;
  /** The walk stops (cost = Infinity) after this many field visits: fragments can multiply work. */
  readonly maxVisits: number;
}

export interface OperationFacts {
  readonly depth: number;
  readonly aliases: number;
  readonly rootFields: number;
  /** Σ over fields of the number of times each would resolve; Infinity when the walk was cut short. */
  readonly cost: number;
  readonly introspection: boolean;
  /** Scope → the fields (`Type.field`) that need it. */
  readonly required: ReadonlyMap<string, ReadonlySet<string>>;
  /** Root fields whose subgraph declared no scopes: only admins may call them (fail closed). */
  readonly undeclaredRootFields: readonly string[];
}

type Parent = GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType;
interface Group {
  readonly parent: Parent;
  readonly name: string;
  readonly nodes: FieldNode[];
}

const SIZE_ARGS = ['first', 'last'] as const;

export function analyzeOperation(input: AnalysisInput): OperationFacts {
  const operation = getOperationAST(input.document, input.operationName ?? undefined);
  if (!operation) throw new Error('no operation to analyze');
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of input.document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const coerced = getVariableValues(input.schema, operation.variableDefinitions ?? [], { ...(input.variables ?? {}) });
  const variables: Record<string, unknown> = coerced.coerced ?? { ...(input.variables ?? {}) };
  const root = input.schema.getRootType(operation.operation);
  if (!root) throw new Error(`schema has no ${operation.operation} type`);
  const roots = new Set([input.schema.getQueryType(), input.schema.getMutationType(), input.schema.getSubscriptionType()].filter((t) => t != null));

  let depth = 0;
  let aliases = 0;
  let cost = 0;
  let visits = 0;
  let cut = false;
  let introspection = false;
  const required = new Map<string, Set<string>>();
  const undeclared: string[] = [];

  const included = (node: { directives?: readonly DirectiveNode[] | undefined }): boolean => {
    if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.['if'] === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.['if'] !== false;
  };

  /** Fields of the selection sets, grouped by (type they are selected on, response key) like graphql-js collectFields. */
  function collect(parent: Parent, sets: readonly SelectionSetNode[]): Map<string, Group> {
    const groups = new Map<string, Group>();
    const seenFragments = new Set<string>();
    const walk = (on: Parent, set: SelectionSetNode): void => {
      for (const selection of set.selections) {
        if (!included(selection)) continue;
        if (selection.kind === Kind.FIELD) {
          const key = `${on.name}\u0000${selection.alias?.value ?? selection.name.value}`;
          const group = groups.get(key) ?? { parent: on, name: selection.name.value, nodes: [] };
          group.nodes.push(selection);
          groups.set(key, group);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          walk(narrow(on, selection.typeCondition?.name.value), selection.selectionSet);
        } else {
          if (seenFragments.has(selection.name.value)) continue;
          seenFragments.add(selection.name.value);
          const fragment = fragments.get(selection.name.value);
          if (fragment) walk(narrow(on, fragment.typeCondition.name.value), fragment.selectionSet);
        }
      }
    };
    for (const set of sets) walk(parent, set);
    return groups;
  }

  const narrow = (on: Parent, typeName: string | undefined): Parent => {
    if (typeName === undefined) return on;
    const type = input.schema.getType(typeName);
    return isObjectType(type) || isAbstractType(type) ? type : on;
  };

  function requireFor(parent: Parent, field: string): void {
    const candidates: GraphQLNamedType[] = [parent, ...(isAbstractType(parent) ? input.schema.getPossibleTypes(parent) : [])];
    let declared = false;
    for (const type of candidates) {
      const scopes = requiredScopes(input.scopes, type.name, field);
      if (scopes === undefined) continue;
      declared = true;
      for (const scope of scopes) {
        const fields = required.get(scope) ?? new Set<string>();
        fields.add(`${parent.name}.${field}`);
        required.set(scope, fields);
      }
    }
    if (!declared && roots.has(parent as GraphQLObjectType)) undeclared.push(`${parent.name}.${field}`);
  }

  function sizeOf(def: GraphQLField<unknown, unknown>, node: FieldNode): number | undefined {
    if (!def.args.some((a) => (SIZE_ARGS as readonly string[]).includes(a.name))) return undefined;
    try {
      const args = getArgumentValues(def, node, variables);
      for (const name of SIZE_ARGS) if (typeof args[name] === 'number') return Math.max(0, args[name] as number);
    } catch {
      // Invalid arguments fail at execution with their own error; estimate with the default.
    }
    return undefined;
  }

  /** The size declared on the field, on the type it was selected on or on an interface that type implements. */
  function declaredSize(on: Parent, field: string): number | undefined {
    if (input.listSizes === undefined || input.listSizes.size === 0) return undefined;
    const own = input.listSizes.get(`${on.name}.${field}`);
    if (own !== undefined || isUnionType(on)) return own;
    for (const iface of on.getInterfaces()) {
      const inherited = input.listSizes.get(`${iface.name}.${field}`);
      if (inherited !== undefined) return inherited;
    }
    return undefined;
  }

  function visit(parent: Parent, sets: readonly SelectionSetNode[], level: number, multiplier: number, pendingSize: number | undefined): void {
    for (const group of collect(parent, sets).values()) {
      if (cut) return;
      if ((visits += 1) > input.maxVisits) {
        cut = true;
        return;
      }
      aliases += group.nodes.filter((n) => n.alias !== undefined && n.alias.value !== n.name.value).length;
      if (group.name === '__typename') continue;
      if (group.name === '__schema' || group.name === '__type') {
        // Bounded by the schema's size, and only admins may introspect: neither depth nor cost is counted.
        introspection = true;
        continue;
      }
      depth = Math.max(depth, level);
      cost += multiplier;
      // The type the field was selected on (an inline fragment's, not the enclosing one).
      const on = group.parent;
      requireFor(on, group.name);
      const def = isUnionType(on) ? undefined : on.getFields()[group.name];
      if (!def) continue;
      const named = getNamedType(def.type);
      const childSets = group.nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
      if (childSets.length === 0 || !(isObjectType(named) || isAbstractType(named))) continue;
      const ownSize = sizeOf(def, group.nodes[0]!);
      const isList = isListType(getNullableType(def.type));
      // A connection's `first` sizes the list below it (`productPage(first: 50) { nodes { … } }`).
      const factor = isList ? (ownSize ?? pendingSize ?? declaredSize(on, group.name) ?? input.defaultListSize) : 1;
      const nextPending = isList ? undefined : (ownSize ?? pendingSize);
      visit(named, childSets, level + 1, multiplier * factor, nextPending);
    }
  }

  const rootGroups = collect(root, [operation.selectionSet]);
  visit(root, [operation.selectionSet], 1, 1, undefined);
  return {
    depth,
    aliases,
    rootFields: [...rootGroups.values()].filter((g) => g.name !== '__typename').length,
    cost: cut ? Infinity : cost,
    introspection,
    required,
    undeclaredRootFields: undeclared,
  };
}
