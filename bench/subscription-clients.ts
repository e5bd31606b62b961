/**
 * The client side of `npm run bench:subscriptions`, in its own process: opens N graphql-transport-ws connections
 * with one subscription each and reports, for every `next` it receives, the delay between the event's `at` (set by
 * the publisher just before publishing) and the moment this process read the frame off its socket. Driven over IPC
 * by bench/subscriptions.ts. Each also reports the CPU time (user + system) it used since `mark`, so a client that
 * cannot keep up shows.
 *
 * A lean client, on purpose: the clients share the gateway's two cores, and a full `ws` + graphql-ws client per
 * socket (frame parser, UTF-8 validation, JSON.parse of every message, a promise chain) cost ≈ 15 µs of CPU per
 * message — as much as the gateway's own work per delivery — so the benchmark measured its own clients. Here each
 * connection is a raw `net` socket that does the WebSocket handshake and the graphql-transport-ws init / subscribe
 * itself (masked client frames, as RFC 6455 requires), answers pings, and then only walks the frames it receives
 * and reads the `at` stamp out of each `next`. The server side is the real product path (the gateway's
 * WebSocket endpoint, graphql-ws, the hub). The payload is still checked: one `next` in every `VERIFY_EVERY` is
 * JSON-parsed in full and compared with what the selection must return; mismatches are counted and reported.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import net from 'node:net';

const [url, countText, query, expectedText, idsMode = 'same'] = process.argv.slice(2) as [string, string, string, string, string?];
const count = Number(countText);
/** `{ sku, title }` the `next` payloads must carry. */
const expected = JSON.parse(expectedText) as { sku: string; title: string };
const target = new URL(url);
const VERIFY_EVERY = 97;

const latencies: number[] = [];
const sockets: net.Socket[] = [];
let received = 0;
let verified = 0;
let mismatches = 0;
/** Size of the last `next` message read (without its frame header): both targets must send the same bytes. */
let frameBytes = 0;
let mark = process.cpuUsage();

const OP_TEXT = 0x1;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;
const AT = Buffer.from('"at":"');
const NEXT = Buffer.from('"type":"next"');
const ISO_LENGTH = 24; // 2026-11-26T23:20:11.123Z
const readBuffer = Buffer.allocUnsafe(256 * 1024);

/** A masked client frame (RFC 6455 §5.3); payloads here are small (< 64 KiB). */
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

function verify(payload: Buffer, id: string): void {
  verified += 1;
  try {
    const message = JSON.parse(payload.toString('utf8')) as { id?: string; type?: string; payload?: { data?: { stockChanged?: { sku?: string; newAvailable?: number; at?: string; product?: { title?: string } } } } };
    const change = message.payload?.data?.stockChanged;
    const ok =
      message.id === id &&
      message.type === 'next' &&
      change?.sku === expected.sku &&
      typeof change.newAvailable === 'number' &&
      typeof change.at === 'string' &&
      change.product?.title === expected.title;
    if (!ok) mismatches += 1;
  } catch {
    mismatches += 1;
  }
}

/** One connection: handshake, init, subscribe; then frames. Resolves once the subscribe is sent after the ack. */
function open(): Promise<void> {
  return new Promise((resolve, reject) => {
    // `onread`: reads land in one buffer shared by every socket (frames are handled synchronously; a partial one is
    // copied out), with no stream machinery or Buffer allocation per read.
    const socket = net.connect({ host: target.hostname, port: Number(target.port), onread: { buffer: readBuffer, callback: (length) => (onData(readBuffer.subarray(0, length)), true) } });
    socket.setNoDelay(true);
    sockets.push(socket);
    let upgraded = false;
    let pending: Buffer | null = null;
    let subscribed = false;
    // `--ids uuid`: an id per subscription, as graphql-ws and Apollo clients make them.
    const id = idsMode === 'uuid' ? randomUUID() : '1';

    const onFrame = (opcode: number, payload: Buffer, now: number) => {
      if (opcode === OP_TEXT) {
        if (payload.indexOf(NEXT) >= 0) {
          const at = payload.indexOf(AT);
          const sent = at < 0 ? NaN : Date.parse(payload.toString('latin1', at + AT.length, at + AT.length + ISO_LENGTH));
          if (Number.isNaN(sent)) return void (mismatches += 1); // a `next` without its stamp is a wrong payload
          latencies.push(now - sent);
          received += 1;
          frameBytes = payload.length;
          if (received % VERIFY_EVERY === 0) verify(payload, id);
        } else if (payload.includes('"connection_ack"')) {
          socket.write(textFrame({ id, type: 'subscribe', payload: { query } }));
          subscribed = true;
          resolve();
        } else {
          // `error` / `complete`: the subscription is gone; the benchmark would under-count, so say so.
          console.error(`subscription ended: ${payload.toString('utf8')}`);
        }
      } else if (opcode === OP_PING) socket.write(clientFrame(OP_PONG, payload));
      else if (opcode === OP_CLOSE) socket.end();
    };

    socket.on('connect', () => {
      socket.write(
        `GET ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
          'Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n',
      );
    });
    const onData = (chunk: Buffer) => {
      const now = Date.now();
      let buffer = pending === null ? chunk : Buffer.concat([pending, chunk]);
      pending = null;
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return void (pending = Buffer.from(buffer));
        if (!buffer.toString('latin1', 0, 12).startsWith('HTTP/1.1 101')) {
          socket.destroy();
          sockets.splice(sockets.indexOf(socket), 1);
          return reject(new Error(`upgrade refused: ${buffer.toString('latin1', 0, end)}`));
        }
        upgraded = true;
        buffer = buffer.subarray(end + 4);
        socket.write(textFrame({ type: 'connection_init', payload: {} }));
      }
      // Server frames are unmasked; a read may hold several frames or part of one.
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
        onFrame(opcode, buffer.subarray(start, start + length), now);
        offset = start + length;
      }
      if (offset < buffer.length) pending = Buffer.from(buffer.subarray(offset));
    };
    socket.on('error', (error) => {
      // Failed before it was subscribed: not one of the N (openWithRetry opens another).
      const i = sockets.indexOf(socket);
      if (!subscribed && i >= 0) sockets.splice(i, 1);
      reject(error);
    });
  });
}

process.on('message', (message: { cmd: string }) => {
  if (message.cmd === 'mark') {
    // Warm-up events are not counted.
    latencies.length = 0;
    mark = process.cpuUsage();
  } else if (message.cmd === 'count') {
    process.send!({ received });
  } else if (message.cmd === 'collect') {
    const used = process.cpuUsage(mark);
    process.send!({ latencies: latencies.splice(0), busyMs: Math.round((used.user + used.system) / 1000), verified, mismatches, frameBytes });
  } else if (message.cmd === 'close') {
    for (const socket of sockets) socket.destroy();
    process.exit(0);
  }
});

/**
 * Opens one connection, trying again when it fails before it is subscribed: on a loaded machine a server can reset
 * a connection during the handshake, and one lost connection must not end the run (the benchmark waits for N).
 */
async function openWithRetry(): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await open();
    } catch (error) {
      if (attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

for (let i = 0; i < count; i += 500) await Promise.all(Array.from({ length: Math.min(500, count - i) }, openWithRetry));
process.send!({ ready: sockets.length });
