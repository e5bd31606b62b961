import { Pool } from 'undici';

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** Connections kept open to each subgraph origin (GATEWAY_SUBGRAPH_POOL=on). */
const CONNECTIONS_PER_ORIGIN = 64;

/**
 * Subgraph fetches over one keep-alive undici Pool per subgraph origin, dispatched directly rather than through
 * WHATWG `fetch` or `request()`: no Request/Response objects, no web or Node streams, one buffered body.
 * @apollo/gateway reads only `ok`, `status`, `statusText`, `url`, `headers.get`, `json()` and `text()` of what its fetcher returns
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
  // The gateway sends to a handful of subgraph URLs: each parsed once.
  const targets = new Map<string, { pool: Pool; path: string }>();
  const targetOf = (input: string) => {
    let target = targets.get(input);
    if (target === undefined) {
      const url = new URL(input);
      target = { pool: poolOf(url.origin), path: `${url.pathname}${url.search}` };
      targets.set(input, target);
    }
    return target;
  };
  const pooled = (input: string, init: RequestInit): Promise<Response> => {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const { pool, path } = targetOf(input);
    // A raw dispatch handler rather than `request()`: the answer is collected as buffers and decoded once, without a
    // Readable stream per fetch (its reads, resumes and events were ~5 % of the gateway's busy time, issue 15).
    return new Promise<Response>((resolve, reject) => {
      let abort: ((error?: Error) => void) | undefined;
      let status = 0;
      let rawHeaders: Buffer[] = [];
      const chunks: Buffer[] = [];
      let settled = false;
      const onAbort = () => abort?.(signal!.reason as Error);
      const done = (error: Error | undefined) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (error !== undefined) {
          reject(signal?.aborted ? signal.reason : error);
          return;
        }
        const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
        let headers: Record<string, string> | undefined;
        const header = (name: string): string | null => {
          if (headers === undefined) {
            headers = {};
            for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
              const key = rawHeaders[i]!.toString('latin1').toLowerCase();
              const value = rawHeaders[i + 1]!.toString('latin1');
              headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
            }
          }
          return headers[name.toLowerCase()] ?? null;
        };
        resolve({
          ok: status >= 200 && status < 300,
          status,
          statusText: '',
          url: input,
          headers: { get: header },
          text: async () => text,
          json: async () => JSON.parse(text) as unknown,
        } as unknown as Response);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      pool.dispatch(
        { method: (init.method ?? 'POST') as 'POST', path, headers: init.headers as Record<string, string>, body: init.body as string },
        {
          onConnect(abortRequest) {
            abort = abortRequest;
            if (signal?.aborted) abortRequest(signal.reason as Error);
          },
          onHeaders(statusCode, headers) {
            status = statusCode;
            rawHeaders = headers;
            return true;
          },
          onData(chunk) {
            chunks.push(chunk);
            return true;
          },
          onComplete() {
            done(undefined);
          },
          onError(error) {
            done(error);
          },
        },
      );
    });
  };
  return Object.assign(pooled, { close: async () => void (await Promise.all([...pools.values()].map((p) => p.destroy().catch(() => undefined)))) });
}
