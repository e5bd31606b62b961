/** graphql-ws clients for the subscription suites: the real client library, and a raw socket for close codes. */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export const wsUrlOf = (graphqlUrl: string): string => graphqlUrl.replace(/^http/, 'ws');

export interface Subscription<T = any> {
  readonly results: T[];
  readonly errors: unknown[];
  completed: boolean;
  /** Resolves with the n-th result (1-based), or rejects after timeoutMs. */
  nth(n: number, timeoutMs?: number): Promise<T>;
  /** Resolves once the server sent an error or completed it. */
  settled(timeoutMs?: number): Promise<void>;
  dispose(): void;
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function openClient(graphqlUrl: string, token?: string): Client & { closes: { code: number; reason: string }[] } {
  const closes: { code: number; reason: string }[] = [];
  const client = createClient({
    url: wsUrlOf(graphqlUrl),
    webSocketImpl: WebSocket,
    connectionParams: token === undefined ? {} : { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => void closes.push({ code: (event as { code: number; reason: unknown }).code, reason: String((event as { code: number; reason: unknown }).reason) }) },
  });
  return Object.assign(client, { closes });
}

/** Subscribes; the protocol has no per-subscription ack, so wait on the gateway's subscriber count before publishing. */
export function subscribe<T = any>(client: Client, query: string, variables: Record<string, unknown> = {}, extensions?: Record<string, unknown>): Subscription<T> {
  const sub: Subscription<T> = {
    results: [],
    errors: [],
    completed: false,
    nth: (n, timeoutMs = 10_000) => waitFor(() => sub.results.length >= n, `result #${n}`, timeoutMs).then(() => sub.results[n - 1]!),
    settled: (timeoutMs = 10_000) => waitFor(() => sub.completed || sub.errors.length > 0, 'the subscription to end', timeoutMs),
    dispose: () => {},
  };
  sub.dispose = client.subscribe<T>(
    { query, variables, ...(extensions ? { extensions } : {}) },
    { next: (value) => void sub.results.push(value as T), error: (error) => void sub.errors.push(error), complete: () => void (sub.completed = true) },
  );
  return sub;
}

/** A bare graphql-transport-ws socket: resolves when open; records messages and the close code. */
export async function rawSocket(graphqlUrl: string, options: { autoPong?: boolean; headers?: Record<string, string> } = {}) {
  const socket = new WebSocket(wsUrlOf(graphqlUrl), 'graphql-transport-ws', { autoPong: options.autoPong ?? true, ...(options.headers ? { headers: options.headers } : {}) });
  const messages: any[] = [];
  let closed: { code: number; reason: string } | undefined;
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  socket.on('close', (code, reason) => (closed = { code, reason: String(reason) }));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    messages,
    send: (message: unknown) => socket.send(JSON.stringify(message)),
    closed: async (timeoutMs = 5_000) => {
      await waitFor(() => closed !== undefined, 'the socket to close', timeoutMs);
      return closed!;
    },
    acked: () => waitFor(() => messages.some((m) => m.type === 'connection_ack'), 'connection_ack'),
  };
}
