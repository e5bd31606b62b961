import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, getNamedType, isObjectType, parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { z } from 'zod';

/**
 * Subscription manifests: what a subgraph that owns a subscription tells the gateway about it, as data — the root
 * field, the bus topic behind it, the event's wire shape, how arguments and the subscriber's credential filter
 * events, the entity resolved through the supergraph, and how the current state is read for `snapshot: true`.
 * The gateway holds no per-subscription code: it serves whatever the manifests describe (docs/subscriptions.md,
 * "Manifests"). Committed beside the owning subgraph's SDL, `schema/<name>.subscriptions.json`, and read offline
 * like the supergraph; checked against the served schema at start.
 */

const name = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/);

const eventField = z.strictObject({
  type: z.enum(['string', 'int']),
  /** Null or absent allowed (read as null). */
  nullable: z.boolean().default(false),
  /** Canonical values are lower case; the GraphQL enum is upper case. */
  upperCase: z.boolean().default(false),
});

/** How an event is kept or dropped for one subscriber; every filter of an entry must keep it. */
const filter = z.discriminatedUnion('kind', [
  /** The argument (a list) is absent or contains the event's field. */
  z.strictObject({ kind: z.literal('oneOf'), argument: name, field: name, snapshot: z.boolean().default(false) }),
  /** The argument is absent or equals the event's field. */
  z.strictObject({ kind: z.literal('equals'), argument: name, field: name, snapshot: z.boolean().default(false) }),
  /** |to - from| ≥ argument (a null `from` counts as 0). */
  z.strictObject({ kind: z.literal('minChange'), argument: name, from: name, to: name, snapshot: z.boolean().default(false) }),
  /** With the argument true: only changes into or out of zero (a null `from` counts as 0). */
  z.strictObject({ kind: z.literal('crossingZero'), argument: name, from: name, to: name, snapshot: z.boolean().default(false) }),
  /** The event's field is the subscriber's tenant. */
  z.strictObject({ kind: z.literal('principalTenant'), field: name, snapshot: z.boolean().default(false) }),
  /** A credential limited to some suppliers hears only events whose field is one of them. */
  z.strictObject({ kind: z.literal('principalSuppliers'), field: name, snapshot: z.boolean().default(false) }),
]);

/** A snapshot payload field: the watched key, a field of the row read, or a constant. */
const snapshotValue = z.union([
  z.strictObject({ key: z.literal(true) }),
  z.strictObject({ row: name }),
  z.strictObject({ const: z.union([z.string(), z.number(), z.boolean(), z.null()]) }),
]);

