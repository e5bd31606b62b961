import { GraphQLError, execute, type ExecutionResult, type FormattedExecutionResult, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { Principal } from '../../platform/auth/principal.ts';
import type { Logger } from '../../platform/logger.ts';
import type { EventBus } from '../../platform/ports/event-bus.ts';
import { createOutgoingResult, type OutgoingResult } from './outgoing-result.ts';
import { coalesceKeyOf, eventMatches, readEvent } from './events.ts';
import { visibilityOf, type PreparedSubscription } from './prepare-subscription.ts';
import { readSnapshotState, SnapshotReadError } from './snapshot-reader.ts';
import { createGatheredReads } from './gathered-reads.ts';
import type { SubscriptionEntry } from './subscription-manifest.ts';
import { inSpan, spanAttributes } from '../../platform/tracing/spans.ts';
import { CODE } from '../../kernel/errors.ts';

/** Runs a query through the gateway itself (planning, subgraph fetches) as this principal. */
export type GatewayExecutor = (query: string, variables: Record<string, unknown>, principal: Principal) => Promise<FormattedExecutionResult>;

export interface Subscriber {
  readonly prepared: PreparedSubscription;
  readonly principal: Principal;
  /**
   * Hands one result to the subscriber's outbox; `key` identifies what a newer value replaces (coalescing), and
   * `version` is the entity's version after the change (what a snapshot already covered is dropped). The result is
   * shared by every subscriber of its group, serialised once.
   */
  deliver(key: string, result: OutgoingResult, version: number): void;
}

/** One entry of a snapshot: the current state of one watched entity, formatted for its subscriber. */
export interface SnapshotEntry {
  readonly key: string;
  readonly version: number;
  readonly result: OutgoingResult;
}

export interface HubStats {
  /** Events received from the bus that matched at least one subscriber. */
  readonly events: number;
  /** Entity resolutions run through the gateway (one per distinct selection and visibility per event). */
  readonly resolutions: number;
  readonly deliveries: number;
  /**
   * Milliseconds, summed over events: from the event's arrival to its results being formatted and serialised
   * (entity resolution through the gateway included), and from then to the last subscriber's socket write having
   * returned (the fan-out proper). The benchmark divides them by `events`.
   */
  readonly readyMs: number;
  readonly fanOutMs: number;
  /** CPU time (user + system) of the process during those fan-outs: what a delivery costs, whatever else runs. */
  readonly fanOutCpuMs: number;
}

export interface SubscriptionHub {
  /** Subscribes to the event bus: one subscription per topic per process, however many clients. */
  start(): Promise<void>;
  add(subscriber: Subscriber): () => void;
  /**
   * The current state of what the subscriber watches (`snapshot: true`), read through the gateway as its manifest
   * says (the listed SKUs' figures per supplier, the order's status) and formatted with the subscriber's own
   * selection. Empty when it watches nothing in particular (no `skus`, no `orderId`).
   */
  snapshot(subscriber: Subscriber): Promise<SnapshotEntry[]>;
  readonly size: number;
  readonly stats: HubStats;
  close(): Promise<void>;
}

export interface SubscriptionHubOptions {
  readonly events: EventBus;
  readonly schema: () => GraphQLSchema;
  readonly execute: GatewayExecutor;
  /** The subscriptions served, by root field, from the subgraphs' manifests (subscription-manifest.ts). */
  readonly entries: ReadonlyMap<string, SubscriptionEntry>;
  readonly log: Logger;
}

const ENTITIES = Symbol('entities');
type Source = Record<string, unknown> & { [ENTITIES]?: Record<string, unknown> };

/**
 * Re-shapes one event into a subscriber's selection by executing its subscription document over the event. The
 * entity (`product` / `order`) was already resolved through the gateway with the subscriber's own selection, aliases
 * and all, so below it every field is read by response key; the payload's own fields by name.
 */
function fieldResolverFor(payloadType: string, entityField: string): GraphQLFieldResolver<unknown, unknown> {
  return (source, _args, _context, info) => {
    const record = source as Source | null;
    if (record == null) return null;
    const parent = info.parentType.name;
    if (parent === 'Subscription') return record[info.fieldName];
    if (parent === payloadType) {
      return info.fieldName === entityField ? (record[ENTITIES]?.[info.path.key as string] ?? null) : record[info.fieldName];
    }
    return record[info.path.key as string];
  };
}

function format(schema: GraphQLSchema, prepared: PreparedSubscription, payload: Record<string, unknown>, resolved: FormattedExecutionResult | null): ExecutionResult {
  const spec = { payloadType: prepared.entry.payloadType, entityField: prepared.entry.entity.field };
  const source: Source = { ...payload, [ENTITIES]: (resolved?.data ?? {}) as Record<string, unknown> };
  const result = execute({
    schema,
    document: prepared.document,
    operationName: prepared.operationName,
    variableValues: prepared.variables as Record<string, unknown>,
    rootValue: { [prepared.field]: source },
    fieldResolver: fieldResolverFor(spec.payloadType, spec.entityField),
  }) as ExecutionResult; // every resolver above is synchronous
  // Errors of the entity resolution (a supplier down, say) keep their place, under the subscription field.
  const upstream = (resolved?.errors ?? []).map(
    (e) => new GraphQLError(e.message, { path: [prepared.responseKey, ...(e.path ?? [])], extensions: e.extensions ?? {} }),
  );
  if (upstream.length === 0) return result;
  return { ...result, errors: [...upstream, ...(result.errors ?? [])] };
}

/**
 * The fan-out of one gateway process. Every event is filtered per subscriber first (arguments, supplier
 * restriction, tenant); the survivors are grouped, so each distinct (selection, visibility) is resolved once per
 * event and each distinct (document, variables, visibility) formatted once; results are then handed out in event
 * order (resolutions of consecutive events run concurrently, delivery does not overtake).
 */
export function createSubscriptionHub(options: SubscriptionHubOptions): SubscriptionHub {
  const log = options.log.child({ component: 'subscriptions' });
  const byField = new Map<string, Set<Subscriber>>([...options.entries.keys()].map((field) => [field, new Set<Subscriber>()]));
  const stats = { events: 0, resolutions: 0, deliveries: 0, readyMs: 0, fanOutMs: 0, fanOutCpuMs: 0 };
  const offs: (() => Promise<void>)[] = [];
  const lastDelivery = new Map<string, Promise<unknown>>();
  let size = 0;
  // Counts removals: a fan-out during which nobody left skips the per-subscriber membership lookup (a hash lookup
  // in a set of N per delivery, ≈ 0.1–0.2 µs each at 10,000 — measurable against the socket write itself).
  let removals = 0;
  // Group keys are long strings (query text, variables, visibility): built once per subscriber, not per event.
  const keys = new WeakMap<Subscriber, { resolutionKey: string; formatKey: string }>();
  const keysOf = (subscriber: Subscriber) => {
    let found = keys.get(subscriber);
    if (found === undefined) {
      const visibility = visibilityOf(subscriber.principal);
      found = { resolutionKey: `${subscriber.prepared.resolutionKey}\n${visibility}`, formatKey: `${subscriber.prepared.formatKey}\n${visibility}` };
      keys.set(subscriber, found);
    }
    return found;
  };

  /** Runs a subscriber's entity resolution for one entity key (null when it selected no entity). */
  function resolve(field: string, subscriber: Subscriber, entityKey: string): Promise<FormattedExecutionResult | null> {
    const { resolutionQuery, resolutionVariables } = subscriber.prepared;
    if (resolutionQuery === null) return Promise.resolve(null);
    stats.resolutions += 1;
    // A span per resolution (tracing on): the gateway's own request spans and subgraph fetches nest under it.
    return inSpan('subscription resolve', { 'graphql.subscription.field': field }, () => options.execute(resolutionQuery, { ...resolutionVariables, __key: entityKey }, subscriber.principal)).catch((error: unknown) => {
      log.warn({ err: error, field }, 'entity resolution failed');
      return { errors: [{ message: 'The entity could not be resolved', extensions: { code: CODE.INTERNAL_SERVER_ERROR } }] };
    });
  }

  function dispatch(field: string, matched: readonly Subscriber[], entityKey: string, coalesceKey: string, version: number, payload: Record<string, unknown>): Promise<void> {
    if (matched.length === 0) return Promise.resolve();
    const matchedAt = removals;
    stats.events += 1;
    const arrived = performance.now();
    const schema = options.schema();
    const resolutions = new Map<string, Promise<FormattedExecutionResult | null>>();
    const groups = new Map<string, { resolutionKey: string; prepared: PreparedSubscription; subscribers: Subscriber[] }>();
    for (const subscriber of matched) {
      const { resolutionKey, formatKey } = keysOf(subscriber);
      if (!resolutions.has(resolutionKey)) resolutions.set(resolutionKey, resolve(field, subscriber, entityKey));
      const group = groups.get(formatKey);
      if (group) group.subscribers.push(subscriber);
      else groups.set(formatKey, { resolutionKey, prepared: subscriber.prepared, subscribers: [subscriber] });
    }
    const ready = Promise.all(
      [...groups.values()].map(async (group) => ({
        group,
        result: createOutgoingResult(format(schema, group.prepared, payload, await resolutions.get(group.resolutionKey)!)),
      })),
    );
    const previous = lastDelivery.get(field) ?? Promise.resolve();
    let sent = 0;
    const delivered = Promise.all([previous, ready])
      .then(([, formatted]) => {
        const started = performance.now();
        const cpu = process.cpuUsage();
        stats.readyMs += started - arrived;
        const current = byField.get(field)!;
        for (const { group, result } of formatted) {
          for (const subscriber of group.subscribers) {
            // A subscriber that left while its event was being resolved (or during this loop: a write can close a
            // socket) is not told; `removals` unchanged since the event was matched means nobody left.
            if (removals !== matchedAt && !current.has(subscriber)) continue;
            stats.deliveries += 1;
            sent += 1;
            subscriber.deliver(coalesceKey, result, version);
          }
        }
        spanAttributes({ 'subscription.deliveries': sent });
        // The loop is the whole of it: a write the kernel took at once defers nothing (no callback, so Node queues
        // no tick); one that did not queues its outbox's callback, which runs after this.
        stats.fanOutMs += performance.now() - started;
        const used = process.cpuUsage(cpu);
        stats.fanOutCpuMs += (used.user + used.system) / 1000;
      })
      .catch((error: unknown) => log.error({ err: error, field }, 'subscription fan-out failed'));
    lastDelivery.set(field, delivered);
    return delivered;
  }

  /** One event of an entry's topic: read by its manifest shape, filtered per subscriber, fanned out. */
  function onEvent(entry: SubscriptionEntry, message: unknown): void {
    const event = readEvent(entry, message);
    if (event === null) return void log.warn({ topic: entry.topic, field: entry.field }, 'dropped an event of an unexpected shape');
    const matched = [...byField.get(entry.field)!].filter((s) => eventMatches(entry, event.fields, s.prepared.args, s.principal));
    // In the trace the event carried (the bus's envelope), when tracing is on: one span from arrival to delivery.
    const attributes = { 'graphql.subscription.field': entry.field, 'subscription.matched': matched.length };
    void inSpan('subscription event', attributes, () => dispatch(entry.field, matched, event.entityKey, event.coalesceKey, event.version, { ...event.fields }));
  }

  // Snapshot state reads and their entity resolutions, shared by subscribers asking within one window (gathered-reads.ts).
  const gathered = createGatheredReads(SNAPSHOT_GATHER_MS);

  /** Formats one snapshot payload for one subscriber, entity resolved as for an event (shared as in dispatch). */
  async function snapshotEntry(subscriber: Subscriber, entityKey: string, key: string, version: number, payload: Record<string, unknown>): Promise<SnapshotEntry> {
    const resolved = await gathered.read(`resolve\n${keysOf(subscriber).resolutionKey}\n${entityKey}`, () => resolve(subscriber.prepared.field, subscriber, entityKey));
    return { key, version, result: createOutgoingResult(format(options.schema(), subscriber.prepared, payload, resolved)) };
  }

  return {
    async start() {
      // One bus subscription per entry (a topic per root field), however many clients.
      for (const entry of options.entries.values()) offs.push(await options.events.subscribe(entry.topic, (message) => onEvent(entry, message)));
    },
    add(subscriber) {
      const set = byField.get(subscriber.prepared.field)!;
      set.add(subscriber);
      size += 1;
      let removed = false;
      return () => {
        if (removed) return;
        removed = true;
        set.delete(subscriber);
        size -= 1;
        removals += 1;
      };
    },
    async snapshot(subscriber) {
      const { entry, watched, args } = subscriber.prepared;
      if (entry.snapshot === undefined || watched.length === 0) return [];
      const spec = entry.snapshot;
      // One read through the gateway for every watched key (the manifest's query, batched). A failed read (a
      // subgraph timing out in a reconnect storm) is tried again after a jittered pause, a bounded number of times,
      // so a subscriber gets the current state rather than silently nothing; the caller logs a final failure.
      // Read as the subscriber: subscribers of one field, watching the same keys, with the same visibility share it.
      const readKey = `state\n${entry.field}\n${visibilityOf(subscriber.principal)}\n${[...watched].sort().join('\u0000')}`;
      const states = await readSnapshotWithRetry(() => gathered.read(readKey, () => readSnapshotState(options.execute, spec, watched, subscriber.principal)));
      // Rows the subscriber would not hear about as events (another supplier, one outside its credential) are left out.
      const entries = states.flatMap(({ key, payloads }) =>
        payloads
          .filter((fields) => eventMatches(entry, fields, args, subscriber.principal, true))
          .map((fields) => snapshotEntry(subscriber, key, coalesceKeyOf(entry, fields), fields[entry.versionField] as number, fields)),
      );
      return Promise.all(entries);
    },
    get size() {
      return size;
    },
    stats,
    async close() {
      await Promise.all(offs.splice(0).map((off) => off().catch((error: unknown) => log.warn({ err: error }, 'event bus unsubscribe failed'))));
      await Promise.all(lastDelivery.values());
    },
  };
}

/** How long a snapshot read waits for identical ones to join it: a little latency for a reconnect storm's sake. */
const SNAPSHOT_GATHER_MS = 25;

/** Pauses between snapshot read attempts (ms, each jittered ×0.5–1.5): about 5 s in all, inside a client's patience. */
const SNAPSHOT_RETRY_PAUSES_MS = [250, 1_000, 3_000];

/** Runs `read`, trying again after a pause when it failed with a SnapshotReadError; other errors end it at once. */
export async function readSnapshotWithRetry<T>(read: () => Promise<T>, pausesMs: readonly number[] = SNAPSHOT_RETRY_PAUSES_MS): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await read();
    } catch (error) {
      const pause = pausesMs[attempt];
      if (!(error instanceof SnapshotReadError) || pause === undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause * (0.5 + Math.random())));
    }
  }
}
