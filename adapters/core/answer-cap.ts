/**
 * Bounded reads of supplier answers (docs/security.md, "Untrusted suppliers"): a body is read as a stream and
 * abandoned the moment it passes the cap for its operation — before any byte is parsed — so a 200 MB answer costs
 * at most `maxBytes` of memory and no parsing at all. A Content-Length above the cap is refused before reading.
 * Compressed answers are counted after decompression (fetch decodes them), so a compression bomb is bounded too.
 */
import { RegistryError } from '../../kernel/errors.ts';

/** Default cap for a 2xx answer: the largest real answer we have seen is ~1 MB (a Product Data product). */
export const DEFAULT_MAX_ANSWER_BYTES = 8 * 1024 * 1024;
/** Cap for an error answer (non-2xx): we only read a code and a message from it. */
export const MAX_ERROR_ANSWER_BYTES = 64 * 1024;

/** The caps one supplier's client applies: per operation, with a default. */
export interface AnswerLimits {
  /** Cap for a 2xx answer to `operation`, in bytes. */
  maxBytes(operation: string): number;
}

export function answerLimits(defaultBytes = DEFAULT_MAX_ANSWER_BYTES, perOperation: Readonly<Record<string, number>> = {}): AnswerLimits {
  return { maxBytes: (operation) => perOperation[operation] ?? defaultBytes };
}

export interface CapContext {
  readonly supplier: string;
  readonly operation: string;
  /** Safe description for messages: method and path, never the query or headers. */
  readonly label: string;
}

export function answerTooLarge(ctx: CapContext, maxBytes: number, seenBytes: number): RegistryError {
  return new RegistryError('CONTRACT_VIOLATION', `${ctx.supplier} ${ctx.label}: answer larger than ${maxBytes} bytes, not read further`, {
    supplier: ctx.supplier,
    operation: ctx.operation,
    details: { reason: 'answer-too-large', maxBytes, seenBytes },
  });
}

/**
 * The body of `response` as text, at most `maxBytes` bytes of it; past that the stream is cancelled (the
 * connection is not reused) and CONTRACT_VIOLATION (`details.reason: 'answer-too-large'`) is thrown. Invalid
 * UTF-8 decodes to U+FFFD, as `Response.text()` would.
 */
export async function readCappedText(response: Response, maxBytes: number, ctx: CapContext): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw answerTooLarge(ctx, maxBytes, declared);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder('utf-8');
  const parts: string[] = [];
  let seen = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += value.byteLength;
    if (seen > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw answerTooLarge(ctx, maxBytes, seen);
    }
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}
