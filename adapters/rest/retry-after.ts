/**
 * `Retry-After` (RFC 9110 §10.2.3) is either delay-seconds or an HTTP-date. Returns the wait in ms, or
 * undefined when the header is absent or unreadable, so the retry policy falls back to its own backoff.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only the date forms HTTP allows; Date.parse alone would also accept "12.5" or "-3" as dates.
  if (!/^[A-Za-z]{3},? /.test(text) && !/^[A-Za-z]+day, /.test(text)) return undefined;
  // asctime dates carry no zone but are GMT by definition; V8 would read them as local time.
  const at = Date.parse(/^[A-Za-z]{3} [A-Za-z]{3} /.test(text) ? `${text} GMT` : text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Above this a reset value is an epoch time in seconds, not a delay (no supplier makes us wait 30 years). */
const EPOCH_SECONDS_FLOOR = 1_000_000_000;

/**
 * The wait a throttled answer asks for: `Retry-After` when present, else the rate-limit reset headers that
 * many APIs send instead — `RateLimit-Reset` (IETF draft: seconds until reset) and `X-RateLimit-Reset` (seconds
 * until reset, or the reset's epoch second; told apart by size). Undefined when none is readable.
 */
export function throttleWaitFromHeaders(headers: Headers, now: number = Date.now()): number | undefined {
  const retryAfter = parseRetryAfter(headers.get('retry-after'), now);
  if (retryAfter !== undefined) return retryAfter;
  for (const name of ['ratelimit-reset', 'x-ratelimit-reset']) {
    const text = headers.get(name)?.trim();
    if (!text || !/^\d+$/.test(text)) continue;
    const value = Number(text);
    return value >= EPOCH_SECONDS_FLOOR ? Math.max(0, value * 1000 - now) : value * 1000;
  }
  return undefined;
}
