/**
 * The one reader of the waits a supplier asks for over HTTP, for all three protocols (REST, SOAP, GraphQL):
 * `Retry-After` (RFC 9110 §10.2.3) and, failing that, the rate-limit reset headers many APIs send instead.
 *
 * Every wait read here is the supplier's word, so it is bounded: a whole, finite number of ms in
 * [0, MAX_RETRY_AFTER_MS]. A value we cannot read is `undefined`, never a guess, so the retry policy falls back to
 * its own backoff. The traffic layer caps the wait further at the breaker's open time (docs/traffic-control.md,
 * "Bounds on what the supplier reports").
 */

/** Longest wait a supplier may ask of us through a header: one hour, the longest breaker open time allowed. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/** Whole ms in [0, MAX_RETRY_AFTER_MS]; Infinity (a 400-digit delay) is the same "later" as the maximum. */
export const boundedWaitMs = (ms: number): number => Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.ceil(ms)));

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

// RFC 9110 §5.6.7's three forms. Names are matched without regard to case (recipients are asked to be robust);
// the zone must be GMT: a date without one, or with another, is not an HTTP-date and is not guessed at.
/** IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT` (the form senders must use). */
const IMF_FIXDATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`, 'i');
/** Obsolete RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT`. */
const RFC850_DATE = new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`, 'i');
/** Obsolete asctime: `Sun Nov  6 08:49:37 1994` — no zone written, GMT by definition. */
const ASCTIME_DATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`, 'i');

/** Epoch ms of the fields, or undefined when they name no real instant (31 Feb, 25:00). Always UTC. */
function utc(year: number, month: string, day: number, hour: number, minute: number, second: number): number | undefined {
  const m = MONTHS.indexOf(month.toLowerCase());
  // A second of 60 is a leap second (RFC 5322); it reads as the next minute's first.
  if (m < 0 || hour > 23 || minute > 59 || second > 60 || day < 1) return undefined;
  const at = Date.UTC(year, m, day, hour, minute, Math.min(second, 59));
  // Date.UTC rolls 31 Feb over into March; a day the month does not have is not a date.
  if (new Date(at).getUTCDate() !== day) return undefined;
  return second === 60 ? at + 1000 : at;
}

/**
 * An HTTP-date (RFC 9110 §5.6.7) as epoch ms, in GMT whatever this process's time zone; undefined for anything
 * else. An RFC 850 two-digit year more than 50 years ahead of `now` is the most recent past year with those digits.
 */
export function parseHttpDate(value: string, now: number = Date.now()): number | undefined {
  const text = value.trim();
  let match = IMF_FIXDATE.exec(text);
  if (match) return utc(Number(match[3]), match[2]!, Number(match[1]), Number(match[4]), Number(match[5]), Number(match[6]));
  match = RFC850_DATE.exec(text);
  if (match) {
    const thisYear = new Date(now).getUTCFullYear();
    let year = Math.floor(thisYear / 100) * 100 + Number(match[3]);
    if (year > thisYear + 50) year -= 100;
    return utc(year, match[2]!, Number(match[1]), Number(match[4]), Number(match[5]), Number(match[6]));
  }
  match = ASCTIME_DATE.exec(text);
  if (match) return utc(Number(match[6]), match[1]!, Number(match[2]!.trim()), Number(match[3]), Number(match[4]), Number(match[5]));
  return undefined;
}

/**
 * `Retry-After`: delay-seconds or an HTTP-date, as a wait in ms from `now` (a date in the past is 0: ask now).
 * Undefined when absent or unreadable: a fraction, a sign, an ISO date, a date without GMT.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return boundedWaitMs(Number(text) * 1000);
  const at = parseHttpDate(text, now);
  return at === undefined ? undefined : boundedWaitMs(at - now);
}

/** Above this a reset value is an epoch time in seconds, not a delay (no supplier makes us wait 30 years). */
const EPOCH_SECONDS_FLOOR = 1_000_000_000;

/** Response headers as fetch gives them, or as a plain record (the `soap` package's shape; a value may be a list). */
export type HeaderSource = Headers | Readonly<Record<string, unknown>>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const raw = key === undefined ? undefined : headers[key];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/**
 * The wait a throttled or unavailable answer asks for: `Retry-After` when readable, else `RateLimit-Reset` (IETF
 * draft: seconds until reset) or `X-RateLimit-Reset` (seconds until reset, or the reset's epoch second; told apart
 * by size). Undefined when none is readable.
 */
export function throttleWaitFromHeaders(headers: HeaderSource, now: number = Date.now()): number | undefined {
  const retryAfter = parseRetryAfter(header(headers, 'retry-after'), now);
  if (retryAfter !== undefined) return retryAfter;
  for (const name of ['ratelimit-reset', 'x-ratelimit-reset']) {
    const text = header(headers, name)?.trim();
    if (!text || !/^\d+$/.test(text)) continue;
    const value = Number(text);
    return boundedWaitMs(value >= EPOCH_SECONDS_FLOOR ? value * 1000 - now : value * 1000);
  }
  return undefined;
}

/**
 * The wait an HTTP answer asks for, read the same way by every protocol: only a 429 (throttled) or a 503
 * (unavailable, RFC 9110 §15.6.4) carries one we honour.
 */
export function waitForStatus(status: number, headers: HeaderSource, now: number = Date.now()): number | undefined {
  return status === 429 || status === 503 ? throttleWaitFromHeaders(headers, now) : undefined;
}
