/**
 * Issue 14, points 4 and 5, for GraphQL suppliers: the client read answers whole (`response.text()`), and put the
 * supplier's GraphQL error codes into the RegistryError message ("… answered with GraphQL errors (<codes>)") — a
 * 1 MB code reached clients. Now bodies are read bounded per operation (CONTRACT_VIOLATION `answer-too-large`,
 * error bodies past 64 KiB left unread), and the supplier's codes and messages are in details only, cleaned and
 * clipped. Real local HTTP servers on port 0.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { answerLimits, DEFAULT_MAX_ANSWER_BYTES } from '../core/answer-cap.ts';
import { isRegistryError, type RegistryError } from '../../kernel/errors.ts';
import { startLocalServer, streamEndlessBody, type Handler, type LocalServer } from '../rest/local-test-server.ts';
import { createGraphqlClient, type GraphqlClientOptions } from './client.ts';
import { MAX_SUPPLIER_CODES, userErrorsError } from './errors.ts';

const MB = 1024 * 1024;
const shopSchema = z.object({ shop: z.object({ name: z.string() }) });
let server: LocalServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(handler: Handler, extra: Partial<GraphqlClientOptions> = {}) {
  server = await startLocalServer(handler);
  const client = createGraphqlClient({ endpoint: `${server.url}/graphql.json`, supplier: 'testshop', ...extra });
  return (operation = 'health') =>
    client.request({ query: 'query Shop { shop { name } }', operationName: 'Shop', schema: shopSchema, signal: AbortSignal.timeout(20_000), operation });
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

async function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ outcome: T; growth: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const outcome = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { outcome, growth: peak - before };
  } finally {
    clearInterval(sampler);
  }
}

const raw = (status: number, body: Buffer | string): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(body);
};

const hostile = (filler: number): string => `BAD<script>alert(1)</script>\\u0000\\u202E${'z'.repeat(filler)}`;
const UNPRINTABLE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\uFFFD]/;

describe('graphql answers are read bounded', () => {
  beforeAll(async () => {
    // Warm up fetch, zlib and the JIT once, so the RSS figures measure the answer, not first-use costs.
    const call = await clientFor((_, res) => void streamEndlessBody(res, { totalBytes: 16 * MB, gzip: true, prefix: '{"data":{"x":"' }));
    expect((await failure(call())).details?.['reason']).toBe('answer-too-large');
    await server!.close();
    server = undefined;
  });

  it.each([
    ['chunked', { gzip: false }],
    ['gzip-compressed', { gzip: true }],
  ])('refuses a 200 MB %s answer at the default cap; RSS grows far below the attack size', { timeout: 30_000 }, async (_, { gzip }) => {
    let sent: Promise<number> = Promise.resolve(0);
    const call = await clientFor((_req, res) => void (sent = streamEndlessBody(res, { totalBytes: 200 * MB, gzip, prefix: '{"data":{"shop":{"name":"' })));
    const { outcome: error, growth } = await peakRssGrowth(() => failure(call()));
    expect(error.code).toBe('CONTRACT_VIOLATION');
    expect(error.details).toMatchObject({ reason: 'answer-too-large', maxBytes: DEFAULT_MAX_ANSWER_BYTES });
    expect(error.message).toBe(`testshop Shop: answer larger than ${DEFAULT_MAX_ANSWER_BYTES} bytes, not read further`);
    expect(growth).toBeLessThan(64 * MB);
    expect(await sent).toBeLessThan(100 * MB);
  });

  it('refuses a declared Content-Length over the operation cap before reading, and keeps other operations at theirs', async () => {
    const body = JSON.stringify({ data: { shop: { name: 'n'.repeat(5000) } } });
    const call = await clientFor(raw(200, body), { answerLimits: answerLimits(DEFAULT_MAX_ANSWER_BYTES, { getStock: 4096 }) });
    const error = await failure(call('getStock'));
    expect(error.details).toEqual({ reason: 'answer-too-large', maxBytes: 4096, seenBytes: Buffer.byteLength(body) });
    expect((await call('listCatalog')).data.shop.name).toHaveLength(5000);
  });

  it('refuses an answer under the cap that would cost seconds of parsing (thousands of errors or of nodes) before parsing it', async () => {
    const answers = [`{"errors":[${Array(400_000).fill('{"message":""}').join(',')}]}`, `{"data":${'['.repeat(MB)}${']'.repeat(MB)}}`];
    const call = await clientFor((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(answers.shift()!));
    const wide = await failure(call());
    expect(wide.details).toEqual({ reason: 'answer-too-complex', limit: 'too-many-values', maxValues: 10_000, maxDepth: 64 });
    expect(wide.message).toBe('testshop Shop: answer more than 10000 values, not parsed');
    expect((await failure(call())).details).toMatchObject({ reason: 'answer-too-complex', limit: 'too-deep' });
  });

  it('leaves an error body past 64 KiB unread: the HTTP status decides', async () => {
    let sent: Promise<number> = Promise.resolve(0);
    const call = await clientFor((_req, res) => void (sent = streamEndlessBody(res, { status: 503, totalBytes: 200 * MB, prefix: '{"errors":"' })));
    const error = await failure(call());
    expect(error.code).toBe('SUPPLIER_UNAVAILABLE');
    expect(error.details).toEqual({ status: 503 });
    expect(await sent).toBeLessThan(40 * MB);
  });
});

describe('graphql supplier text stays out of RegistryError messages', () => {
  it('a 1 MB error code with markup, NUL, bidi and invalid UTF-8 in errors[].extensions.code: our message, cleaned codes in details', async () => {
    const body = Buffer.concat([
      Buffer.from(`{"errors":[{"message":"${hostile(300_000)}","extensions":{"code":"${hostile(MB)}"}}`),
      Buffer.from(`,{"message":"m","extensions":{"code":"`),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from(`THROTTLED"}}],"data":null}`),
    ]);
    const call = await clientFor(raw(200, body));
    const error = await failure(call());
    expect(error.code).toBe('SUPPLIER_REJECTED');
    expect(error.message).toBe('testshop Shop answered with GraphQL errors');
    const { supplierCodes, supplierMessage } = error.details as { supplierCodes: string[]; supplierMessage: string };
    expect(supplierCodes).toHaveLength(2);
    expect(supplierCodes[0]!.startsWith('BAD<script>alert(1)</script> zzz')).toBe(true);
    expect(supplierCodes[0]!.length).toBeLessThanOrEqual(100);
    // Invalid UTF-8 around a known code: not that code any more (not throttled), and the bytes are gone.
    expect(supplierCodes[1]).toBe('( THROTTLED');
    expect(supplierMessage.length).toBeLessThanOrEqual(200);
    expect(supplierCodes.join('') + supplierMessage).not.toMatch(UNPRINTABLE);
  });

  it('keeps at most MAX_SUPPLIER_CODES distinct codes from an answer with a thousand errors', async () => {
    const errors = Array.from({ length: 1000 }, (_, i) => ({ message: 'x', extensions: { code: `CODE_${i}` } }));
    const call = await clientFor(raw(200, JSON.stringify({ errors, data: null })));
    const error = await failure(call());
    expect(error.details?.['supplierCodes']).toHaveLength(MAX_SUPPLIER_CODES);
    expect(error.message).toBe('testshop Shop answered with GraphQL errors');
  });

  it('an HTTP error body `errors` string with markup and NUL: our message, the cleaned line in details', async () => {
    const call = await clientFor(raw(401, `{"errors":"${hostile(50_000)}"}`));
    const error = await failure(call());
    expect(error.code).toBe('MISCONFIGURED');
    expect(error.message).toBe('testshop Shop answered HTTP 401');
    const line = error.details?.['supplierMessage'] as string;
    expect(line.startsWith('BAD<script>alert(1)</script> zzz')).toBe(true);
    expect(line.length).toBeLessThanOrEqual(200);
    expect(line).not.toMatch(UNPRINTABLE);
  });

  it('mutation userErrors: the message is ours, the supplier messages, codes and fields are cleaned details', () => {
    const text = (filler: number) => `BAD<script>alert(1)</script>\u0000\u202E\uD800${'z'.repeat(filler)}`;
    const userErrors = [{ field: [text(10_000)], message: text(MB), code: text(MB) }];
    const error = userErrorsError(userErrors, { supplier: 'testshop', operation: 'placeOrder', operationName: 'OrderCreate' });
    expect(error.message).toBe('testshop OrderCreate refused the request (userErrors)');
    const details = error.details as { supplierCodes: string[]; supplierMessage: string; fields: string[] };
    expect(details.supplierCodes[0]!.length).toBeLessThanOrEqual(100);
    expect(details.supplierMessage.length).toBeLessThanOrEqual(200);
    expect(details.fields[0]!.length).toBeLessThanOrEqual(100);
    for (const value of [details.supplierCodes[0], details.supplierMessage, details.fields[0]]) {
      expect(value!.startsWith('BAD<script>alert(1)</script> zzz')).toBe(true);
      expect(value).not.toMatch(UNPRINTABLE);
    }
  });
});
