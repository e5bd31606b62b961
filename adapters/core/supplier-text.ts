/**
 * Text a supplier wrote (SOAP fault strings, service messages, REST and GraphQL error codes and messages) is
 * untrusted input: it may be megabytes long, carry markup, control characters, bidi overrides, NUL bytes or
 * invalid UTF-8. It never reaches a client (clients see the supplier's name and our registry code); for the
 * operator log it is clipped first — so every later step is linear in a bounded length — then cleaned.
 */

/** Longest supplier text kept for the operator log, in UTF-16 code units. */
export const MAX_SUPPLIER_TEXT = 200;

// C0/C1 controls (newlines and tabs included: one log field, one line), DEL, the replacement character that
// invalid UTF-8 decodes to, line/paragraph separators and the bidi embedding, override and isolate marks.
const UNPRINTABLE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF\uFFFD]+/g;
// Half of a surrogate pair without its other half: not text, and invalid once encoded as UTF-8.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The supplier's text as one short, printable line, or undefined when nothing printable is left. Non-strings
 * (a number as an error code) are stringified; objects are not (they would be our serialisation, not theirs).
 */
export function cleanSupplierText(value: unknown, max = MAX_SUPPLIER_TEXT): string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') value = String(value);
  if (typeof value !== 'string' || value.length === 0) return undefined;
  // Clip before any expression runs: the cost of what follows is bounded by `max`, not by the supplier.
  const head = value.length > max * 2 ? value.slice(0, max * 2) : value;
  const cleaned = head.replace(LONE_SURROGATE, '').replace(UNPRINTABLE, ' ').trim().replace(/ {2,}/g, ' ');
  if (cleaned.length === 0) return undefined;
  if (cleaned.length <= max && head.length === value.length) return cleaned;
  // Cut on a code point boundary, and say that it was cut.
  const cut = cleaned.slice(0, max - 1).replace(LONE_SURROGATE, '');
  return `${cut}…`;
}
