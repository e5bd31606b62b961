import { describe, expect, it } from 'vitest';
import { createMemoryCache } from '../adapters/cache/memory-cache.ts';
import { createMemoryEventBus } from '../adapters/events/memory-event-bus.ts';
import { DEV_PRINCIPAL } from '../platform/auth/principal.ts';
import { silentLogger } from '../platform/logger.ts';
import type { Cache } from '../platform/ports/cache.ts';
import type { EventBus } from '../platform/ports/event-bus.ts';
import { createEntityCache, type EntityCache } from './entity-cache.ts';

const QUERY = 'query Q__catalog__1($representations:[_Any!]!){_entities(representations:$representations){...on Product{title}}}';
const body = (skus: readonly string[], typename = 'Product') => JSON.stringify({ query: QUERY, variables: { representations: skus.map((sku) => ({ __typename: typename, sku })) }, operationName: 'Q__catalog__1' });

/** A catalog subgraph over a map of titles; records every body it was sent. */
function subgraph() {
  const titles = new Map<string, string>([['A', 'a1'], ['B', 'b1'], ['C', 'c1']]);
  const sent: string[][] = [];
  let gate: Promise<void> | undefined;
  const send = async (_input: string, init: RequestInit): Promise<Response> => {
    const reps = (JSON.parse(init.body as string) as { variables: { representations: { sku: string }[] } }).variables.representations;
    sent.push(reps.map((r) => r.sku));
    // Read before the gate: an answer computed from the data as it was when the fetch arrived.
    const entities = reps.map((r) => (titles.has(r.sku) ? { title: titles.get(r.sku) } : null));
    await gate;
    return new Response(JSON.stringify({ data: { _entities: entities } }), { status: 200 });
  };
  return { titles, sent, send, hold: (p: Promise<void>) => void (gate = p) };
}

/** The memory bus delivers on the next turn (setImmediate); the handler's shared delete one microtask later. */
const delivered = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

async function cacheOn(events: EventBus, shared: Cache): Promise<EntityCache> {
  const cache = createEntityCache({
    cacheable: [{ subgraph: 'catalog', typename: 'Product', keyFields: ['sku'] }],
    invalidations: [{ topic: 'catalog.changed', entities: (p) => [{ typename: 'Product', key: typeof (p as { sku: unknown }).sku === 'string' ? { sku: (p as { sku: string }).sku } : null }] }],
    events,
    shared,
    log: silentLogger(),
  });
  await cache.start();
  return cache;
}

const titlesOf = async (cache: EntityCache, s: ReturnType<typeof subgraph>, skus: readonly string[], subgraphName = 'catalog') => {
  const response = await cache.fetch(subgraphName, DEV_PRINCIPAL, 'http://catalog/graphql', { method: 'POST', body: body(skus) }, s.send);
  return ((await response.json()) as { data: { _entities: ({ title: string } | null)[] } }).data._entities.map((e) => e?.title ?? null);
};

describe('entity cache', () => {
  const setup = async () => {
    const events = createMemoryEventBus({ log: silentLogger() });
    const shared = createMemoryCache();
    return { events, shared, s: subgraph(), cache: await cacheOn(events, shared) };
  };

  it('sends only the missing entities and answers in the order asked', async () => {
    const { cache, s } = await setup();
    expect(await titlesOf(cache, s, ['A', 'B'])).toEqual(['a1', 'b1']);
    expect(await titlesOf(cache, s, ['C', 'A'])).toEqual(['c1', 'a1']);
    expect(await titlesOf(cache, s, ['B', 'C', 'A'])).toEqual(['b1', 'c1', 'a1']);
    expect(s.sent).toEqual([['A', 'B'], ['C']]);
  });

  it('drops an entity on its event: the next fetch asks the subgraph again and shows the new value', async () => {
    const { cache, s, events } = await setup();
    await titlesOf(cache, s, ['A', 'B']);
    s.titles.set('A', 'a2');
    await events.publish('catalog.changed', { sku: 'A' });
    await delivered();
    expect(await titlesOf(cache, s, ['A', 'B'])).toEqual(['a2', 'b1']);
    expect(s.sent).toEqual([['A', 'B'], ['A']]);
  });

  it('shares entries between gateway processes, and an event heard by all drops them everywhere', async () => {
    const { s, events, shared, cache: one } = await setup();
    const two = await cacheOn(events, shared);
    await titlesOf(one, s, ['A']);
    expect(await titlesOf(two, s, ['A'])).toEqual(['a1']);
    expect(s.sent).toEqual([['A']]);
    s.titles.set('A', 'a2');
    await events.publish('catalog.changed', { sku: 'A' });
    await delivered();
    expect(await titlesOf(two, s, ['A'])).toEqual(['a2']);
    expect(await titlesOf(one, s, ['A'])).toEqual(['a2']);
  });

  it('keeps nothing fetched while an invalidation of it arrived: a racing fetch cannot leave a stale entry', async () => {
    const { cache, s, events, shared } = await setup();
    let release!: () => void;
    s.hold(new Promise<void>((r) => (release = r)));
    const racing = titlesOf(cache, s, ['A']);
    await new Promise((r) => setTimeout(r, 10));
    // The change lands and is announced while the old figure is on its way back.
    s.titles.set('A', 'a2');
    await events.publish('catalog.changed', { sku: 'A' });
    await delivered();
    release();
    expect(await racing).toEqual(['a1']);
    s.hold(Promise.resolve());
    expect(await titlesOf(cache, s, ['A'])).toEqual(['a2']);
    // Another process reading the shared tier does not get the raced figure either.
    const other = await cacheOn(createMemoryEventBus({ log: silentLogger() }), shared);
    expect(await titlesOf(other, s, ['A'])).toEqual(['a2']);
  });

  it('an event that may reach any product clears everything', async () => {
    const { cache, s, events } = await setup();
    await titlesOf(cache, s, ['A', 'B']);
    s.titles.set('B', 'b2');
    await events.publish('catalog.changed', { sku: null });
    await delivered();
    expect(await titlesOf(cache, s, ['A', 'B'])).toEqual(['a1', 'b2']);
    expect(s.sent).toEqual([['A', 'B'], ['A', 'B']]);
  });

  it('keeps no null entity and passes other subgraphs and types through untouched', async () => {
    const { cache, s } = await setup();
    expect(await titlesOf(cache, s, ['A', 'Z'])).toEqual(['a1', null]);
    expect(await titlesOf(cache, s, ['A', 'Z'])).toEqual(['a1', null]);
    expect(s.sent).toEqual([['A', 'Z'], ['A', 'Z']]);
    let seen: string | undefined;
    const raw = async (_input: string, init: RequestInit) => ((seen = init.body as string), new Response('{"data":{"_entities":[]}}'));
    await cache.fetch('inventory', DEV_PRINCIPAL, 'http://inventory/graphql', { body: body(['A']) }, raw);
    expect(seen).toBe(body(['A']));
    await cache.fetch('catalog', DEV_PRINCIPAL, 'http://catalog/graphql', { body: body(['A'], 'Family') }, raw);
    expect(seen).toBe(body(['A'], 'Family'));
  });
});
