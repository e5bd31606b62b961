import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isRegistryError, type RegistryError } from '../../kernel/errors.ts';
import { createJsonClient, type JsonClientOptions, type RequestAuth } from './json-client.ts';
import { json, startLocalServer, type Handler, type LocalServer } from './local-test-server.ts';

const Thing = z.object({ id: z.string(), count: z.number().int() });
let server: LocalServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(handler: Handler, extra: Partial<JsonClientOptions> = {}) {
  server = await startLocalServer(handler);
  return createJsonClient({ baseUrl: `${server.url}/api/`, supplier: 'acme', readError: (b) => (b as { error: { code: string } }).error, ...extra });
}

const get = (signal = new AbortController().signal) => ({ method: 'GET' as const, path: '/things/1', schema: Thing, signal, operation: 'getThing' });

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(isRegistryError(error), String(error)).toBe(true);
  return error as RegistryError;
}

describe('createJsonClient', () => {
  it('sends JSON with the auth headers and a query, under the base path, and returns the validated body', async () => {
    const auth: RequestAuth = { headers: async () => ({ authorization: 'Bearer t1' }), refresh: async () => false };
    const client = await clientFor((_, res) => json(res, 200, { id: 'x', count: 2, extra: true }), { auth });
    const result = await client.request({ ...get(), method: 'POST', path: '/things', query: { a: 'b c', skip: undefined, n: 3 }, body: { q: [1] } });
    expect(result).toEqual({ id: 'x', count: 2 });
    const [req] = server!.requests;
    expect(req).toMatchObject({ method: 'POST', url: '/api/things?a=b+c&n=3', body: '{"q":[1]}' });
    expect(req!.headers).toMatchObject({ authorization: 'Bearer t1', 'content-type': 'application/json', accept: 'application/json' });
  });

  it.each([
    [429, 'SUPPLIER_THROTTLED', 'transient'],
    [500, 'SUPPLIER_UNAVAILABLE', 'transient'],
    [502, 'SUPPLIER_UNAVAILABLE', 'transient'],
    [503, 'SUPPLIER_UNAVAILABLE', 'transient'],
    [401, 'MISCONFIGURED', 'critical'],
    [403, 'MISCONFIGURED', 'critical'],
    [404, 'SUPPLIER_NOT_FOUND', 'logical'],
    [400, 'SUPPLIER_REJECTED', 'logical'],
    [409, 'SUPPLIER_REJECTED', 'logical'],
    [422, 'SUPPLIER_REJECTED', 'logical'],
  ])('maps HTTP %i to %s', async (status, code, errorClass) => {
    const client = await clientFor((_, res) => json(res, status, { error: { code: `E${status}`, message: 'nope' } }));
    const error = await failure(client.request(get()));
    expect({ code: error.code, errorClass: error.errorClass, supplier: error.supplier, operation: error.operation }).toEqual({
      code,
      errorClass,
      supplier: 'acme',
      operation: 'getThing',
    });
    expect(error.details).toMatchObject({ status, supplierCode: `E${status}`, supplierMessage: 'nope' });
  });

  it('carries Retry-After in seconds or as an HTTP date on a 429', async () => {
    let answer = 0;
    const client = await clientFor((_, res) => {
      answer += 1;
      const retryAfter = answer === 1 ? '3' : new Date(Date.now() + 10_000).toUTCString();
      json(res, 429, { error: { code: 'RATE_LIMITED' } }, { 'retry-after': retryAfter });
    });
    expect((await failure(client.request(get()))).retryAfterMs).toBe(3_000);
    const fromDate = (await failure(client.request(get()))).retryAfterMs!;
    // HTTP dates have one-second resolution.
    expect(fromDate).toBeGreaterThan(8_000);
    expect(fromDate).toBeLessThanOrEqual(10_000);
  });

  it('keeps the HTTP error when the error body is not what the reader expects', async () => {
    const client = await clientFor((_, res) => json(res, 502, '<html>Bad gateway</html>'), { readError: () => { throw new Error('reader broke'); } });
    const error = await failure(client.request(get()));
    expect(error.code).toBe('SUPPLIER_UNAVAILABLE');
    expect(error.details).toEqual({ status: 502 });
  });

  it('reports an unparseable 200 body as a contract violation', async () => {
    const client = await clientFor((_, res) => json(res, 200, '{"id":"x","cou'));
    const error = await failure(client.request(get()));
    expect({ code: error.code, errorClass: error.errorClass }).toEqual({ code: 'CONTRACT_VIOLATION', errorClass: 'critical' });
  });

  it('reports a 200 body of the wrong shape as a contract violation, naming paths but not values', async () => {
    const client = await clientFor((_, res) => json(res, 200, { id: 'secret-value', count: 'many' }));
    const error = await failure(client.request(get()));
    expect(error.code).toBe('CONTRACT_VIOLATION');
    expect(error.details?.['issues']).toEqual([expect.stringMatching(/^count: /)]);
    expect(JSON.stringify(error.details)).not.toContain('secret-value');
  });

  it('does not follow redirects (they would carry our credentials elsewhere)', async () => {
    const client = await clientFor((req, res) => {
      if (req.url.startsWith('/api/')) res.writeHead(302, { location: '/elsewhere' }).end();
      else json(res, 200, { id: 'x', count: 1 });
    });
    const error = await failure(client.request(get()));
    expect(error.code).toBe('CONTRACT_VIOLATION');
    expect(server!.requests).toHaveLength(1);
  });

  it('maps a refused connection and a dropped socket to SUPPLIER_UNAVAILABLE', async () => {
    const dropping = await clientFor((_, __, raw) => void raw.socket.destroy());
    expect((await failure(dropping.request(get()))).code).toBe('SUPPLIER_UNAVAILABLE');
    const deadUrl = server!.url;
    await server!.close();
    server = undefined;
    const refused = createJsonClient({ baseUrl: deadUrl, supplier: 'acme' });
    const error = await failure(refused.request(get()));
    expect(error.code).toBe('SUPPLIER_UNAVAILABLE');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('maps a caller abort to CALL_ABORTED promptly, even mid-request', async () => {
    const client = await clientFor(async (_, res) => {
      await new Promise((r) => setTimeout(r, 2_000));
      json(res, 200, { id: 'x', count: 1 });
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const error = await failure(client.request(get(controller.signal)));
    expect(error.code).toBe('CALL_ABORTED');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('after a 401, asks the auth provider once and retries that request once with fresh headers', async () => {
    let token = 'old';
    const refreshed: Record<string, string>[] = [];
    const auth: RequestAuth = {
      headers: async () => ({ authorization: `Bearer ${token}` }),
      refresh: async (rejected) => {
        refreshed.push({ ...rejected });
        token = 'new';
        return true;
      },
    };
    const client = await clientFor((req, res) => (req.headers.authorization === 'Bearer new' ? json(res, 200, { id: 'x', count: 1 }) : json(res, 401, { error: { code: 'INVALID_TOKEN' } })), { auth });
    await expect(client.request(get())).resolves.toEqual({ id: 'x', count: 1 });
    expect(refreshed).toEqual([{ authorization: 'Bearer old' }]);
    expect(server!.requests.map((r) => r.headers.authorization)).toEqual(['Bearer old', 'Bearer new']);
  });

  it('gives up with MISCONFIGURED when the fresh credentials are refused too', async () => {
    let refreshes = 0;
    const auth: RequestAuth = { headers: async () => ({ authorization: 'Bearer never' }), refresh: async () => (refreshes++, true) };
    const client = await clientFor((_, res) => json(res, 401, { error: { code: 'INVALID_TOKEN' } }), { auth });
    expect((await failure(client.request(get()))).code).toBe('MISCONFIGURED');
    expect(refreshes).toBe(1);
    expect(server!.requests).toHaveLength(2);
  });
});