const entry = z.strictObject({
  /** Root field of `Subscription` in the supergraph. */
  field: name,
  /** Event-bus topic its events arrive on. */
  topic: z.string().regex(/^[a-z0-9_.-]+$/),
  /** The payload type of the root field (its fields are the event's, plus `entity.field`). */
  payloadType: name,
  /** The event's wire shape: anything else on the bus is dropped, never half-delivered. */
  event: z.record(name, eventField),
  /** Fields added to every event payload (e.g. `snapshot: false`). */
  constants: z.record(name, z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  /** The event field carrying the entity's version after the change (clients drop what is not newer). */
  versionField: name,
  /** Event fields whose values name what a newer value replaces (coalescing, per-key version filtering). */
  coalesceBy: z.array(name).min(1),
  /** The entity field under the payload type, resolved as `Query.<field>(<keyArgument>: <event[keyFrom]>)`. */
  entity: z.strictObject({ field: name, keyArgument: name, keyFrom: name }),
  filters: z.array(filter).default([]),
  /** An argument naming one entity: refused unless that entity is visible to the subscriber (no leak across tenants). */
  visibleArgument: name.optional(),
  /** The current state of what a subscription watches, sent first when the boolean `argument` is true. */
  snapshot: z
    .strictObject({
      argument: name,
      /** The argument listing the watched keys (an ID or a list of IDs); without it, nothing is watched. */
      watch: name,
      /** Read through the gateway as the subscriber, `$key` being one watched key. */
      query: z.string().min(1),
      /** Path in the result to the row, or list of rows; each row becomes one payload. */
      rows: z.array(name).min(1),
      /** Scopes added for this read alone (only the fields named in `payload` are taken from it). */
      extraScopes: z.array(z.string()).default([]),
      payload: z.record(name, snapshotValue),
    })
    .optional(),
});

const manifest = z.strictObject({
  /** The subgraph that owns these subscriptions and publishes their events. */
  subgraph: z.string().min(1),
  subscriptions: z.array(entry).min(1),
});

export type SubscriptionManifest = z.output<typeof manifest>;
export type SubscriptionEntry = z.output<typeof entry>;
export type EventFieldShape = z.output<typeof eventField>;
export type SubscriptionFilter = z.output<typeof filter>;
export type SnapshotSpec = NonNullable<SubscriptionEntry['snapshot']>;

/** A manifest from its JSON, or an Error naming the file and the first problem. */
export function parseSubscriptionManifest(json: unknown, source: string): SubscriptionManifest {
  const parsed = manifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`subscription manifest ${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  for (const e of parsed.data.subscriptions) {
    const fields = new Set(Object.keys(e.event));
    const need = [e.versionField, ...e.coalesceBy, e.entity.keyFrom, ...e.filters.flatMap((f) => ('from' in f ? [f.from, f.to] : [f.field]))];
    const missing = need.find((f) => !fields.has(f));
    if (missing !== undefined) throw new Error(`subscription manifest ${source}: ${e.field} names event field ${missing}, which its event shape lacks`);
    const state = e.snapshot === undefined ? [] : Object.keys(e.snapshot.payload);
    const unkeyed = [e.versionField, ...e.coalesceBy].find((f) => e.snapshot !== undefined && !state.includes(f));
    if (unkeyed !== undefined) throw new Error(`subscription manifest ${source}: ${e.field}'s snapshot payload lacks ${unkeyed} (its key and version)`);
    if (e.snapshot !== undefined) {
      // One root field, read per watched key as `$key`; `rows` starts at it (snapshot-reader.ts batches the keys).
      const operation = parse(e.snapshot.query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      const roots = operation?.selectionSet.selections ?? [];
      const root = roots[0];
      const ok = roots.length === 1 && root?.kind === Kind.FIELD && (root.alias ?? root.name).value === e.snapshot.rows[0] && operation!.variableDefinitions?.some((d) => d.variable.name.value === 'key');
      if (!ok) throw new Error(`subscription manifest ${source}: ${e.field}'s snapshot query selects one root field, ${e.snapshot.rows[0]} (the first of rows), with $key`);
    }
  }
  return parsed.data;
}

/** The committed manifests, `schema/*.subscriptions.json`, beside the SDL of the subgraphs that own them. */
export const MANIFEST_DIR = fileURLToPath(new URL('../../schema/', import.meta.url));

export function loadSubscriptionManifests(dir: string = MANIFEST_DIR): SubscriptionManifest[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.subscriptions.json'))
    .sort()
    .map((file) => parseSubscriptionManifest(JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown, file));
}

/**
 * Entries by root field, checked against the served schema: each root field, its payload type, entity field and
 * the arguments it names must exist. A mismatch is a deployment error (a manifest from another supergraph), so it
 * throws rather than serving a half-described subscription. Two manifests claiming one field also throw.
 */
export function subscriptionEntries(manifests: readonly SubscriptionManifest[], schema: GraphQLSchema): ReadonlyMap<string, SubscriptionEntry> {
  const byField = new Map<string, SubscriptionEntry>();
  const root = schema.getSubscriptionType()?.getFields() ?? {};
  for (const m of manifests) {
    for (const e of m.subscriptions) {
      const where = `subscription manifest of ${m.subgraph}: ${e.field}`;
      if (byField.has(e.field)) throw new Error(`${where} is described twice`);
      const def = root[e.field];
      if (def === undefined) throw new Error(`${where} is not a Subscription field of the served schema`);
      const payload = getNamedType(def.type);
      if (!isObjectType(payload) || payload.name !== e.payloadType) throw new Error(`${where} returns ${payload.name}, not ${e.payloadType}`);
      if (payload.getFields()[e.entity.field] === undefined) throw new Error(`${where}: ${e.payloadType} has no field ${e.entity.field}`);
      const args = new Set(def.args.map((a) => a.name));
      const named = [...e.filters.flatMap((f) => ('argument' in f ? [f.argument] : [])), ...(e.visibleArgument ? [e.visibleArgument] : []), ...(e.snapshot ? [e.snapshot.argument, e.snapshot.watch] : [])];
      const unknown = named.find((a) => !args.has(a));
      if (unknown !== undefined) throw new Error(`${where} has no argument ${unknown}`);
      byField.set(e.field, e);
    }
  }
  return byField;
}
