/**
 * What a hostile supplier writes where text is expected: markup, NUL, invalid UTF-8, and sizes no real message has.
 * Each piece carries a marker so the suite can tell whether any of it reached a client response or a log line.
 */

/** Starts every hostile error code; a response carrying it carries the supplier's own code. */
export const CODE_MARKER = 'HOSTILE_CODE_';
/** Inside every hostile message. */
export const SCRIPT = '<script>alert(document.cookie)</script>';
/** Bytes that are not UTF-8 (a lone continuation byte, an overlong lead): decoders turn them into U+FFFD. */
export const INVALID_UTF8 = Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x80]);

/** A supplier error code of `bytes` bytes: the marker, then letters. */
export const hugeCode = (bytes: number): string => CODE_MARKER + 'Z'.repeat(Math.max(0, bytes - CODE_MARKER.length));

/**
 * A message of about `bytes` bytes: `<script>` tags (escaped for XML when `xml`), with a NUL (raw, or JSON's
 * `\u0000` escape, which decodes to one) and invalid UTF-8 every few kilobytes.
 */
export function hostileMessage(bytes: number, form: 'json' | 'xml'): Buffer {
  const script = form === 'xml' ? SCRIPT.replaceAll('<', '&lt;').replaceAll('>', '&gt;') : SCRIPT;
  const nul = form === 'json' ? Buffer.from('\\u0000') : Buffer.from([0]);
  const unit = Buffer.concat([Buffer.from(`Server error ${script} `.repeat(60)), nul, INVALID_UTF8]);
  return Buffer.concat(Array.from({ length: Math.ceil(bytes / unit.length) }, () => unit)).subarray(0, bytes);
}

/** How many `<script>` tags a message of `bytes` bytes carries (for the record: the 772 KB held 11,523). */
export const scriptTagsIn = (message: Buffer, form: 'json' | 'xml'): number =>
  message.toString('latin1').split(form === 'xml' ? '&lt;script&gt;' : '<script>').length - 1;

/**
 * What a client response must never contain after a hostile answer: the supplier's code, its markup, NUL (raw or
 * escaped) or replacement characters from invalid UTF-8. Returns the offending pieces found.
 */
export function supplierTextIn(responseText: string): string[] {
  const found: string[] = [];
  if (responseText.includes(CODE_MARKER)) found.push('the supplier error code');
  if (/<script|&lt;script|\\u003cscript/i.test(responseText)) found.push('<script> markup');
  if (responseText.includes('\u0000') || /\\u0000/i.test(responseText)) found.push('NUL');
  if (responseText.includes('\ufffd') || /\\ufffd/i.test(responseText)) found.push('U+FFFD (invalid UTF-8)');
  if (/Server error/.test(responseText)) found.push('the supplier message');
  return found;
}
