/**
 * The client side of `npm run bench:subscriptions-reconnect`, in its own process (so the gateway's CPU is measured
 * apart): N graphql-transport-ws connections, one `snapshot: true` subscription each, that behave as the client
 * settings docs/subscriptions.md gives (`lazy: false`, `shouldRetry: () => true`, graphql-ws's randomised retry
 * wait): on a close (1012 from a gateway shutting down, a refused upgrade, a reset) the connection waits and
 * reconnects to the second gateway URL (the first is out of the load balancer), and subscribes again.
 *
 * Lean raw-socket clients, as in bench/subscription-clients.ts (a full `ws` + graphql-ws client per socket costs as
 * much CPU as the gateway's own work, on the same two cores). Every `next` is JSON-parsed here (few per client):
 * each connection keeps the highest `version` it was given and where it came from (SNAPSHOT or a change), which
 * is what a real client's duplicate filter keeps. Driven over IPC by bench/subscriptions-reconnect.ts.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';

const [urlsText, countText, query, variablesText, waitText] = process.argv.slice(2) as [string, string, string, string, string];
const urls = (JSON.parse(urlsText) as string[]).map((u) => new URL(u));
const count = Number(countText);
const variables = JSON.parse(variablesText) as Record<string, unknown>;
/** graphql-ws's default first retry: 1,000 ms + a random 300–3,000 ms. */
const [waitMin, waitMax] = waitText.split(',').map(Number) as [number, number];

const OP_TEXT = 0x1;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

interface Conn {
  urlIndex: number;
  socket: net.Socket | null;
  version: number;
  source: string;
  /** Date.now() when `version` was received. */
  at: number;
  reconnects: number;
  closeCodes: Map<number | string, number>;
}
const conns: Conn[] = [];
let stopping = false;

function clientFrame(opcode: number, payload: Buffer): Buffer {
  const long = payload.length >= 126;
  const header = Buffer.alloc(long ? 8 : 6);
  header[0] = 0x80 | opcode;
  if (long) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(payload.length, 2);
  } else header[1] = 0x80 | payload.length;
  const mask = randomBytes(4);
  mask.copy(header, long ? 4 : 2);
  const masked = Buffer.allocUnsafe(payload.length);
  for (let i = 0; i < payload.length; i += 1) masked[i] = payload[i]! ^ mask[i & 3]!;
  return Buffer.concat([header, masked]);
}
const textFrame = (message: unknown) => clientFrame(OP_TEXT, Buffer.from(JSON.stringify(message)));
const retryWait = (attempt: number) => Math.min(30_000, (waitMin + Math.random() * (waitMax - waitMin)) * 2 ** Math.min(attempt, 4));

