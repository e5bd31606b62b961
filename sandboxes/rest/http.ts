/** Small node:http helpers for the Brightline sandbox: bounded body reads and JSON answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 1_000_000;

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface JsonAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Writes a JSON answer; `mangle` (the malformed-body fault) may rewrite the serialised body of a 2xx. */
export function writeJson(res: ServerResponse, answer: JsonAnswer, mangle?: (body: string) => string): void {
  if (res.destroyed || res.headersSent) return;
  let text = answer.body === undefined ? '' : JSON.stringify(answer.body);
  if (mangle && answer.status >= 200 && answer.status < 300 && text.length > 0) text = mangle(text);
  res.writeHead(answer.status, {
    ...(text.length > 0 ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'content-length': String(Buffer.byteLength(text)),
    ...answer.headers,
  });
  res.end(text);
}

/** Brightline's error envelope for API routes: `{ error: { code, message, ...details } }`. */
export const apiError = (status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers?: Record<string, string>): JsonAnswer => ({
  status,
  body: { error: { code, message, ...extra } },
  ...(headers ? { headers } : {}),
});
