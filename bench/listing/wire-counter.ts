/**
 * A counting TCP relay for the listing benchmark: the stack under test connects to MongoDB and Redis through it, and
 * it counts each request the client sends, by name, without touching the stack's code (the stack's own clients do
 * not expose command monitoring). MongoDB: one OP_MSG / OP_QUERY per command, named by its BSON body's first key
 * (`find`, `aggregate`, `getMore`, …) and, for a collection command, the collection. Redis: one RESP array per
 * command, named by its first argument (pipelined commands count one each). Bytes are relayed unchanged.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { BSON } from 'mongodb';

export type Protocol = 'mongodb' | 'redis';

export interface WireCounter {
  /** host:port the client should connect to. */
  readonly address: string;
  /** Commands seen so far, by name ("find product_listing", "evalsha", …). */
  snapshot(): Map<string, number>;
  /** MongoDB only: milliseconds from each command's last byte sent to its reply's first byte, summed by name. */
  waited(): Map<string, number>;
  close(): Promise<void>;
}

const OP_MSG = 2013;
const OP_QUERY = 2004;

/** The command's name and, when its value is a collection name, the collection. */
function mongoCommandOf(message: Buffer): string | null {
  const opCode = message.readInt32LE(12);
  let body: Buffer;
  if (opCode === OP_MSG) {
    // header 16, flagBits 4, then sections; kind 0 is the command document (it comes first in what drivers send).
    let at = 20;
    while (at < message.length && message[at] !== 0) {
      // kind 1: int32 size, cstring identifier, documents — skip it.
      at += 1 + message.readInt32LE(at + 1);
    }
    if (at >= message.length) return null;
    body = message.subarray(at + 1, at + 1 + message.readInt32LE(at + 1));
  } else if (opCode === OP_QUERY) {
    // flags 4, fullCollectionName cstring, skip 4, return 4, query document (the legacy handshake).
    const nameEnd = message.indexOf(0, 20);
    const at = nameEnd + 9;
    body = message.subarray(at, at + message.readInt32LE(at));
  } else {
    return `opcode ${opCode}`;
  }
  const doc = BSON.deserialize(body, { promoteBuffers: true });
  const [name, value] = Object.entries(doc)[0] ?? ['?', null];
  return typeof value === 'string' && name !== 'hello' && name !== 'isMaster' && name !== 'ismaster' ? `${name} ${value}` : name;
}

/** Splits a RESP stream into commands (arrays of bulk strings, as clients send them); returns the bytes consumed. */
function redisCommandsOf(buf: Buffer, out: string[]): number {
  let at = 0;
  for (;;) {
    if (at >= buf.length) return at;
    if (buf[at] !== 0x2a /* '*' */) {
      // An inline command: one line.
      const eol = buf.indexOf('\r\n', at);
      if (eol < 0) return at;
      out.push(buf.subarray(at, eol).toString('latin1').split(' ')[0]!.toLowerCase());
      at = eol + 2;
      continue;
    }
    const start = at;
    let eol = buf.indexOf('\r\n', at);
    if (eol < 0) return start;
    const n = Number(buf.subarray(at + 1, eol).toString('latin1'));
    at = eol + 2;
    let name = '';
    for (let i = 0; i < n; i += 1) {
      eol = buf.indexOf('\r\n', at);
      if (eol < 0) return start;
      const len = Number(buf.subarray(at + 1, eol).toString('latin1'));
      at = eol + 2;
      if (at + len + 2 > buf.length) return start;
      if (i === 0) name = buf.subarray(at, at + len).toString('latin1').toLowerCase();
      at += len + 2;
    }
    out.push(name);
  }
}

/** Relays 127.0.0.1:<random> to `target` (host:port), counting what the client sends. */
export async function startWireCounter(protocol: Protocol, target: { host: string; port: number }): Promise<WireCounter> {
  const counts = new Map<string, number>();
  const bump = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
  const waits = new Map<string, number>();
  // requestID → (name, sent at), per relay: a reply names the request it answers in responseTo.
  const inFlight = new Map<number, { name: string; at: number }>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let pending: Buffer = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      if (protocol === 'mongodb') {
        while (pending.length >= 16 && pending.length >= pending.readInt32LE(0)) {
          const size = pending.readInt32LE(0);
          const name = mongoCommandOf(pending.subarray(0, size));
          if (name !== null) {
            bump(name);
            inFlight.set(pending.readInt32LE(4), { name, at: performance.now() });
          }
          pending = pending.subarray(size);
        }
      } else {
        const names: string[] = [];
        pending = pending.subarray(redisCommandsOf(pending, names));
        for (const n of names) bump(n);
      }
    });
    let replies: Buffer = Buffer.alloc(0);
    let replyLeft = 0; // bytes of a reply still to come, already accounted
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk);
      if (protocol !== 'mongodb') return;
      // Frame replies only to read their headers (responseTo at byte 8).
      let at = 0;
      if (replyLeft > 0) {
        const skip = Math.min(replyLeft, chunk.length);
        replyLeft -= skip;
        at = skip;
      }
      replies = replies.length === 0 ? chunk.subarray(at) : Buffer.concat([replies, chunk.subarray(at)]);
      while (replies.length >= 16) {
        const size = replies.readInt32LE(0);
        const asked = inFlight.get(replies.readInt32LE(8));
        if (asked) {
          inFlight.delete(replies.readInt32LE(8));
          waits.set(asked.name, (waits.get(asked.name) ?? 0) + performance.now() - asked.at);
        }
        if (replies.length >= size) replies = replies.subarray(size);
        else {
          replyLeft = size - replies.length;
          replies = Buffer.alloc(0);
        }
      }
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    snapshot: () => new Map(counts),
    waited: () => new Map(waits),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What `after` counted beyond `before`, by name. */
export function difference(after: ReadonlyMap<string, number>, before: ReadonlyMap<string, number>): Map<string, number> {
  const d = new Map<string, number>();
  for (const [k, v] of after) {
    const n = v - (before.get(k) ?? 0);
    if (n > 0) d.set(k, n);
  }
  return d;
}
