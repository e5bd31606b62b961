/**
 * A linear check of an envelope before the `soap` package parses it. Even chunked, `soap`'s parser
 * (`WSDL.xmlToObject` over sax) has costs that grow faster than the answer for a few shapes no PromoStandards
 * answer has, measured on 1.13.0 (docs/suppliers/soap-response-regex.md, "Other super-linear paths"):
 * - every element loops over every prefix bound to the XML Schema instance namespace: 2,000 such prefixes and
 *   100,000 empty elements (500 KB) took ~60 s;
 * - SOAP-encoding multiRefs (`href="#id"`) copy the referenced object into every referrer at the end, in one go:
 *   287 KB held the event loop ~12 s (and memory grows by referrers × keys);
 * - CDATA text is tested with `/<\?xml[\s\S]+\?>/`, quadratic in the `<?xml` it holds: 256 KB held the loop ~1 s;
 * - a DOCTYPE, which SOAP 1.1 forbids in a message (§3).
 * The check walks the text once, moving only forward (every search starts where the last one ended), so its cost is
 * linear in the envelope; it refuses those shapes and text that is not well-formed markup at the tag level.
 */

export const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';
/** Prefixes bound to the XML Schema instance namespace: real answers use one (`xsi`). */
export const MAX_XSI_PREFIXES = 8;

export type EnvelopeProblem = 'doctype' | 'multiref-href' | 'xml-declaration-in-cdata' | 'too-many-xsi-prefixes' | 'malformed-markup';

const ENTITY = /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g;
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** An attribute value as sax reports it (the predefined and numeric references decoded); bounded by the value. */
function decodeValue(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(ENTITY, (_m, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref] ?? '';
    const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

const SPACES = /[ \t\r\n]*/y;
const NAME = /[^ \t\r\n=>\/]*/y;
/** The index after the match of a sticky expression at `at` (native scanning: long runs cost little). */
const skip = (re: RegExp, xml: string, at: number): number => {
  re.lastIndex = at;
  re.test(xml);
  return re.lastIndex;
};

/** Characters walked between two yields of `scanEnvelope`: well under 1 ms of work, even for dense markup. */
export const CHECK_SLICE_CHARS = 16 * 1024;

/**
 * The check as a generator: it yields after every CHECK_SLICE_CHARS characters walked, and returns the first
 * problem of `xml` (an envelope as found by findEnvelope), or undefined when `soap` may parse it.
 */
export function* scanEnvelope(xml: string): Generator<void, EnvelopeProblem | undefined> {
  const xsiPrefixes = new Set<string>();
  let nextXmlDeclaration = -2; // cached forward search for '<?xml' inside CDATA; -2: not searched yet
  let sliceEnd = CHECK_SLICE_CHARS;
  let i = xml.indexOf('<');
  while (i !== -1) {
    if (i >= sliceEnd) {
      yield;
      sliceEnd = i + CHECK_SLICE_CHARS;
    }
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end === -1) return 'malformed-markup';
      i = xml.indexOf('<', end + 3);
      continue;
    }
    if (xml.startsWith('<![CDATA[', i)) {
      const start = i + 9;
      const end = xml.indexOf(']]>', start);
      if (end === -1) return 'malformed-markup';
      if (nextXmlDeclaration !== -1 && nextXmlDeclaration < start) nextXmlDeclaration = xml.indexOf('<?xml', start);
      if (nextXmlDeclaration !== -1 && nextXmlDeclaration < end) return 'xml-declaration-in-cdata';
      i = xml.indexOf('<', end + 3);
      continue;
    }
    if (xml.startsWith('<!', i)) return 'doctype';
    if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i + 2);
      if (end === -1) return 'malformed-markup';
      i = xml.indexOf('<', end + 2);
      continue;
    }
    // A start or end tag: name, then attributes `name = "value"` (values may hold '>'), then '>' or '/>'.
    const nameStart = xml[i + 1] === '/' ? i + 2 : i + 1;
    let j = skip(NAME, xml, nameStart);
    if (j === nameStart) return 'malformed-markup';
    for (;;) {
      // One tag may hold a million attributes: yield inside it too.
      if (j >= sliceEnd) {
        yield;
        sliceEnd = j + CHECK_SLICE_CHARS;
      }
      j = skip(SPACES, xml, j);
      const c = xml[j];
      if (c === '>') break;
      if (c === '/' && xml[j + 1] === '>') {
        j += 1;
        break;
      }
      const attrStart = j;
      j = skip(NAME, xml, j);
      if (j === attrStart) return 'malformed-markup';
      const name = xml.slice(attrStart, j);
      j = skip(SPACES, xml, j);
      if (xml[j] !== '=') return 'malformed-markup';
      j = skip(SPACES, xml, j + 1);
      const quote = xml[j];
      if (quote !== '"' && quote !== "'") return 'malformed-markup';
      const valueEnd = xml.indexOf(quote, j + 1);
      if (valueEnd === -1) return 'malformed-markup';
      if (name === 'href') return 'multiref-href';
      if (name.startsWith('xmlns:') && decodeValue(xml.slice(j + 1, valueEnd)) === XSI_NAMESPACE) {
        xsiPrefixes.add(name.slice(6));
        if (xsiPrefixes.size > MAX_XSI_PREFIXES) return 'too-many-xsi-prefixes';
      }
      j = valueEnd + 1;
    }
    i = xml.indexOf('<', j + 1);
  }
  return undefined;
}

/** The whole check at once (tests, small bodies). */
export function envelopeProblem(xml: string): EnvelopeProblem | undefined {
  const scan = scanEnvelope(xml);
  for (;;) {
    const step = scan.next();
    if (step.done) return step.value;
  }
}

/** The check with a macrotask between slices, so a large envelope never holds the event loop; stops on abort. */
export async function checkEnvelope(xml: string, signal?: AbortSignal): Promise<EnvelopeProblem | undefined> {
  const scan = scanEnvelope(xml);
  for (;;) {
    const step = scan.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
  }
}
