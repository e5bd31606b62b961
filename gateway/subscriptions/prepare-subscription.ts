import {
  GraphQLError,
  Kind,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  parse,
  print,
  validate,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import type { Principal } from '../../platform/auth/principal.ts';
import { persistedHashOf, type OperationPolicy } from '../auth/operation-policy.ts';
import type { SubscriptionEntry } from './subscription-manifest.ts';
import { CODE, type ErrorCode } from '../../kernel/errors.ts';

export interface SubscribePayload {
  readonly query: string;
  readonly operationName?: string | null | undefined;
  readonly variables?: Readonly<Record<string, unknown>> | null | undefined;
  /** `persistedQuery.sha256Hash` for the safelist, as over HTTP. */
  readonly extensions?: Readonly<Record<string, unknown>> | null | undefined;
}

/** A checked subscription, with what the fan-out needs to share work between subscribers. */
export interface PreparedSubscription {
  /** The root field, and its manifest entry (topic, filters, entity, snapshot). */
  readonly field: string;
  readonly entry: SubscriptionEntry;
  /**
   * The entity keys it watches (the manifest's `snapshot.watch` argument: listed SKUs, one order), empty when none;
   * with `snapshot` true and something watched, the current state of each is sent first.
   */
  readonly watched: readonly string[];
  readonly snapshot: boolean;
  /** Response key of the root field (its alias, or its name). */
  readonly responseKey: string;
  /** Coerced arguments of the root field (filters). */
  readonly args: Readonly<Record<string, unknown>>;
  readonly document: DocumentNode;
  readonly operationName: string | undefined;
  readonly variables: Readonly<Record<string, unknown>>;
  /**
   * The query that resolves the entity selections (`$__key` is the event's SKU or order id), or null when the
   * subscriber selected no entity field. Variables it uses are in `resolutionVariables`.
   */
  readonly resolutionQuery: string | null;
  readonly resolutionVariables: Readonly<Record<string, unknown>>;
  /** Subscribers with equal keys (and the same visibility, see visibilityOf) get identical results per event. */
  readonly resolutionKey: string;
  readonly formatKey: string;
}

export interface PrepareOptions {
  readonly schema: GraphQLSchema;
  /** The gateway's one operation policy (gateway/auth/operation-policy.ts), shared with HTTP. */
  readonly policy: OperationPolicy;
  /** Parser token limit (bounds parsing and validation). */
  readonly maxTokens: number;
  /** The subscriptions served, by root field, from the subgraphs' manifests (subscription-manifest.ts). */
  readonly entries: ReadonlyMap<string, SubscriptionEntry>;
}

/** A policy refusal as a graphql-ws error: `extensions.http` (status, headers) means something only to HTTP. */
const overWebSocket = (error: GraphQLError): GraphQLError => {
  const { http: _http, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { extensions });
};

const ID_NON_NULL = { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } } as const;

const fail = (message: string, code: ErrorCode): GraphQLError[] => [new GraphQLError(message, { extensions: { code } })];

/** JSON with sorted keys, so equal variables give equal keys. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What decides what a principal may see in a resolved entity: tenant, scopes and supplier restriction. */
export const visibilityOf = (p: Principal): string =>
  `${p.tenant}|${[...p.scopes].sort().join(',')}|${p.suppliers === undefined ? '*' : [...p.suppliers].sort().join(',')}`;

/** Every selection set gets `__typename`, so abstract types (Offer) can be told apart when the result is re-shaped. */
const withTypenames = (selectionSet: SelectionSetNode): SelectionSetNode =>
  visit(selectionSet, {
    SelectionSet: (node) =>
      node.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename' && s.alias === undefined)
        ? undefined
        : { ...node, selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }, ...node.selections] },
  });

/** The entity field occurrences under the payload type, through inline fragments and fragment spreads. */
function entityFields(selectionSet: SelectionSetNode, name: string, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen = new Set<string>()): FieldNode[] {
  const found: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === name) found.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      found.push(...entityFields(selection.selectionSet, name, fragments, seen));
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) found.push(...entityFields(fragment.selectionSet, name, fragments, seen));
    }
  }
  return found;
}

/** Fragment definitions and variable names a set of nodes uses, transitively. */
function usedBy(nodes: readonly FieldNode[], fragments: ReadonlyMap<string, FragmentDefinitionNode>): { fragments: FragmentDefinitionNode[]; variables: Set<string> } {
  const used = new Map<string, FragmentDefinitionNode>();
  const variables = new Set<string>();
  const walk = (node: FieldNode | FragmentDefinitionNode) =>
    visit(node, {
      Variable: (v) => void variables.add(v.name.value),
      FragmentSpread: (spread) => {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !used.has(fragment.name.value)) {
          used.set(fragment.name.value, fragment);
          walk(fragment);
        }
      },
    });
  nodes.forEach(walk);
  return { fragments: [...used.values()], variables };
}

