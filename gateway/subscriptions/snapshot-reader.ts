import { Kind, parse, print, visit, type DocumentNode, type FieldNode, type OperationDefinitionNode, type VariableDefinitionNode } from 'graphql';
import type { Principal } from '../../platform/auth/principal.ts';
import type { SnapshotSpec } from './subscription-manifest.ts';
import type { GatewayExecutor } from './subscription-hub.ts';

/**
 * The manifest's snapshot query for several watched keys in one read: its one root field repeated under an alias
 * per key (`s0`, `s1`, …), `$key` renamed per copy, so a subscription watching 50 SKUs costs one gateway execution
 * (one plan, one fetch per subgraph), not 50. Built once per (query, count).
 */
const batched = new Map<string, string>();

function batchedQuery(query: string, count: number): string {
  const cacheKey = `${count}\n${query}`;
  const found = batched.get(cacheKey);
  if (found !== undefined) return found;
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const root = operation?.selectionSet.selections[0];
  if (operation === undefined || operation.selectionSet.selections.length !== 1 || root?.kind !== Kind.FIELD) {
    throw new Error('a snapshot query selects exactly one root field');
  }
  const keyDefinition = operation.variableDefinitions?.find((d) => d.variable.name.value === 'key');
  if (keyDefinition === undefined) throw new Error('a snapshot query declares $key');
  const copies: FieldNode[] = [];
  for (let i = 0; i < count; i += 1) {
    const renamed = visit(root, { Variable: (v) => (v.name.value === 'key' ? { ...v, name: { kind: Kind.NAME, value: `key${i}` } } : undefined) });
    copies.push({ ...renamed, alias: { kind: Kind.NAME, value: `s${i}` } });
  }
  const out: DocumentNode = {
    ...document,
    definitions: [
      {
        ...operation,
        variableDefinitions: [
          ...(operation.variableDefinitions ?? []).filter((d) => d !== keyDefinition),
          ...copies.map((_, i): VariableDefinitionNode => ({ ...keyDefinition, variable: { ...keyDefinition.variable, name: { kind: Kind.NAME, value: `key${i}` } } })),
        ],
        selectionSet: { ...operation.selectionSet, selections: copies },
      },
    ],
  };
  const text = print(out);
  if (batched.size > 256) batched.clear(); // bounded: counts are per subscription's watched keys
  batched.set(cacheKey, text);
  return text;
}

/** The gateway could not read the current state (an error for a watched key, or no data): worth another try. */
export class SnapshotReadError extends Error {
  override readonly name = 'SnapshotReadError';
  constructor(
    message: string,
    /** The GraphQL error's `extensions.code`, for the operator log. */
    readonly code: unknown,
  ) {
    super(message);
  }
}

/**
 * The current state of each watched key, as the manifest's snapshot says: one read through the gateway as the
 * subscriber (with the manifest's extra scopes for this read alone), each row mapped into an event payload.
 */
export async function readSnapshotState(
  execute: GatewayExecutor,
  spec: SnapshotSpec,
  keys: readonly string[],
  principal: Principal,
): Promise<{ key: string; payloads: Record<string, unknown>[] }[]> {
  if (keys.length === 0) return [];
  const scopes = [...new Set([...principal.scopes, ...spec.extraScopes])] as Principal['scopes'];
  const variables = Object.fromEntries(keys.map((key, i) => [`key${i}`, key]));
  const result = await execute(batchedQuery(spec.query, keys.length), variables, { ...principal, scopes });
  const data = (result.data ?? {}) as Record<string, unknown>;
  // A key whose read failed is not "nothing to report": an empty snapshot would silently leave the subscriber
  // without the current state. An error at a key's alias, or one without a path (the whole read), fails the read.
  const failed = (result.errors ?? []).filter((e) => e.path === undefined || e.path.length === 0 || keys.some((_, i) => e.path![0] === `s${i}`));
  if (failed.length > 0 || result.data === undefined || result.data === null) {
    const first = failed[0] ?? result.errors?.[0];
    throw new SnapshotReadError(`snapshot read failed: ${first?.message ?? 'no data'}`, first?.extensions?.['code']);
  }
  return keys.map((key, i) => {
    // `rows` starts at the root field, whose place the alias takes.
    let node: unknown = data[`s${i}`];
    for (const step of spec.rows.slice(1)) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[step] : undefined;
    const rows = (node == null ? [] : Array.isArray(node) ? node : [node]) as Record<string, unknown>[];
    const payloads = rows.map((row) =>
      Object.fromEntries(Object.entries(spec.payload).map(([name, v]) => [name, 'key' in v ? key : 'row' in v ? (row[v.row] ?? null) : v.const])),
    );
    return { key, payloads };
  });
}
