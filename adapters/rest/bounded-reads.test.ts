/**
 * Issue 14, point 4: a REST supplier's answer was read whole (`response.text()`): a 200 MB answer took the process
 * to 1.4 GB. Now every body is read as a stream and abandoned past its operation's cap — with or without a
 * Content-Length, gzip-compressed or not — as CONTRACT_VIOLATION `answer-too-large`; error bodies past 64 KiB are
 * left unread and the HTTP status alone decides the error.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { answerLimits, DEFAULT_MAX_ANSWER_BYTES, MAX_ERROR_ANSWER_BYTES } from '../core/answer-cap.ts';
import { isRegistryError, type RegistryError } from '../../kernel/errors.ts';
import { createJsonClient, type JsonClientOptions } from './json-client.ts';
import { json, startLocalServer, streamEndlessBody, type Handler, type LocalServer } from './local-test-server.ts';

const MB = 1024 * 1024;
const Items = z.object({ items: z.array(z.string()) });
let server: LocalServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(handler: Handler, extra: Partial<JsonClientOptions> = {}) {
  server = await startLocalServer(handler);
  return createJsonClient({ baseUrl: server.url, supplier: 'acme', readError: (b) => (b as { error: { code: string } }).error, ...extra });
}

const get = (operation = 'getStock') => ({ method: 'GET' as const, path: '/v1/items', schema: Items, signal: AbortSignal.timeout(20_000), operation });

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

/** Runs `work` while sampling RSS every 5 ms; resolves with its outcome and the peak RSS growth in bytes. */
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

/** A JSON answer of exactly `bytes` bytes that matches Items. */
const answerOf = (bytes: number): string => {
  const shell = '{"items":[""]}';
  return `{"items":["${'x'.repeat(bytes - shell.length)}"]}`;
};