/**
 * Checks a subscribe message as the gateway checks an HTTP operation (parse within the token limit, validation
 * against the supergraph API schema, depth / aliases / cost limits, introspection for admins only, `@scopes` of
 * every selected field) and works out how its events are resolved: the selection under the entity field becomes a
 * query through the gateway itself. Returns the errors the client receives instead, when it is refused.
 */
export function prepareSubscription(payload: SubscribePayload, principal: Principal, options: PrepareOptions): PreparedSubscription | GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(payload.query, { maxTokens: options.maxTokens });
  } catch (error) {
    return [error instanceof GraphQLError ? error : new GraphQLError('Invalid query')];
  }
  const invalid = validate(options.schema, document);
  if (invalid.length > 0) return [...invalid];
  const operation: OperationDefinitionNode | null | undefined = getOperationAST(document, payload.operationName ?? undefined);
  if (!operation) return fail('Unable to identify the operation', CODE.BAD_USER_INPUT);
  if (operation.operation !== 'subscription') return fail('Only subscriptions are served over WebSocket; send queries and mutations over HTTP', CODE.BAD_USER_INPUT);
  const inputs = payload.variables ?? {};
  // The one operation policy, as over HTTP: variables size, safelist, introspection, limits, scopes; refusals of a
  // credential holder audited.
  const refused = options.policy({
    schema: options.schema,
    document,
    operationName: payload.operationName ?? operation.name?.value,
    query: payload.query,
    hash: persistedHashOf(payload.extensions),
    variables: inputs,
    principal,
    transport: 'ws',
  });
  if (refused !== null) return [overWebSocket(refused)];
  const coerced = getVariableValues(options.schema, operation.variableDefinitions ?? [], inputs);
  if (coerced.errors) return [...coerced.errors];

  // Validation already holds a subscription to exactly one root field; we ask for it written out, not in a fragment.
  const root = operation.selectionSet.selections[0];
  if (root?.kind !== Kind.FIELD) return fail('Select the subscription field directly (not through a fragment)', CODE.BAD_USER_INPUT);
  const field = root.name.value;
  const entry = options.entries.get(field);
  // A field in the schema that no manifest describes has no topic: nothing would ever be sent.
  if (entry === undefined) return fail(`Subscription.${field} is not served (no subscription manifest describes it)`, CODE.BAD_USER_INPUT);
  const spec = { entityField: entry.entity.field, keyArgument: entry.entity.keyArgument };
  const fieldDef = options.schema.getSubscriptionType()!.getFields()[field]!;
  const variables = coerced.coerced;
  const args = getArgumentValues(fieldDef, root, variables);
  const watchedArg = entry.snapshot === undefined ? undefined : args[entry.snapshot.watch];
  const watched = Array.isArray(watchedArg) ? watchedArg.map(String) : typeof watchedArg === 'string' ? [watchedArg] : [];
  const snapshot = entry.snapshot !== undefined && args[entry.snapshot.argument] === true && watched.length > 0;

  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const occurrences = root.selectionSet ? entityFields(root.selectionSet, spec.entityField, fragments) : [];
  let resolutionQuery: string | null = null;
  const resolutionVariables: Record<string, unknown> = {};
  if (occurrences.length > 0) {
    const fields: FieldNode[] = occurrences.map((node) => ({
      kind: Kind.FIELD,
      alias: { kind: Kind.NAME, value: node.alias?.value ?? node.name.value },
      name: node.name,
      arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: spec.keyArgument }, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: '__key' } } }],
      directives: node.directives ?? [],
      ...(node.selectionSet ? { selectionSet: withTypenames(node.selectionSet) } : {}),
    }));
    const used = usedBy(fields, fragments);
    const variableDefinitions: VariableDefinitionNode[] = (operation.variableDefinitions ?? []).filter((d) => used.variables.has(d.variable.name.value));
    for (const d of variableDefinitions) resolutionVariables[d.variable.name.value] = variables[d.variable.name.value];
    const query: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [
        {
          kind: Kind.OPERATION_DEFINITION,
          operation: 'query' as never,
          name: { kind: Kind.NAME, value: 'SubscriptionEntity' },
          variableDefinitions: [
            { kind: Kind.VARIABLE_DEFINITION, variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: '__key' } }, type: ID_NON_NULL },
            ...variableDefinitions,
          ],
          selectionSet: { kind: Kind.SELECTION_SET, selections: fields },
        },
        ...used.fragments.map((f) => ({ ...f, selectionSet: withTypenames(f.selectionSet) })),
      ],
    };
    resolutionQuery = print(query);
  }
  const resolutionKey = `${field}\n${resolutionQuery ?? ''}\n${stableJson(resolutionVariables)}`;
  return {
    field,
    entry,
    watched,
    snapshot,
    responseKey: root.alias?.value ?? field,
    args,
    document,
    operationName: operation.name?.value,
    variables,
    resolutionQuery,
    resolutionVariables,
    resolutionKey,
    formatKey: `${resolutionKey}\n${print(document)}\n${operation.name?.value ?? ''}\n${stableJson(variables)}`,
  };
}
