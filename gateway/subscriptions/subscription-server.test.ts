import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError, buildSchema, parse } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { DEV_PRINCIPAL } from '../../platform/auth/principal.ts';
import { readScopeDeclarations } from '../../platform/auth/scope-declarations.ts';
import { silentLogger } from '../../platform/logger.ts';
import { rawSocket, waitFor } from '../../test/support/ws-clients.ts';
import { attachSubscriptionServer, type SubscriptionServer, type SubscriptionServerOptions } from './subscription-server.ts';
import { createOperationPolicy } from '../auth/operation-policy.ts';
import { createOutgoingResult } from './outgoing-result.ts';
import type { Subscriber, SubscriptionHub } from './subscription-hub.ts';
import { loadSubscriptionManifests } from './subscription-manifest.ts';

const SDL = `
  directive @scopes(require: [String!]!) on FIELD_DEFINITION | OBJECT | INTERFACE
  type Query { x: Int @scopes(require: []) }
  type StockChange { sku: ID! newAvailable: Int! }
  type OrderStatusChange { orderId: ID! }
  type Subscription {
    stockChanged(skus: [ID!], suppliers: [String!], minChange: Int, crossingZero: Boolean, snapshot: Boolean = false): StockChange! @scopes(require: ["inventory:read"])
    orderStatusChanged(orderId: ID): OrderStatusChange! @scopes(require: ["orders:read"])
  }`;
const LIMITS = { maxDepth: 10, maxAliases: 10, maxRootFields: 5, maxCost: 1000, defaultListSize: 10, maxTokens: 1000, maxVariablesBytes: 1000 };

/** A hub that only records subscribers, so a test can deliver to them directly. */
function stubHub(snapshot: SubscriptionHub['snapshot'] = async () => []): SubscriptionHub & { readonly added: Subscriber[] } {
  const added: Subscriber[] = [];
  return {
    added,
    start: async () => {},
    add: (s) => (added.push(s), () => void added.splice(added.indexOf(s), 1)),
    snapshot,
    get size() {
      return added.length;
    },
    stats: { events: 0, resolutions: 0, deliveries: 0, readyMs: 0, fanOutMs: 0, fanOutCpuMs: 0 },
    close: async () => {},
  };
}

