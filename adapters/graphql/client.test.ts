import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isRegistryError, type RegistryError } from '../../kernel/errors.ts';
import { createGraphqlClient } from './client.ts';
import { userErrorsError } from './errors.ts';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

let server: Server | undefined;

/** A fake upstream on a random port; each test scripts its answer. */
async function upstream(handler: Handler): Promise<string> {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql.json`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const reply = (status: number, body: unknown, headers: Record<string, string> = {}): Handler => (_req, _body, res) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(typeof body === 'string' ? body : JSON.stringify(body));
};

const costExt = (requestedQueryCost: number, currentlyAvailable: number) => ({
  cost: { requestedQueryCost, actualQueryCost: null, throttleStatus: { maximumAvailable: 1000, currentlyAvailable, restoreRate: 50 } },
});

const shopSchema = z.object({ shop: z.object({ name: z.string() }) });

async function run(endpoint: string, signal: AbortSignal = new AbortController().signal) {
  const client = createGraphqlClient({ endpoint, supplier: 'testshop', headers: { 'X-Shopify-Access-Token': 'shpat_secret' } });
  return client.request({ query: 'query Shop { shop { name } }', operationName: 'Shop', schema: shopSchema, signal, operation: 'health' });
}

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

describe('graphql client: the wire', () => {
  it('POSTs query, operation name and variables with the auth header, and returns validated data and cost', async () => {
    let seen: { method?: string; headers?: IncomingMessage['headers']; body?: unknown } = {};
    const endpoint = await upstream((req, body, res) => {
      seen = { method: req.method, headers: req.headers, body: JSON.parse(body) };
      reply(200, { data: { shop: { name: 'maplecart', extra: 1 } }, extensions: costExt(1, 999) })(req, body, res);
    });
    const client = createGraphqlClient({ endpoint, supplier: 'testshop', headers: { 'X-Shopify-Access-Token': 'shpat_secret' } });
    expect(client.throttleStatus()).toBeNull();
    const result = await client.request({
      query: 'query Shop($x: Int) { shop { name } }',
      operationName: 'Shop',
      variables: { x: 1 },
      schema: shopSchema,
      signal: new AbortController().signal,
      operation: 'health',
    });
    expect(result.data).toEqual({ shop: { name: 'maplecart' } });
    expect(result.cost?.throttleStatus.currentlyAvailable).toBe(999);
    expect(seen.method).toBe('POST');
    expect(seen.headers?.['x-shopify-access-token']).toBe('shpat_secret');
    expect(seen.headers?.['content-type']).toBe('application/json');
    expect(seen.body).toEqual({ query: 'query Shop($x: Int) { shop { name } }', operationName: 'Shop', variables: { x: 1 } });
    expect(client.throttleStatus()).toMatchObject({ maximumAvailable: 1000, currentlyAvailable: 999, restoreRate: 50, observedAt: expect.any(Number) });
  });

  it('does not follow a redirect, so the token never reaches another host', async () => {
    let hits = 0;
    const endpoint = await upstream((req, body, res) => {
      hits += 1;
      reply(302, '', { Location: 'http://127.0.0.1:9/elsewhere' })(req, body, res);
    });
    const error = await failure(run(endpoint));
    expect(error.code).toBe('CONTRACT_VIOLATION');
    expect(hits).toBe(1);
  });
});

describe('graphql client: HTTP outcomes', () => {
  it.each([
    [401, 'MISCONFIGURED'],
    [403, 'MISCONFIGURED'],
    [404, 'MISCONFIGURED'],
    [400, 'SUPPLIER_REJECTED'],
    [422, 'SUPPLIER_REJECTED'],
    [500, 'SUPPLIER_UNAVAILABLE'],
    [503, 'SUPPLIER_UNAVAILABLE'],
  ])('maps HTTP %i to %s', async (status, code) => {
    const endpoint = await upstream(reply(status, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' }));
    const error = await failure(run(endpoint));
    expect(error.code).toBe(code);
    expect(error.details?.['status']).toBe(status);
    expect(error.message).not.toContain('shpat_secret');
  });

  it('keeps the supplier message of a JSON error body', async () => {
    const endpoint = await upstream(reply(401, { errors: '[API] Invalid API key' }));
    expect((await failure(run(endpoint))).details?.['supplierMessage']).toBe('[API] Invalid API key');
  });

  it('maps an HTML 502 to SUPPLIER_UNAVAILABLE without echoing markup', async () => {
    const endpoint = await upstream((_req, _body, res) => res.writeHead(502, { 'Content-Type': 'text/html' }).end('<html><h1>502 Bad Gateway</h1></html>'));
    const error = await failure(run(endpoint));
    expect(error.code).toBe('SUPPLIER_UNAVAILABLE');
    expect(error.details?.['supplierMessage']).toBeUndefined();
  });

  it('maps HTTP 429 to SUPPLIER_THROTTLED with Retry-After', async () => {
    const endpoint = await upstream(reply(429, { errors: 'Exceeded 2 calls per second for api client.' }, { 'Retry-After': '2' }));
    const error = await failure(run(endpoint));
    expect(error.code).toBe('SUPPLIER_THROTTLED');
    expect(error.retryAfterMs).toBe(2_000);
  });

  it('maps a destroyed socket to SUPPLIER_UNAVAILABLE', async () => {
    const endpoint = await upstream((req) => req.socket.destroy());
    expect((await failure(run(endpoint))).code).toBe('SUPPLIER_UNAVAILABLE');
  });

  it('maps the caller abort to CALL_ABORTED promptly', async () => {
    const endpoint = await upstream(() => undefined); // never answers
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    expect((await failure(run(endpoint, controller.signal))).code).toBe('CALL_ABORTED');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('graphql client: GraphQL outcomes', () => {
  it('maps THROTTLED to SUPPLIER_THROTTLED with the wait computed from extensions.cost', async () => {
    const endpoint = await upstream(reply(200, { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }], extensions: costExt(802, 100) }));
    const client = createGraphqlClient({ endpoint, supplier: 'testshop' });
    const error = await failure(client.request({ query: '{ shop { name } }', operationName: 'Shop', schema: shopSchema, signal: new AbortController().signal, operation: 'getStock' }));
    expect(error.code).toBe('SUPPLIER_THROTTLED');
    expect(error.retryAfterMs).toBe(14_040);
    // A throttled answer still reports the bucket, and a rate adapter needs it most then.
    expect(client.throttleStatus()?.currentlyAvailable).toBe(100);
  });

  it('prefers a longer Retry-After header over the cost arithmetic on THROTTLED', async () => {
    const endpoint = await upstream(reply(200, { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }], extensions: costExt(5, 1000) }, { 'Retry-After': '1' }));
    expect((await failure(run(endpoint))).retryAfterMs).toBe(1_000);
  });

  it.each([
    ['BAD_REQUEST', 'SUPPLIER_REJECTED'],
    ['MAX_COST_EXCEEDED', 'SUPPLIER_REJECTED'],
    ['NOT_FOUND', 'SUPPLIER_NOT_FOUND'],
    ['ACCESS_DENIED', 'MISCONFIGURED'],
    ['INTERNAL_SERVER_ERROR', 'SUPPLIER_UNAVAILABLE'],
  ])('maps GraphQL error code %s to %s', async (supplierCode, code) => {
    const endpoint = await upstream(reply(200, { data: null, errors: [{ message: 'nope', extensions: { code: supplierCode } }] }));
    const error = await failure(run(endpoint));
    expect(error.code).toBe(code);
    expect(error.details?.['supplierCodes']).toEqual([supplierCode]);
  });

  it('maps an uncoded GraphQL error (a validation failure) to SUPPLIER_REJECTED', async () => {
    const endpoint = await upstream(reply(200, { errors: [{ message: "Field 'nope' doesn't exist on type 'Shop'", locations: [{ line: 1, column: 9 }] }] }));
    expect((await failure(run(endpoint))).code).toBe('SUPPLIER_REJECTED');
  });

  it.each([
    ['a truncated body', '{"data":{"shop":{"na\u0000<<'],
    ['a body that is not a GraphQL response', '{"errors":"sometimes a string"}'],
    ['neither data nor errors', '{"extensions":{}}'],
    ['data of the wrong shape', '{"data":{"shop":{"name":42}}}'],
  ])('maps %s to CONTRACT_VIOLATION', async (_what, body) => {
    const endpoint = await upstream(reply(200, body));
    expect((await failure(run(endpoint))).code).toBe('CONTRACT_VIOLATION');
  });

  it('reports paths, never values, of a data mismatch', async () => {
    const endpoint = await upstream(reply(200, { data: { shop: { name: { secret: 'ada@example.com' } } } }));
    const error = await failure(run(endpoint));
    expect(error.details?.['issues']).toEqual([expect.stringMatching(/^shop\.name: /)]);
    expect(JSON.stringify(error.details)).not.toContain('ada@example.com');
  });
});

describe('graphql userErrors', () => {
  const ctx = { supplier: 'testshop', operation: 'placeOrder', operationName: 'OrderCreate' };

  it('maps userErrors that are all *NOT_FOUND to SUPPLIER_NOT_FOUND, anything else to SUPPLIER_REJECTED', () => {
    expect(userErrorsError([{ field: ['orderId'], message: 'Order does not exist', code: 'NOT_FOUND' }], ctx).code).toBe('SUPPLIER_NOT_FOUND');
    expect(userErrorsError([{ field: ['order', 'lineItems', '0', 'sku'], message: 'no variant', code: 'PRODUCT_VARIANT_NOT_FOUND' }], ctx).code).toBe('SUPPLIER_NOT_FOUND');
    const mixed = userErrorsError(
      [
        { field: ['order', 'lineItems', '0', 'sku'], message: 'no variant', code: 'PRODUCT_VARIANT_NOT_FOUND' },
        { field: ['order', 'lineItems', '1', 'quantity'], message: 'Quantity must be greater than 0', code: 'INVALID' },
      ],
      ctx,
    );
    expect(mixed.code).toBe('SUPPLIER_REJECTED');
    expect(mixed.errorClass).toBe('logical');
    // The supplier's words stay in details (the first message, cleaned); the message is ours.
    expect(mixed.details).toEqual({ supplierCodes: ['PRODUCT_VARIANT_NOT_FOUND', 'INVALID'], supplierMessage: 'no variant', fields: ['order.lineItems.0.sku', 'order.lineItems.1.quantity'] });
    expect(mixed.message).toBe('testshop OrderCreate refused the request (userErrors)');
    expect(userErrorsError([{ message: 'Something', field: null, code: null }], ctx).code).toBe('SUPPLIER_REJECTED');
  });
});
