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
  frame(id: string): Buffer;
}

/**
 * Frames already built, per id. Clients commonly reuse the same few ids ("1", "2"…), so most subscribers share one
 * buffer; the bound keeps a result held in a slow subscriber's outbox small whatever the ids.
 */
const MAX_CACHED_FRAMES = 16;

export function createOutgoingResult(result: ExecutionResult): OutgoingResult {
  const tail = Buffer.from(`,"type":"next","payload":${JSON.stringify(result)}}`);
  const frames = new Map<string, Buffer>();
  return {
    result,
    frame(id) {
      let frame = frames.get(id);
      if (frame === undefined) {
        frame = Buffer.concat([Buffer.from(`{"id":${JSON.stringify(id)}`), tail]);
        if (frames.size < MAX_CACHED_FRAMES) frames.set(id, frame);
      }
      return frame;
    },
  };
}