describe('subscription server (socket limits, with a stub authenticator)', () => {
  let server: Server;
  let subscriptions: SubscriptionServer;
  let url: string;

  async function start(options: Partial<SubscriptionServerOptions> = {}, snapshot?: SubscriptionHub['snapshot']) {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const hub = stubHub(snapshot);
    subscriptions = attachSubscriptionServer({
      server,
      path: '/graphql',
      hub,
      schema: () => buildSchema(SDL),
      policy: createOperationPolicy({ scopes: readScopeDeclarations(parse(SDL)), limits: LIMITS }),
      maxTokens: LIMITS.maxTokens,
      // The seam: a stub verifier, refusing a bad token 4401 and a blocked one 4403.
      authenticate: async (authorization) => {
        if (authorization === 'Bearer good') return DEV_PRINCIPAL;
        if (authorization === 'Bearer blocked') throw new GraphQLError('blocked', { extensions: { code: 'FORBIDDEN' } });
        throw new GraphQLError('bad token', { extensions: { code: 'UNAUTHENTICATED' } });
      },
      canSee: async () => false,
      // The committed manifests, as the gateway serves them (not checked against this small schema's payloads).
      entries: new Map(loadSubscriptionManifests().flatMap((m) => m.subscriptions.map((e) => [e.field, e] as const))),
      log: silentLogger(),
      origins: { devMode: true, allowed: [] },
      ...options,
    });
    return hub;
  }

  afterEach(async () => {
    await subscriptions?.close(200);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('closes 4401 for a refused token and 4403 for a forbidden one', async () => {
    await start();
    for (const [token, code] of [['bad', 4401], ['blocked', 4403]] as const) {
      const raw = await rawSocket(url);
      raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
      expect((await raw.closed()).code).toBe(code);
    }
  });

  it('drops a peer that stops answering pings, and keeps one that answers', async () => {
    await start({ keepAliveMs: 50 });
    const silent = await rawSocket(url, { autoPong: false });
    const lively = await rawSocket(url);
    expect((await silent.closed(2_000)).code).toBe(1006); // terminated: no close frame
    expect(lively.socket.readyState).toBe(lively.socket.OPEN);
    lively.socket.close();
  });

  it('coalesces for a busy subscription, then closes 1013 when too many distinct changes wait', async () => {
    // The unsent-bytes limit out of the way: this is the distinct-changes limit.
    const hub = await start({ maxPendingPerSubscription: 1, maxBufferedBytes: 256 * 1024 * 1024 });
    const raw = await rawSocket(url);
    raw.send({ type: 'connection_init', payload: { authorization: 'Bearer good' } });
    await raw.acked();
    raw.send({ id: '1', type: 'subscribe', payload: { query: 'subscription { stockChanged { sku } }' } });
    await waitFor(() => hub.added.length === 1, 'the subscriber');
    const [subscriber] = hub.added;
    const result = (sku: string) => createOutgoingResult({ data: { stockChanged: { sku } } });
    // A reader that stopped reading, and a result larger than the kernel's socket buffers hold: 'a' cannot leave
    // at once (a write the kernel takes whole frees the subscription straight away), so 'b' waits, a newer 'b'
    // replaces it, and 'c' is one distinct change too many.
    raw.socket.pause();
    subscriber!.deliver('a', result('a'.repeat(32 * 1024 * 1024)), 1);
    subscriber!.deliver('b', result('b1'), 1);
    subscriber!.deliver('b', result('b2'), 2);
    expect(hub.added).toHaveLength(1);
    subscriber!.deliver('c', result('c'), 1);
    raw.socket.resume(); // the close frame is queued behind 'a'
    const closed = await raw.closed();
    expect(closed.code).toBe(1013);
    expect(closed.reason).toMatch(/slow consumer/);
    // Counted once for the connection (the backpressure alert reads it), however many deliveries found it closing.
    subscriber!.deliver('d', result('d'), 1);
    expect(subscriptions.slowConsumerCloses).toBe(1);
  });

  it('writes each result as a graphql-transport-ws next message under its subscription id; shutdown closes 1012 without complete', async () => {
    const hub = await start();
    const raw = await rawSocket(url);
    raw.send({ type: 'connection_init', payload: { authorization: 'Bearer good' } });
    await raw.acked();
    raw.send({ id: 'sub-ä"7', type: 'subscribe', payload: { query: 'subscription { stockChanged { sku } }' } });
    raw.send({ id: '2', type: 'subscribe', payload: { query: 'subscription { stockChanged { sku } }' } });
    await waitFor(() => hub.added.length === 2, 'the subscribers');
    // One shared result, with an error whose JSON comes from GraphQLError#toJSON, as graphql-ws would send it.
    const shared = createOutgoingResult({ data: { stockChanged: { sku: 'S-1' } }, errors: [new GraphQLError('supplier down', { path: ['stockChanged', 'sku'], extensions: { code: 'X' } })] });
    for (const subscriber of hub.added) subscriber.deliver('k', shared, 1);
    await waitFor(() => raw.messages.filter((m) => m.type === 'next').length === 2, 'both next messages');
    const next = raw.messages.filter((m) => m.type === 'next');
    expect(next.map((m) => m.id).sort()).toEqual(['2', 'sub-ä"7']);
    expect(next[0].payload).toEqual({ data: { stockChanged: { sku: 'S-1' } }, errors: [{ message: 'supplier down', path: ['stockChanged', 'sku'], extensions: { code: 'X' } }] });
    // The client completes one: it is removed from the hub and hears nothing more.
    raw.send({ id: '2', type: 'complete' });
    await waitFor(() => hub.added.length === 1, 'the completed subscriber to leave');
    await subscriptions.close(500);
    // A completed subscription is over for a graphql-ws client; 1012 makes it reconnect and resubscribe.
    expect(raw.messages.filter((m) => m.type === 'complete')).toEqual([]);
    expect(await raw.closed()).toEqual({ code: 1012, reason: 'Service restart' });
  });

  it('writes pre-built frames of every length encoding intact, in order, among graphql-ws messages on the same socket', async () => {
    const hub = await start();
    const raw = await rawSocket(url);
    raw.send({ type: 'connection_init', payload: { authorization: 'Bearer good' } });
    await raw.acked();
    raw.send({ id: '1', type: 'subscribe', payload: { query: 'subscription { stockChanged { sku } }' } });
    await waitFor(() => hub.added.length === 1, 'the subscriber');
    // 7-bit, 16-bit and 64-bit frame lengths, each a distinct key so none is coalesced away.
    const skus = ['short', 'm'.repeat(300), 'l'.repeat(70_000)];
    skus.forEach((sku, i) => hub.added[0]!.deliver(`k${i}`, createOutgoingResult({ data: { stockChanged: { sku } } }), i));
    // A graphql-ws message (an `error` for a refused subscribe) written by ws itself on the same socket meanwhile.
    raw.send({ id: '2', type: 'subscribe', payload: { query: 'subscription { stockChanged { nope } }' } });
    await waitFor(() => raw.messages.filter((m) => m.type === 'next').length === 3 && raw.messages.some((m) => m.type === 'error'), 'three next and the error');
    expect(raw.messages.filter((m) => m.type === 'next').map((m) => m.payload.data.stockChanged.sku)).toEqual(skus);
    expect(raw.messages.find((m) => m.type === 'error').id).toBe('2');
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
    raw.socket.close();
  });

  it('refuses an order subscription the principal cannot see', async () => {
    await start();
    const raw = await rawSocket(url);
    raw.send({ type: 'connection_init', payload: { authorization: 'Bearer good' } });
    await raw.acked();
    raw.send({ id: '1', type: 'subscribe', payload: { query: 'subscription { orderStatusChanged(orderId: "o-9") { orderId } }' } });
    await waitFor(() => raw.messages.some((m) => m.type === 'error'), 'the error');
    expect(raw.messages.find((m) => m.type === 'error').payload[0].extensions.code).toBe('FORBIDDEN');
    raw.socket.close();
  });

  it('with snapshot: true sends the current state first, holds changes meanwhile and drops those it already covers', async () => {
    const result = (sku: string, v: number) => createOutgoingResult({ data: { stockChanged: { sku: `${sku}@${v}` } } });
    let release = () => {};
    const hub = await start({}, (subscriber) =>
      new Promise((resolve) => {
        expect(subscriber.prepared.args['snapshot']).toBe(true);
        release = () => resolve([{ key: 'k', version: 5, result: result('k', 5) }]);
      }),
    );
    const raw = await rawSocket(url);
    raw.send({ type: 'connection_init', payload: { authorization: 'Bearer good' } });
    await raw.acked();
    raw.send({ id: '1', type: 'subscribe', payload: { query: 'subscription { stockChanged(skus: ["k"], snapshot: true) { sku } }' } });
    await waitFor(() => hub.added.length === 1, 'the subscriber');
    const [subscriber] = hub.added;
    subscriber!.deliver('k', result('k', 4), 4); // older than the state read: dropped
    subscriber!.deliver('j', result('j', 1), 1); // another key: after the snapshot
    subscriber!.deliver('k', result('k', 6), 6); // newer: after the snapshot
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(raw.messages.filter((m) => m.type === 'next')).toEqual([]);
    release();
    await waitFor(() => raw.messages.filter((m) => m.type === 'next').length === 3, 'snapshot and two changes');
    subscriber!.deliver('k', result('k', 6), 6); // a duplicate after the snapshot: dropped too
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(raw.messages.filter((m) => m.type === 'next').map((m) => m.payload.data.stockChanged.sku)).toEqual(['k@5', 'j@1', 'k@6']);
    raw.socket.close();
  });

  it('dev mode: only loopback pages may upgrade (403 before any WebSocket); clients without Origin are not browsers', async () => {
    await start({ origins: { devMode: true, allowed: ['https://app.example.com'] } });
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1', 'https://dev.localhost', 'http://[::1]:8080']) {
      const raw = await rawSocket(url, { headers: { origin } });
      raw.socket.close();
    }
    await rawSocket(url).then((raw) => raw.socket.close());
    // Any other page — even one the list allows in required mode — and the opaque `null` origin are refused.
    for (const origin of ['https://evil.example', 'https://app.example.com', 'null', 'http://127.0.0.1.evil.example']) {
      await expect(rawSocket(url, { headers: { origin } }), origin).rejects.toThrow(/403/);
    }
  });

  it('required mode: only the configured origins may upgrade, or any with *', async () => {
    await start({ origins: { devMode: false, allowed: ['https://app.example.com'] } });
    await rawSocket(url, { headers: { origin: 'https://app.example.com' } }).then((raw) => raw.socket.close());
    await rawSocket(url).then((raw) => raw.socket.close());
    for (const origin of ['http://localhost:3000', 'https://app.example.com.evil.example', 'http://app.example.com']) {
      await expect(rawSocket(url, { headers: { origin } }), origin).rejects.toThrow(/403/);
    }
    await subscriptions.close(200);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await start({ origins: { devMode: false, allowed: ['*'] } });
    await rawSocket(url, { headers: { origin: 'https://anything.example' } }).then((raw) => raw.socket.close());
  });

  it('resync (after a bus outage) sends snapshot subscriptions their state again when it is newer', async () => {
    const result = (v: number) => createOutgoingResult({ data: { stockChanged: { sku: `k@${v}` } } });
    let version = 5;
    await start({}, async () => [{ key: 'k', version, result: result(version) }]);
    const raw = await rawSocket(url);
    raw.send({ type: 'connection_init', payload: { authorization: 'Bearer good' } });
    await raw.acked();
    raw.send({ id: '1', type: 'subscribe', payload: { query: 'subscription { stockChanged(skus: ["k"], snapshot: true) { sku } }' } });
    raw.send({ id: '2', type: 'subscribe', payload: { query: 'subscription { stockChanged { sku } }' } }); // no snapshot: not re-read
    await waitFor(() => raw.messages.filter((m) => m.type === 'next').length === 1, 'the snapshot');
    expect(await subscriptions.resync()).toBe(1); // unchanged state: nothing new is sent
    version = 8; // changes happened while the bus was down
    expect(await subscriptions.resync()).toBe(1);
    await waitFor(() => raw.messages.filter((m) => m.type === 'next').length === 2, 'the newer state');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(raw.messages.filter((m) => m.type === 'next').map((m) => [m.id, m.payload.data.stockChanged.sku])).toEqual([['1', 'k@5'], ['1', 'k@8']]);
    raw.socket.close();
  });
});
