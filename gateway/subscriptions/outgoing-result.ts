import type { ExecutionResult } from 'graphql';

/**
 * One subscription result, serialised once for every subscriber it goes to: the `next` message of the
 * graphql-transport-ws protocol is `{"id":<id>,"type":"next","payload":<result>}`, so only the id differs between
 * subscribers. The payload is exactly what graphql-ws would send (JSON.stringify of the result; a GraphQLError
 * serialises through its toJSON, an absent `errors` is omitted).
 */
export interface OutgoingResult {
  readonly result: ExecutionResult;
  /** The complete `next` message for subscription `id`, as UTF-8 bytes. */
  message(id: string): Buffer;
  /**
   * The same message as one complete WebSocket text frame as a server sends it (RFC 6455 §5.2: FIN, opcode 1, no
   * mask, the length in 7, 7+16 or 7+64 bits), so a fan-out writes one ready buffer per socket — no header built,
   * no cork / writev of header and body per subscriber.
   */
  frame(id: string): Buffer;
}

/**
 * Frames already built, per id. Clients commonly reuse the same few ids ("1", "2"…), so most subscribers share one
 * buffer; the bound keeps a result held in a slow subscriber's outbox small whatever the ids.
 */
const MAX_CACHED_FRAMES = 16;

const FIN_TEXT = 0x81;

/** Prefixes `message` with the header of an unmasked, unfragmented text frame. */
export function serverTextFrame(message: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(headerLengthOf(message.length) + message.length);
  message.copy(frame, writeTextHeader(frame, message.length));
  return frame;
}

/** The frame header of a text message of `length` bytes into `frame`; returns the header's length. */
function writeTextHeader(frame: Buffer, length: number): number {
  frame[0] = FIN_TEXT;
  if (length < 126) {
    frame[1] = length;
    return 2;
  }
  if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
    return 4;
  }
  frame[1] = 127;
  frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
  frame.writeUInt32BE(length >>> 0, 6);
  return 10;
}

const headerLengthOf = (length: number): number => (length < 126 ? 2 : length < 65_536 ? 4 : 10);

export function createOutgoingResult(result: ExecutionResult): OutgoingResult {
  const tail = Buffer.from(`,"type":"next","payload":${JSON.stringify(result)}}`);
  const message = (id: string) => Buffer.concat([Buffer.from(`{"id":${JSON.stringify(id)}`), tail]);
  const frames = new Map<string, Buffer>();
  /**
   * Header, `{"id":<id>` and the shared tail in one allocation and two copies: with per-client ids (graphql-ws
   * clients make a UUID per subscription, so the cache below rarely hits) this runs once per delivery.
   */
  const buildFrame = (id: string): Buffer => {
    const head = `{"id":${JSON.stringify(id)}`;
    const length = Buffer.byteLength(head) + tail.length;
    const frame = Buffer.allocUnsafe(headerLengthOf(length) + length);
    const at = writeTextHeader(frame, length);
    tail.copy(frame, at + frame.write(head, at));
    return frame;
  };
  return {
    result,
    message,
    frame(id) {
      let frame = frames.get(id);
      if (frame === undefined) {
        frame = buildFrame(id);
        if (frames.size < MAX_CACHED_FRAMES) frames.set(id, frame);
      }
      return frame;
    },
  };
}
