/**
 * Finds the SOAP envelope in an answer body in linear time. Replaces the `soap` package's own matching
 * (`HttpClient.handleResponse`), whose regular expression is quadratic in colon-free stretches of the body
 * (docs/suppliers/soap-response-regex.md): the envelope's start tag must begin within the first
 * `MAX_ENVELOPE_PREFIX` characters (after a BOM, an XML declaration, comments or whitespace — what real servers
 * put there), and it runs to the last matching end tag, found with one `lastIndexOf`.
 */

/** How far into the body the envelope's start tag may begin, in UTF-16 code units. */
export const MAX_ENVELOPE_PREFIX = 4096;

// Bounded everywhere: a prefix of at most 64 name characters, tried only on the bounded head of the body.
const START_TAG = /<(?:([A-Za-z_][\w.-]{0,63}):)?Envelope(?=[\s/>])/;

export interface FoundEnvelope {
  /** From the start tag's `<` through the end tag's `>`. */
  readonly xml: string;
  /** The namespace prefix of the envelope element ('' when none). */
  readonly prefix: string;
}

/** The envelope of `body`, or undefined when it has none where an envelope can be. Linear in `body.length`. */
export function findEnvelope(body: string): FoundEnvelope | undefined {
  const head = body.length > MAX_ENVELOPE_PREFIX ? body.slice(0, MAX_ENVELOPE_PREFIX) : body;
  const start = START_TAG.exec(head);
  if (!start) return undefined;
  const prefix = start[1] ?? '';
  const closing = `</${prefix ? `${prefix}:` : ''}Envelope`;
  const close = body.lastIndexOf(closing);
  if (close < start.index) return undefined;
  // `</p:Envelope` then optional whitespace then `>`; whitespace is bounded so a run of spaces costs nothing.
  let end = close + closing.length;
  const limit = Math.min(body.length, end + 64);
  while (end < limit && (body[end] === ' ' || body[end] === '\t' || body[end] === '\r' || body[end] === '\n')) end += 1;
  if (body[end] !== '>') return undefined;
  return { xml: body.slice(start.index, end + 1), prefix };
}
