/**
 * A supplier endpoint that turns hostile on a switch: a real node:http server on port 0 in front of the supplier's
 * bundled sandbox, configured in the suppliers file as that supplier's URL. Disarmed, it relays every request to
 * the sandbox, so the stack imports the catalog and serves offers through it like through any supplier (or a proxy
 * in front of one). Armed with an attack, the requests the attack matches get the attack's answer — often the
 * sandbox's real answer with one field made hostile, so everything but the attacked part follows the protocol.
 *
 * Large answers are streamed with back-pressure and stop when the client hangs up: a 200 MB answer costs this
 * process one chunk of memory, and `stats().bytesSent` tells how much the client actually took.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ExchangeView {
  readonly method: string;
  /** Path and query, as received. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface UpstreamAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
}

/** Writes one chunk; resolves false once the client has gone (stop producing then). */
export type ChunkWriter = (chunk: Buffer) => Promise<boolean>;

export interface HostileAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A whole body, or a producer streaming one (chunked, no content-length). */
  readonly body: string | Buffer | ((write: ChunkWriter) => Promise<void>);
}

export interface Attack {
  readonly name: string;
  /** The requests this attack answers; every other request is relayed untouched. */
  matches(request: ExchangeView): boolean;
  /** The hostile answer, built from the real one when it needs it; null relays the real answer after all. */
  answer(request: ExchangeView, upstream: () => Promise<UpstreamAnswer>): Promise<HostileAnswer | null>;
}

export interface HostileStats {
  /** Hostile answers started since the last reset. */
  readonly hostileAnswers: number;
  /** Bytes of hostile answers the client accepted (written before it hung up). */
  readonly bytesSent: number;
  /** Requests since the last reset, by path without query (relayed and hostile). */
  readonly requests: Readonly<Record<string, number>>;
}

export interface HostileServer {
  readonly url: string;
  arm(attack: Attack): void;
  disarm(): void;
  stats(): HostileStats;
  resetStats(): void;
  close(): Promise<void>;
}

/** Hop-by-hop and framing headers are the relay's own business. */
const NOT_RELAYED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'host']);

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export async function createHostileServer(upstreamUrl: string): Promise<HostileServer> {
  const upstreamBase = upstreamUrl.replace(/\/+$/, '');
  let armed: Attack | null = null;
  let hostileAnswers = 0;
  let bytesSent = 0;
  let requests: Record<string, number> = {};

  const fetchUpstream = async (request: ExchangeView): Promise<UpstreamAnswer> => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && !NOT_RELAYED.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const response = await fetch(`${upstreamBase}${request.path}`, {
      method: request.method,
      headers,
      ...(request.method === 'GET' || request.method === 'HEAD' ? {} : { body: request.body }),
      signal: AbortSignal.timeout(30_000),
    });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  };

  const relay = (res: ServerResponse, answer: UpstreamAnswer): void => {
    const headers: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!NOT_RELAYED.has(name)) headers[name] = value;
    });
    res.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) }).end(answer.body);
  };

  const sendHostile = async (res: ServerResponse, answer: HostileAnswer): Promise<void> => {
    hostileAnswers += 1;
    const { body } = answer;
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      res.writeHead(answer.status, { ...answer.headers, 'content-type': answer.contentType, 'content-length': String(bytes.length) });
      res.end(bytes, () => (bytesSent += bytes.length));
      return;
    }
    res.writeHead(answer.status, { ...answer.headers, 'content-type': answer.contentType });
    let gone = false;
    res.once('close', () => (gone = true));
    const write: ChunkWriter = async (chunk) => {
      if (gone || res.destroyed) return false;
      bytesSent += chunk.length;
      if (res.write(chunk)) return true;
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
      return !gone && !res.destroyed;
    };
    await body(write);
    if (!gone && !res.destroyed) res.end();
  };

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const request: ExchangeView = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
      const path = request.path.split('?')[0]!;
      requests[path] = (requests[path] ?? 0) + 1;
      const attack = armed;
      let upstream: Promise<UpstreamAnswer> | null = null;
      const real = () => (upstream ??= fetchUpstream(request));
      const hostile = attack?.matches(request) ? await attack.answer(request, real) : null;
      if (hostile) await sendHostile(res, hostile);
      else relay(res, await real());
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(`hostile relay: ${String(error)}`);
      else res.destroy();
    });
  });
  // Keep-alive sockets of the stack's clients must not hold close() open.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    arm: (attack) => (armed = attack),
    disarm: () => (armed = null),
    stats: () => ({ hostileAnswers, bytesSent, requests: { ...requests } }),
    resetStats: () => {
      hostileAnswers = 0;
      bytesSent = 0;
      requests = {};
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Streams `total` bytes: `head`, then `repeat` as often as fits, then `tail` (so the document stays well formed). */
export function repeatedBody(head: string, repeat: string, tail: string, total: number): (write: ChunkWriter) => Promise<void> {
  return async (write) => {
    if (!(await write(Buffer.from(head)))) return;
    const unit = Buffer.from(repeat);
    // ~256 KiB per write: few syscalls, one reusable buffer.
    const perChunk = Math.max(1, Math.floor(262_144 / unit.length));
    const chunk = Buffer.concat(Array.from({ length: perChunk }, () => unit));
    let sent = head.length;
    while (sent + chunk.length + tail.length <= total) {
      if (!(await write(chunk))) return;
      sent += chunk.length;
    }
    await write(Buffer.from(tail));
  };
}
