/**
 * What keeps credentials, tokens and personal data out of the logs, at any depth (docs/security.md, "Logs"):
 * 1. by key: a value under a credential-like key (password, secret, token, authorization, cookie, apiKey,
 *    credentials, signature, clientId, ...) is replaced, unless it is a number or boolean (counters such as
 *    `tokens: 3` stay readable); a value under a personal-data key (shipTo, address, email, phone, firstName, ...)
 *    is always replaced;
 * 2. by shape, in every string (messages, error messages and stacks, cause chains, URLs): bearer/basic credentials,
 *    URL user-info, `token=` / `password:` style pairs, `<password>` XML elements and e-mail addresses.
 * Path redaction in platform/logger.ts (pino's `redact`) stays as the first layer; this one covers what a path
 * cannot: nesting at any depth, errors and their causes, and secrets embedded in text.
 */
import { stdSerializers } from 'pino';

export const CENSOR = '[redacted]';

/** Keys whose string or object values are credentials. */
const CREDENTIAL_KEY = /pass(word|wd|phrase)?|secret|token|authori[sz]ation|cookie|api[-_]?key|credential|private[-_]?key|signature|^sig$|session|bearer|^kek$|client[-_]?id|user[-_]?name|^username$/i;
/** …except bookkeeping that merely mentions one: `tokenId`, `tokenCount`, `sessionKind`. Client ids stay censored. */
const BOOKKEEPING_KEY = /(Id|Ids|Count|Kind|Type|Class|Expires(At|In)?|Ttl(Ms|Seconds)?)$/;
const NEVER_BOOKKEEPING = /client[-_]?id/i;
/** Keys whose values are personal data of customers (or a container of it). */
const PERSONAL_KEY =
  /^(ship_?to|bill_?to|address(es)?|address_?[123]|line_?[123]|street|postal_?code|post_?code|zip(_?code)?|e_?mail(_?address)?|phone(_?number)?|mobile|fax|first_?name|last_?name|full_?name|given_?name|family_?name|customer(_?name)?|contact(_?name|_?details)?|attention(_?to)?|recipient|date_?of_?birth|dob|(x[-_]?)?shopper([-_]?id)?)$/i;

const TEXT_RULES: readonly (readonly [RegExp, string])[] = [
  // Authorization header values quoted in text.
  [/\b(Bearer|Basic|Digest)\s+[A-Za-z0-9._~+/=-]{4,}/gi, `$1 ${CENSOR}`],
  // scheme://user:password@host
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, `$1${CENSOR}@`],
  // token=…, "client_secret":"…", password: …
  [/((?:access_|refresh_|id_)?token|client_?secret|password|passwd|secret|api_?key|apikey|signature|authorization|cookie)("?\s*[:=]\s*"?)([^\s"&,;}<]+)/gi, `$1$2${CENSOR}`],
  // <password>…</password>, any namespace prefix (SOAP bodies echoed in faults).
  [/(<(?:[\w-]+:)?password>)[^<]*/gi, `$1${CENSOR}`],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, '[email]'],
];

export function scrubText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_RULES) out = out.replace(pattern, replacement);
  return out;
}

const isCredentialKey = (key: string): boolean => CREDENTIAL_KEY.test(key) && (NEVER_BOOKKEEPING.test(key) || !BOOKKEEPING_KEY.test(key));

/**
 * Whether a value under this key would be censored in a log line: a credential key (whatever the value's type, so
 * a span attribute `tokenCount` stays, `token` goes) or a personal-data key. Used for span attributes too
 * (platform/tracing/span-scrubber.ts), whose dotted keys are tested segment by segment.
 */
export const isSensitiveKey = (key: string): boolean => PERSONAL_KEY.test(key) || isCredentialKey(key);

const MAX_DEPTH = 12;

/** A redacted copy of `value` for logging: errors serialised (with their causes), secrets and personal data gone. */
export function redactForLog(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  if (depth > MAX_DEPTH) return '[truncated]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) return redactForLog({ ...stdSerializers.err(value) }, depth + 1, seen);
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (value instanceof Date) return value;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return redactForLog(toJSON.call(value), depth + 1, seen);
  if (Array.isArray(value)) return value.map((item) => redactForLog(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner === undefined) continue;
    if (PERSONAL_KEY.test(key) && inner !== null) out[key] = CENSOR;
    else if (isCredentialKey(key) && inner !== null && typeof inner !== 'number' && typeof inner !== 'boolean') out[key] = CENSOR;
    else out[key] = redactForLog(inner, depth + 1, seen);
  }
  return out;
}
