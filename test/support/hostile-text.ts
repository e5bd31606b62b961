/**
 * Supplier text as issue 14 found it, and the check that what a client or the operator log got of it is bounded and
 * clean. The hostile strings are built the way they arrive: over the wire as bytes, decoded as UTF-8.
 */
import { expect } from 'vitest';

const SCRIPT = '<script>alert(document.cookie)</script>';

/** Each a supplier error text that once reached clients verbatim. */
export const HOSTILE_TEXTS: Readonly<Record<string, string>> = {
  'a 1 MB error code': 'E'.repeat(1_048_576),
  '11,523 <script> tags (772 KB)': `Fault: ${SCRIPT.repeat(11_523).slice(0, 772_000)}`,
  'NUL bytes and control characters': `bad\u0000order\u0000\u0007\u001b[31mred\r\nSet-Cookie: x=1`,
  'invalid UTF-8': Buffer.concat([Buffer.from('stock '), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1]), Buffer.from(' gone')]).toString('utf8'),
  'lone surrogates': `half \uD800 a pair \uDC00 here \uD83D`,
  'bidi overrides': `Refund \u202Egnp.exe\u202C approved \u2066\u2067\u2068 \u2069`,
};

/** Everything cleanSupplierText removes, as a test for its absence. */
const UNCLEAN = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF\uFFFD]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `text` is at most `max` UTF-16 units and printable: no controls, NUL, bidi marks, U+FFFD or lone surrogates. */
export function expectBoundedAndClean(text: unknown, max: number): void {
  expect(typeof text).toBe('string');
  const s = text as string;
  expect(s.length, s.slice(0, 80)).toBeLessThanOrEqual(max);
  expect(UNCLEAN.test(s), JSON.stringify(s.slice(0, 120))).toBe(false);
}
