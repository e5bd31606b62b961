/**
 * Test support only: a throwaway node:http server on a random port that records what arrived on the wire,
 * for the REST layer's tests. Not imported by production code.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGzip } from 'node:zlib';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface LocalServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export type Handler = (req: RecordedRequest, res: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

export async function startLocalServer(handler: Handler): Promise<LocalServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (raw, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of raw as AsyncIterable<Buffer>) chunks.push(chunk);
    const recorded = { method: raw.method ?? '', url: raw.url ?? '', headers: raw.headers, body: Buffer.concat(chunks).toString('utf8') };
    requests.push(recorded);
    try {
      await handler(recorded, res, raw);
    } catch (error) {
      if (!res.headersSent) res.writeHead(599).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(text);
}

export interface EndlessBody {
  /** Bytes the body would have in all (before compression). */
  readonly totalBytes: number;
  /** Repeated to fill the body. @default 64 KiB of spaces (JSON whitespace) */
  readonly chunk?: Buffer;
  /** Declare the (uncompressed) length in Content-Length; chunked otherwise. @default false */
  readonly declareLength?: boolean;
  /** gzip it on the wire (Content-Encoding: gzip): a compression bomb, since repeated chunks compress ~1000:1. */
  readonly gzip?: boolean;
  readonly status?: number;
  /** Written first, e.g. `{"items":[`. */
  readonly prefix?: string;
}

/**
 * A hostile answer: `totalBytes` produced lazily, honouring back-pressure, so the test process never holds it; it
 * stops when the client goes away. Resolves with the bytes written into the (uncompressed) body.
 */
export async function streamEndlessBody(res: ServerResponse, body: EndlessBody): Promise<number> {
  const chunk = body.chunk ?? Buffer.alloc(64 * 1024, 0x20);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (body.declareLength) headers['content-length'] = String(body.totalBytes);
  if (body.gzip) headers['content-encoding'] = 'gzip';
  res.writeHead(body.status ?? 200, headers);
  const gzip = body.gzip ? createGzip() : undefined;
  if (gzip) gzip.pipe(res);
  const sink = gzip ?? res;
  let gone = false;
  const closed = new Promise<void>((resolve) =>
    res.once('close', () => {
      gone = true;
      gzip?.destroy();
      resolve();
    }),
  );
  let written = 0;
  const write = async (data: Buffer) => {
    written += data.byteLength;
    if (!sink.write(data)) await Promise.race([once(sink, 'drain').catch(() => undefined), closed]);
  };
  if (body.prefix) await write(Buffer.from(body.prefix));
  while (!gone && written < body.totalBytes) await write(chunk.subarray(0, Math.min(chunk.byteLength, body.totalBytes - written)));
  if (!gone) sink.end();
  return written;
}