describe('REST answers are read bounded', () => {
  beforeAll(async () => {
    // Warm up fetch, zlib and the JIT once, so the RSS figures below measure the answer, not first-use costs.
    const client = await clientFor((_, res) => void streamEndlessBody(res, { totalBytes: 16 * MB, gzip: true, prefix: '{"items":["' }));
    expect((await failure(client.request(get()))).details?.['reason']).toBe('answer-too-large');
    await server!.close();
    server = undefined;
  });

  it('refuses a 200 MB streamed answer at the default cap (no Content-Length), reading ~8 MiB of it; RSS grows far below the attack size', { timeout: 30_000 }, async () => {
    let sent: Promise<number> = Promise.resolve(0);
    const client = await clientFor((_, res) => void (sent = streamEndlessBody(res, { totalBytes: 200 * MB, prefix: '{"items":["' })));
    const { outcome: error, growth } = await peakRssGrowth(() => failure(client.request(get())));
    expect(error.code).toBe('CONTRACT_VIOLATION');
    expect(error.details).toMatchObject({ reason: 'answer-too-large', maxBytes: DEFAULT_MAX_ANSWER_BYTES });
    expect(error.details?.['seenBytes']).toBeGreaterThan(DEFAULT_MAX_ANSWER_BYTES);
    expect(error.message).toBe(`acme GET /v1/items: answer larger than ${DEFAULT_MAX_ANSWER_BYTES} bytes, not read further`);
    expect(growth).toBeLessThan(64 * MB);
    // The client hung up: the server stopped producing long before 200 MB (socket buffers hold a few MB at most).
    expect(await sent).toBeLessThan(40 * MB);
  });

  it('refuses an answer whose Content-Length is over the cap before reading its body', async () => {
    let sent: Promise<number> = Promise.resolve(0);
    const client = await clientFor((_, res) => void (sent = streamEndlessBody(res, { totalBytes: 200 * MB, declareLength: true })));
    const error = await failure(client.request(get()));
    expect(error.details).toEqual({ reason: 'answer-too-large', maxBytes: DEFAULT_MAX_ANSWER_BYTES, seenBytes: 200 * MB });
    expect(await sent).toBeLessThan(40 * MB);
  });

  it('counts a gzip-compressed answer after decompression: a compression bomb is refused at the cap', { timeout: 30_000 }, async () => {
    let sent: Promise<number> = Promise.resolve(0);
    const client = await clientFor((_, res) => void (sent = streamEndlessBody(res, { totalBytes: 200 * MB, gzip: true, prefix: '{"items":["' })));
    const { outcome: error, growth } = await peakRssGrowth(() => failure(client.request(get())));
    expect(error.details).toMatchObject({ reason: 'answer-too-large', maxBytes: DEFAULT_MAX_ANSWER_BYTES });
    expect(growth).toBeLessThan(64 * MB);
    expect(await sent).toBeLessThan(100 * MB);
  });

  it('applies the cap of the operation asked (answerLimits): an answer one byte over is refused, one at the cap is read', async () => {
    const size = { value: 4096 };
    const client = await clientFor((_, res) => json(res, 200, answerOf(size.value)), { answerLimits: answerLimits(DEFAULT_MAX_ANSWER_BYTES, { getStock: 4096 }) });
    expect((await client.request(get('getStock'))).items[0]).toHaveLength(4096 - 14);
    size.value = 4097;
    const error = await failure(client.request(get('getStock')));
    expect(error.details).toEqual({ reason: 'answer-too-large', maxBytes: 4096, seenBytes: 4097 });
    expect(error.operation).toBe('getStock');
    // Another operation keeps the default.
    expect((await client.request(get('listCatalog'))).items).toHaveLength(1);
  });

  it('refuses an answer under the cap that would cost seconds of parsing (8 MiB of nesting, 1.3M empty objects) before parsing it', async () => {
    // JSON.parse alone took 0.6–0.8 s of CPU for these, and zod up to 8 s with every item invalid (bench/answer-parse.ts).
    const answers = ['['.repeat(4 * MB) + ']'.repeat(4 * MB), `{"items":[${Array(1_300_000).fill('{}').join(',')}]}`];
    const client = await clientFor((_, res) => json(res, 200, answers.shift()!));
    const deep = await failure(client.request(get()));
    expect(deep.code).toBe('CONTRACT_VIOLATION');
    expect(deep.details).toEqual({ reason: 'answer-too-complex', limit: 'too-deep', maxValues: 10_000, maxDepth: 64 });
    expect(deep.message).toBe('acme GET /v1/items: answer nested deeper than 64, not parsed');
    const wide = await failure(client.request(get()));
    expect(wide.details).toMatchObject({ reason: 'answer-too-complex', limit: 'too-many-values' });
  });

  it('leaves an error body over 64 KiB unread: the HTTP status decides, Retry-After still read', async () => {
    const hostileCode = 'E'.repeat(MB);
    const client = await clientFor((_, res) => json(res, 503, { error: { code: hostileCode } }, { 'retry-after': '7' }));
    const error = await failure(client.request(get()));
    expect(error.code).toBe('SUPPLIER_UNAVAILABLE');
    expect(error.retryAfterMs).toBe(7_000);
    expect(error.details).toEqual({ status: 503 });
    expect(error.message).toBe('acme GET /v1/items answered HTTP 503');
  });

  it('leaves a streamed error body unread past 64 KiB, chunked or gzip-compressed', async () => {
    for (const gzip of [false, true]) {
      let sent: Promise<number> = Promise.resolve(0);
      const client = await clientFor((_, res) => void (sent = streamEndlessBody(res, { status: 502, totalBytes: 200 * MB, gzip })));
      const error = await failure(client.request(get()));
      expect(error.code).toBe('SUPPLIER_UNAVAILABLE');
      expect(error.details).toEqual({ status: 502 });
      expect(await sent).toBeLessThan(40 * MB);
      await server!.close();
      server = undefined;
    }
    expect(MAX_ERROR_ANSWER_BYTES).toBe(64 * 1024);
  });
});
