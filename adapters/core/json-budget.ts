/**
 * A CPU bound for parsing a supplier's JSON answer (docs/security.md, "Bounded reads"). `JSON.parse` is linear, but
 * its cost is per value, not per byte: 8 MiB of `[[[[…` or `{},{},…` takes 0.5–1 s on one core, and zod then walks
 * every value — a synchronous stall no deadline can interrupt. Before parsing, the text is scanned in slices that
 * yield to the event loop between them, counting nesting depth and values (every `{`, `[` and `,` outside a
 * string); past the budget the answer is refused unparsed. Real answers use a few thousand values at most.
 */
import { RegistryError } from '../../kernel/errors.ts';
import type { CapContext } from './answer-cap.ts';

export interface JsonBudget {
  /** Most values (containers + separators) in one answer. */
  readonly maxValues: number;
  /** Deepest nesting of objects and arrays. */
  readonly maxDepth: number;
}

/**
 * 10,000 values: ~7× the largest real answer (a 50-SKU Brightline stock batch, ~1,450 values; a 100-item catalog
 * page ~1,100), and JSON.parse + zod of that many stay well under ~30 ms even when every item fails validation
 * (zod's issues cost a few µs each; bench/answer-parse.ts, figures in docs/security.md). Depth 64: real answers
 * nest 6 deep.
 */
export const DEFAULT_JSON_BUDGET: JsonBudget = Object.freeze({ maxValues: 10_000, maxDepth: 64 });

/** Characters scanned, and steps taken, between two yields to the event loop (each slice ~1 ms or less). */
const SLICE = 64 * 1024;
const SLICE_STEPS = 8 * 1024;

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJECT = 123;
const OPEN_ARRAY = 91;
const CLOSE_OBJECT = 125;
const CLOSE_ARRAY = 93;
const COMMA = 44;

export type JsonShapeVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: 'too-deep' | 'too-many-values' };

/**
 * Scans `text` for depth and value count; yields between slices. Linear in the text, and string contents are
 * skipped with indexOf. Not a validator: malformed JSON is left for JSON.parse to refuse.
 */
export async function checkJsonShape(text: string, budget: JsonBudget = DEFAULT_JSON_BUDGET): Promise<JsonShapeVerdict> {
  let depth = 0;
  let values = 0;
  let inString = false;
  let i = 0;
  let sliceEnd = SLICE;
  let steps = 0;
  while (i < text.length) {
    // A step over a string costs an indexOf: many short strings (or escaped quotes) end a slice by steps, not chars.
    if (i >= sliceEnd || (inString && ++steps > SLICE_STEPS)) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceEnd = i + SLICE;
      steps = 0;
    }
    if (inString) {
      // Jump to the next quote; it closes the string unless an odd run of backslashes precedes it. Each backslash
      // is counted once (runs end at the quote), so this stays linear.
      const end = text.indexOf('"', i);
      if (end === -1) return { ok: true }; // unterminated: JSON.parse refuses it
      let slashes = 0;
      while (text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes++;
      if (slashes % 2 === 0) inString = false;
      i = end + 1;
      continue;
    }
    const c = text.charCodeAt(i++);
    if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > budget.maxDepth) return { ok: false, reason: 'too-deep' };
      if (++values > budget.maxValues) return { ok: false, reason: 'too-many-values' };
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    } else if (c === COMMA) {
      if (++values > budget.maxValues) return { ok: false, reason: 'too-many-values' };
    }
  }
  return { ok: true };
}

/** CONTRACT_VIOLATION for an answer over the budget; the message is ours. */
export function answerTooComplex(ctx: CapContext, budget: JsonBudget, reason: 'too-deep' | 'too-many-values'): RegistryError {
  const what = reason === 'too-deep' ? `nested deeper than ${budget.maxDepth}` : `more than ${budget.maxValues} values`;
  return new RegistryError('CONTRACT_VIOLATION', `${ctx.supplier} ${ctx.label}: answer ${what}, not parsed`, {
    supplier: ctx.supplier,
    operation: ctx.operation,
    details: { reason: 'answer-too-complex', limit: reason, maxValues: budget.maxValues, maxDepth: budget.maxDepth },
  });
}