/** Opens (or re-opens) one connection; resolves once its first `next` (the snapshot) arrived. */
function connect(conn: Conn, attempt = 0): Promise<void> {
  return new Promise((resolve) => {
    const url = urls[conn.urlIndex % urls.length]!;
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    conn.socket = socket;
    socket.setNoDelay(true);
    let upgraded = false;
    let subscribed = false;
    let pending: Buffer | null = null;
    let closeCode: number | string = 1006;
    let settled = false;
    const done = () => {
      if (!settled) (settled = true), resolve();
    };

    const onFrame = (opcode: number, payload: Buffer) => {
      if (opcode === OP_TEXT) {
        const message = JSON.parse(payload.toString('utf8')) as { type: string; payload?: { data?: { stockChanged?: { version: number; source: string } } } };
        if (message.type === 'connection_ack') {
          socket.write(textFrame({ id: '1', type: 'subscribe', payload: { query, variables } }));
          subscribed = true;
        } else if (message.type === 'next') {
          const change = message.payload?.data?.stockChanged;
          // What a client's duplicate filter does: only a newer version counts.
          if (change && change.version > conn.version) {
            conn.version = change.version;
            conn.source = change.source;
            conn.at = Date.now();
          }
          done();
        } else console.error(`subscription message: ${payload.toString('utf8')}`);
      } else if (opcode === OP_PING) socket.write(clientFrame(OP_PONG, payload));
      else if (opcode === OP_CLOSE) {
        closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        socket.end(clientFrame(OP_CLOSE, payload.subarray(0, 2)));
      }
    };

    socket.on('connect', () => {
      socket.write(
        `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
          'Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n',
      );
    });
    socket.on('data', (chunk: Buffer) => {
      let buffer = pending === null ? chunk : Buffer.concat([pending, chunk]);
      pending = null;
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return void (pending = buffer);
        if (!buffer.toString('latin1', 0, 12).startsWith('HTTP/1.1 101')) {
          closeCode = Number(buffer.toString('latin1', 9, 12)); // 503 from a gateway that is closing: retry
          return void socket.destroy();
        }
        upgraded = true;
        buffer = buffer.subarray(end + 4);
        socket.write(textFrame({ type: 'connection_init', payload: {} }));
      }
      let offset = 0;
      while (buffer.length - offset >= 2) {
        const opcode = buffer[offset]! & 0x0f;
        let length = buffer[offset + 1]! & 0x7f;
        let start = offset + 2;
        if (length === 126) {
          if (buffer.length - offset < 4) break;
          length = buffer.readUInt16BE(offset + 2);
          start = offset + 4;
        } else if (length === 127) {
          if (buffer.length - offset < 10) break;
          length = Number(buffer.readBigUInt64BE(offset + 2));
          start = offset + 10;
        }
        if (buffer.length < start + length) break;
        onFrame(opcode, buffer.subarray(start, start + length));
        offset = start + length;
      }
      if (offset < buffer.length) pending = Buffer.from(buffer.subarray(offset));
    });
    // No close frame: the TCP error says what happened (ECONNREFUSED, ECONNRESET…).
    socket.on('error', (error: NodeJS.ErrnoException) => void (closeCode = closeCode === 1006 ? (error.code ?? 'error') : closeCode));
    socket.on('close', () => {
      conn.socket = null;
      if (stopping) return done();
      conn.closeCodes.set(closeCode, (conn.closeCodes.get(closeCode) ?? 0) + 1);
      // shouldRetry: () => true — every close is retried, to the other gateway: the one shutting down is out of the
      // load balancer once it closed its sockets (a load balancer's job in production).
      conn.urlIndex = 1;
      conn.reconnects += 1;
      const next = subscribed ? 0 : attempt + 1;
      setTimeout(() => void connect(conn, next).then(done), retryWait(next));
    });
  });
}

process.on('message', (message: { cmd: string; version?: number }) => {
  if (message.cmd === 'status') {
    const target = message.version ?? 0;
    let reached = 0;
    let last = 0;
    let open = 0;
    let reconnects = 0;
    const sources: Record<string, number> = {};
    const closeCodes: Record<string, number> = {};
    for (const conn of conns) {
      if (conn.socket !== null) open += 1;
      reconnects += conn.reconnects;
      for (const [code, n] of conn.closeCodes) closeCodes[code] = (closeCodes[code] ?? 0) + n;
      if (conn.version >= target) {
        reached += 1;
        last = Math.max(last, conn.at);
        sources[conn.source] = (sources[conn.source] ?? 0) + 1;
      }
    }
    process.send!({ reached, last, open, reconnects, sources, closeCodes, cpu: process.cpuUsage() });
  } else if (message.cmd === 'close') {
    stopping = true;
    for (const conn of conns) conn.socket?.destroy();
    process.exit(0);
  }
});

for (let i = 0; i < count; i += 500) {
  const batch = Array.from({ length: Math.min(500, count - i) }, (): Conn => ({ urlIndex: 0, socket: null, version: -1, source: '', at: 0, reconnects: 0, closeCodes: new Map() }));
  conns.push(...batch);
  await Promise.all(batch.map((conn) => connect(conn)));
}
process.send!({ ready: conns.length });
