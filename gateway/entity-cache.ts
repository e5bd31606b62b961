import { createHash, randomUUID } from 'node:crypto';
import { Counter, type Registry } from 'prom-client';
import type { Principal } from '../platform/auth/principal.ts';
import type { Cache } from '../platform/ports/cache.ts';
import type { EventBus } from '../platform/ports/event-bus.ts';
import type { Logger } from '../platform/logger.ts';

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** An entity type a subgraph resolves that may be cached: its `@key` fields name the entity for invalidation. */
export interface CacheableEntity {
  readonly subgraph: string;
  readonly typename: string;
  /** The `@key` fields (top-level, scalar) whose values name one entity, e.g. `['sku']`. */
  readonly keyFields: readonly string[];
}

/** A bus topic whose events change entities: which ones, from the payload. */
export interface EntityInvalidation {
  readonly topic: string;
  /** The entities an event changes; a null key: any entity of the type may have changed (everything is dropped). */
  readonly entities: (payload: unknown) => readonly { readonly typename: string; readonly key: Readonly<Record<string, unknown>> | null }[];
}

export interface EntityCacheOptions {
  /** The only entity types cached; any other `_entities` fetch, and every root fetch, goes through untouched. */
  readonly cacheable: readonly CacheableEntity[];
  /** Events that change cached entities; each gateway process subscribes and drops what they name. */
  readonly invalidations: readonly EntityInvalidation[];
  readonly events: EventBus;
  /** The shared tier (Redis) behind the local LRU; local only when absent. */
  readonly shared?: Cache;
  /** How long an entry lives at most, should every invalidation of it be lost. @default 300_000 */
  readonly ttlMs?: number;
  /** Local LRU bounds. @default 20_000 entries, 32 MiB of entity text */
  readonly maxEntries?: number;
  readonly maxBytes?: number;
  readonly log: Logger;
  readonly metricsRegistry?: Registry;
}

export interface EntityCache {
  /** Runs one subgraph fetch through the cache; `send` signs and sends a body (misses only). */
  fetch(subgraph: string, principal: Principal, input: string, init: RequestInit, send: Fetch): Promise<Response>;
  /** Subscribes to the invalidation topics and to bus gaps; resolves once live. */
  start(): Promise<void>;
  /** Entries in the local LRU (tests, metrics). */
  readonly localSize: () => number;
  close(): Promise<void>;
}

interface Local {
  readonly text: string;
  readonly entity: string;
  readonly expiresAt: number;
}

/** A shared entry: the entity's JSON text, stamped with the version and epoch it was fetched under. */
interface Stamped {
  readonly v: string;
  readonly e: string;
  readonly d: string;
}

