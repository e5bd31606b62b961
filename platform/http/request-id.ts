import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The header a request id travels in: from the client (or made here), to every subgraph, back in every response. */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * What a request id taken from outside may look like: short, and only characters that are safe in a log line, a
 * header and a support ticket (letters, digits, `.`, `_`, `-`, `:`). Anything else is replaced, never echoed.
 */
const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

export const isValidRequestId = (value: unknown): value is string => typeof value === 'string' && VALID.test(value);

const ids = new WeakMap<IncomingMessage, string>();

/** The request's id: its valid `x-request-id`, else a new UUID; the same one every time it is asked for. */
export function requestIdOf(req: IncomingMessage): string {
  let id = ids.get(req);
  if (id === undefined) {
    const header = req.headers[REQUEST_ID_HEADER];
    id = isValidRequestId(header) ? header : randomUUID();
    ids.set(req, id);
  }
  return id;
}
