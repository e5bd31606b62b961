import { Pool } from 'undici';

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** Connections kept open to each subgraph origin (GATEWAY_SUBGRAPH_POOL=on). */
const CONNECTIONS_PER_ORIGIN = 64;

/**
 * Subgraph fetches over one keep-alive undici Pool per subgraph origin, through undici's `request` rather than
 * WHATWG `fetch`: no Request/Response objects, no web streams, one buffered body. @apollo/gateway reads only
 * `ok`, `status`, `statusText`, `url`, `headers.get`, `json()` and `text()` of what its fetcher returns
 * (RemoteGraphQLDataSource.sendRequest), so that is all the answer has. A fetch aborted by its signal fails with
 * the signal's reason, as `fetch` does (subgraph-fetch.ts tells a timeout from a refused connection by it).
 */
export function createPooledFetch(): Fetch & { close(): Promise<void> } {
  const pools = new Map<string, Pool>();
  const poolOf = (origin: string): Pool => {
    let pool = pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(origin, { connections: CONNECTIONS_PER_ORIGIN, keepAliveTimeout: 30_000, pipelining: 1 });
      pools.set(origin, pool);
    }
    return pool;
  };
  const pooled = async (input: string, init: RequestInit): Promise<Response> => {
    const url = new URL(input);
    const signal = init.signal ?? undefined;
    try {
      const answer = await poolOf(url.origin).request({
        method: (init.method ?? 'POST') as 'POST',
        path: `${url.pathname}${url.search}`,
        headers: init.headers as Record<string, string>,
        body: init.body as string,
        ...(signal ? { signal } : {}),
      });
      const text = await answer.body.text();
      const header = (name: string): string | null => {
        const value = answer.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      };
      return {
        ok: answer.statusCode >= 200 && answer.statusCode < 300,
        status: answer.statusCode,
        statusText: '',
        url: input,
        headers: { get: header },
        text: async () => text,
        json: async () => JSON.parse(text) as unknown,
      } as unknown as Response;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw error;
    }
  };
  return Object.assign(pooled, { close: async () => void (await Promise.all([...pools.values()].map((p) => p.destroy().catch(() => undefined)))) });
}