const EPOCH_KEY = 'entity:epoch';
const versionKey = (entity: string): string => `entity:v:${entity}`;
const ENTITIES_FETCH = /^query\b[^{]*\{\s*_entities\(representations:\s*\$representations\)\s*\{/;

/** The entity a representation or an event names: typename and key values, in key-field order. */
function entityId(typename: string, keyFields: readonly string[], values: Readonly<Record<string, unknown>>): string | undefined {
  const key: unknown[] = [];
  for (const field of keyFields) {
    const value = values[field];
    if (typeof value !== 'string' && typeof value !== 'number') return undefined;
    key.push(value);
  }
  return `${typename}:${JSON.stringify(key)}`;
}

/**
 * What a principal may see, as far as subgraphs tell principals apart in what they answer: kind, tenant, scopes,
 * allowed suppliers and token class. Entries are never shared across two different views (subject and token id are left out: the
 * cacheable types answer alike for every caller of one view; `viewer`-like fields are never declared cacheable).
 */
function viewOf(p: Principal): string {
  return JSON.stringify([p.kind, p.tenant, [...p.scopes].sort(), p.suppliers ? [...p.suppliers].sort() : null, p.tokenClass ?? null]);
}

function answer(input: string, text: string): Response {
  return {
    ok: true,
    status: 200,
    statusText: '',
    url: input,
    headers: { get: (name: string) => (name.toLowerCase() === 'content-type' ? 'application/json' : null) },
    text: async () => text,
    json: async () => JSON.parse(text) as unknown,
  } as unknown as Response;
}

/**
 * The gateway's entity cache (GATEWAY_ENTITY_CACHE=on; docs/benchmarks.md, "Gateway speed"): `_entities` fetches to a
 * subgraph for types declared cacheable are answered per entity from a local LRU, then the shared cache (Redis), and
 * only the missing entities are sent on (one smaller, freshly signed fetch). An entry is keyed by subgraph, the
 * fetch's operation text (its selection set), its other variables, the representation as sent (key and `@requires`
 * fields) and the principal's view; it holds the entity's JSON as the subgraph answered it.
 *
 * Correctness rests on invalidation, never on the TTL alone:
 * - Every gateway process subscribes to the events that change a cached entity and drops the entity's local entries
 *   and its shared version key. A shared entry is valid only under the version and epoch read before its fetch was
 *   sent (a version key is created before that fetch), so an invalidation racing a fetch leaves the fetched entry
 *   unreachable rather than stale. A local entry is stored only when no invalidation arrived during its fetch.
 * - A bus gap (deliveries may have been lost) clears the local LRU and starts a new shared epoch.
 * - Only whole, clean answers are kept: an answer with errors or extensions (degraded suppliers), or a null entity,
 *   is passed through and nothing of it is cached; a partial answer with errors is fetched again whole, uncached.
 */
export function createEntityCache(options: EntityCacheOptions): EntityCache {
  const ttlMs = options.ttlMs ?? 300_000;
  const maxEntries = options.maxEntries ?? 20_000;
  const maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  const log = options.log.child({ component: 'entity-cache' });
  const { shared } = options;
  const types = new Map<string, Map<string, readonly string[]>>();
  for (const c of options.cacheable) {
    const bySubgraph = types.get(c.subgraph) ?? new Map<string, readonly string[]>();
    bySubgraph.set(c.typename, c.keyFields);
    types.set(c.subgraph, bySubgraph);
  }
  const keyFieldsOf = new Map(options.cacheable.map((c) => [c.typename, c.keyFields]));
  const lookups = options.metricsRegistry
    ? new Counter({ name: 'gateway_entity_cache_lookups_total', help: 'Entity cache lookups per entity, by subgraph and where it was found (local, shared, miss)', labelNames: ['subgraph', 'outcome'], registers: [options.metricsRegistry] })
    : undefined;

  // Local keys name a fetch's key prefix by a number. Numbers are never re-used: when the table is cleared (it is
  // bounded), entries under old numbers are simply unreachable and age out of the LRU.
  const prefixIds = new Map<string, number>();
  let nextPrefixId = 0;
  const prefixIdOf = (text: string): number => {
    let id = prefixIds.get(text);
    if (id === undefined) {
      if (prefixIds.size >= 10_000) prefixIds.clear();
      prefixIds.set(text, (id = nextPrefixId++));
    }
    return id;
  };
  const local = new Map<string, Local>();
  const localByEntity = new Map<string, Set<string>>();
  let localBytes = 0;
  /** Bumped by every invalidation and gap: a fetch that saw it change stores nothing locally. */
  let invalidations = 0;
  const unsubscribes: (() => Promise<void>)[] = [];
  let stopGaps: (() => void) | undefined;

  const dropLocal = (key: string): void => {
    const entry = local.get(key);
    if (entry === undefined) return;
    local.delete(key);
    localBytes -= entry.text.length;
    const keys = localByEntity.get(entry.entity);
    keys?.delete(key);
    if (keys?.size === 0) localByEntity.delete(entry.entity);
  };
  const getLocal = (key: string, now: number): string | undefined => {
    const entry = local.get(key);
    if (entry === undefined) return undefined;
    local.delete(key);
    if (entry.expiresAt <= now) {
      local.set(key, entry);
      dropLocal(key);
      return undefined;
    }
    local.set(key, entry); // now the most recently used
    return entry.text;
  };
  const setLocal = (key: string, entity: string, text: string, now: number): void => {
    if (text.length > maxBytes) return;
    dropLocal(key);
    local.set(key, { text, entity, expiresAt: now + ttlMs });
    localBytes += text.length;
    let keys = localByEntity.get(entity);
    if (keys === undefined) localByEntity.set(entity, (keys = new Set()));
    keys.add(key);
    for (const oldest of local.keys()) {
      if (local.size <= maxEntries && localBytes <= maxBytes) break;
      dropLocal(oldest);
    }
  };

  async function invalidate(entities: readonly string[]): Promise<void> {
    invalidations += 1;
    for (const entity of entities) for (const key of [...(localByEntity.get(entity) ?? [])]) dropLocal(key);
    if (shared && entities.length > 0) await shared.delete(entities.map(versionKey));
  }

  async function onGap(): Promise<void> {
    invalidations += 1;
    local.clear();
    localByEntity.clear();
    localBytes = 0;
    await shared?.setMany([[EPOCH_KEY, randomUUID()]], ttlMs * 2);
  }

  return {
    localSize: () => local.size,

    async start() {
      for (const rule of options.invalidations) {
        unsubscribes.push(
          await options.events.subscribe(rule.topic, (payload) => {
            const entities: string[] = [];
            let everything = false;
            try {
              for (const e of rule.entities(payload)) {
                const fields = keyFieldsOf.get(e.typename);
                const id = fields && e.key !== null ? entityId(e.typename, fields, e.key) : undefined;
                if (id !== undefined) entities.push(id);
                // A write that may have changed any entity of a cached type.
                else if (fields) everything = true;
              }
            } catch (error) {
              log.warn({ err: error, topic: rule.topic }, 'unreadable invalidation event: clearing the entity cache');
              everything = true;
            }
            const done = everything ? onGap() : invalidate(entities);
            done.catch((error: unknown) => log.warn({ err: error, topic: rule.topic }, 'shared entity cache invalidation failed: local entries dropped, shared ones live until their TTL'));
          }),
        );
      }
      stopGaps = options.events.onGap(() => {
        onGap().catch((error: unknown) => log.warn({ err: error }, 'could not start a new shared entity cache epoch after a bus gap'));
      });
    },

    async fetch(subgraph, principal, input, init, send) {
      const byType = types.get(subgraph);
      if (byType === undefined || typeof init.body !== 'string') return send(input, init);
      const body = JSON.parse(init.body) as { query?: unknown; variables?: Record<string, unknown>; operationName?: unknown };
      const representations = body.variables?.representations;
      if (typeof body.query !== 'string' || !ENTITIES_FETCH.test(body.query) || !Array.isArray(representations) || representations.length === 0) return send(input, init);
      const { representations: _r, ...otherVariables } = body.variables ?? {};
      const entities: string[] = [];
      for (const rep of representations as Record<string, unknown>[]) {
        const fields = typeof rep?.__typename === 'string' ? byType.get(rep.__typename) : undefined;
        const id = fields ? entityId(rep.__typename as string, fields, rep) : undefined;
        if (id === undefined) return send(input, init);
        entities.push(id);
      }
      // The fetch's part of every key: the local tier names it by a number (a Map look-up of its text, no hash per
      // entity); the shared tier's keys are bounded by a SHA-256, made only for the entities the local tier misses.
      const prefixText = `${subgraph}\n${body.query}\n${JSON.stringify(otherVariables)}\n${viewOf(principal)}\n`;
      const repTexts = (representations as unknown[]).map((rep) => JSON.stringify(rep));
      const prefixId = prefixIdOf(prefixText);
      const localKeys = repTexts.map((rep, i) => `${entities[i]}\u0000${prefixId}\u0000${rep}`);
      let prefixHash: ReturnType<typeof createHash> | undefined;
      const sharedKey = (i: number): string => {
        prefixHash ??= createHash('sha256').update(prefixText);
        return `entity:${entities[i]}:${prefixHash.copy().update(repTexts[i]!).digest('base64url')}`;
      };

      const seen = invalidations;
      const now = Date.now();
      const found: (string | undefined)[] = localKeys.map((k) => getLocal(k, now));
      let missing = found.flatMap((text, i) => (text === undefined ? [i] : []));
      lookups?.inc({ subgraph, outcome: 'local' }, localKeys.length - missing.length);
      const keys = new Map(missing.map((i) => [i, sharedKey(i)] as const));

      // The shared tier: the epoch, each missing entity's version, and the entries, in one read.
      const versions = new Map<string, string>();
      let epoch: string | undefined;
      if (shared && missing.length > 0) {
        const ids = [...new Set(missing.map((i) => entities[i]!))];
        try {
          const read = await shared.getMany([EPOCH_KEY, ...ids.map(versionKey), ...missing.map((i) => keys.get(i)!)]);
          epoch = read[0] ?? undefined;
          ids.forEach((id, j) => {
            const v = read[1 + j];
            if (v) versions.set(id, v);
          });
          missing.forEach((i, j) => {
            const raw = read[1 + ids.length + j];
            if (!raw || epoch === undefined) return;
            const stamped = JSON.parse(raw) as Stamped;
            if (stamped.e === epoch && stamped.v === versions.get(entities[i]!)) found[i] = stamped.d;
          });
          // Versions and the epoch are made before the fetch they stamp: an invalidation after this deletes them.
          const fresh: [string, string][] = [];
          if (epoch === undefined) fresh.push([EPOCH_KEY, (epoch = randomUUID())]);
          for (const id of ids) {
            if (!versions.has(id)) {
              const v = randomUUID();
              versions.set(id, v);
              fresh.push([versionKey(id), v]);
            }
          }
          if (fresh.length > 0) await shared.setMany(fresh, ttlMs);
        } catch (error) {
          // Redis down: the local tier and the subgraph still answer; nothing is written to the shared tier.
          log.warn({ err: error, subgraph }, 'shared entity cache unavailable: fetching from the subgraph');
          epoch = undefined;
        }
        const before = missing.length;
        missing = missing.filter((i) => found[i] === undefined);
        lookups?.inc({ subgraph, outcome: 'shared' }, before - missing.length);
        if (invalidations === seen) for (const i of keys.keys()) if (found[i] !== undefined) setLocal(localKeys[i]!, entities[i]!, found[i]!, now);
      }
      lookups?.inc({ subgraph, outcome: 'miss' }, missing.length);

      const merged = (): Response => answer(input, `{"data":{"_entities":[${found.join(',')}]}}`);
      if (missing.length === 0) return merged();

      const partial = missing.length < representations.length;
      const sentBody = partial ? JSON.stringify({ ...body, variables: { ...body.variables, representations: missing.map((i) => representations[i]) } }) : init.body;
      const response = await send(input, { ...init, body: sentBody });
      if (!response.ok) return partial ? send(input, init) : response;
      const text = await response.text();
      let parsed: { data?: { _entities?: unknown[] } | null; errors?: unknown; extensions?: unknown };
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        return partial ? send(input, init) : answer(input, text);
      }
      const fetched = parsed.data?._entities;
      const clean = parsed.errors === undefined && parsed.extensions === undefined && Array.isArray(fetched) && fetched.length === missing.length && fetched.every((e) => e !== null && typeof e === 'object');
      // Errors, notices or nulls: the whole fetch as the subgraph answers it, nothing kept.
      if (!clean) return partial ? send(input, init) : answer(input, text);
      const toShare: [string, string][] = [];
      missing.forEach((i, j) => {
        const entityText = JSON.stringify(fetched[j]);
        found[i] = entityText;
        if (invalidations === seen) setLocal(localKeys[i]!, entities[i]!, entityText, now);
        const v = versions.get(entities[i]!);
        if (epoch !== undefined && v !== undefined) toShare.push([keys.get(i)!, JSON.stringify({ v, e: epoch, d: entityText } satisfies Stamped)]);
      });
      // Not awaited: a later reader that misses it only fetches again.
      if (shared && toShare.length > 0) void shared.setMany(toShare, ttlMs).catch((error: unknown) => log.warn({ err: error, subgraph }, 'could not write the shared entity cache'));
      return partial ? merged() : answer(input, text);
    },

    async close() {
      stopGaps?.();
      await Promise.all(unsubscribes.splice(0).map((u) => u().catch(() => undefined)));
      local.clear();
      localByEntity.clear();
    },
  };
}
