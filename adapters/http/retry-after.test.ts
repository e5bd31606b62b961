import { afterEach, describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, parseHttpDate, parseRetryAfter, throttleWaitFromHeaders, waitForStatus } from './retry-after.ts';

// Header values as servers send them: RFC 9110's own examples (§5.6.7, §10.2.3), what Node's http servers and
// Date#toUTCString write, what nginx and Apache write for asctime-era clients, and rate-limit reset headers in the
// forms GitHub (epoch seconds) and the IETF draft (delta seconds) use.
const RFC_IMF = 'Sun, 06 Nov 1994 08:49:37 GMT';
const RFC_850 = 'Sunday, 06-Nov-94 08:49:37 GMT';
const RFC_ASCTIME = 'Sun Nov  6 08:49:37 1994';
const RFC_EPOCH = Date.UTC(1994, 10, 6, 8, 49, 37);

describe('parseHttpDate', () => {
  it('reads the three forms of RFC 9110 §5.6.7 as the same instant', () => {
    for (const value of [RFC_IMF, RFC_850, RFC_ASCTIME]) expect(parseHttpDate(value, Date.UTC(2026, 0, 1)), value).toBe(RFC_EPOCH);
  });

  it('reads what Date#toUTCString writes (Node http servers)', () => {
    const at = Date.UTC(2026, 2, 1, 12, 0, 30);
    expect(parseHttpDate(new Date(at).toUTCString())).toBe(at);
  });

  it('reads an RFC 850 year more than 50 years ahead as the last century', () => {
    expect(parseHttpDate('Tuesday, 01-Jan-80 00:00:00 GMT', Date.UTC(2026, 0, 1))).toBe(Date.UTC(1980, 0, 1));
    expect(parseHttpDate('Friday, 01-Jan-76 00:00:00 GMT', Date.UTC(2026, 0, 1))).toBe(Date.UTC(2076, 0, 1));
  });

  it('refuses dates without GMT, other zones, ISO dates and impossible days', () => {
    for (const value of [
      'Sun, 06 Nov 1994 08:49:37',
      'Sun, 06 Nov 1994 08:49:37 PST',
      'Sun, 06 Nov 1994 08:49:37 +0000',
      '1994-11-06T08:49:37Z',
      'Mon, 31 Feb 2026 10:00:00 GMT',
      'Foo, 99 Bar 2026 99:99:99 GMT',
      'Sun, 06 Nov 1994 24:00:00 GMT',
      'Sun Nov  6 08:49:37 1994 GMT',
    ]) {
      expect(parseHttpDate(value), value).toBeUndefined();
    }
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('007', now)).toBe(7_000);
  });

  it('reads all three HTTP-date forms as a wait from now', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sunday, 01-Mar-26 12:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Sun Mar  1 12:01:00 2026', now)).toBe(60_000);
  });

  it('treats a date in the past as "retry now"', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(RFC_IMF, now)).toBe(0);
  });

  // Issue 14: a Retry-After of 400 digits or a date in the year 9999 asked us to wait for years (or Infinity).
  it('keeps every wait whole, finite and at most MAX_RETRY_AFTER_MS', () => {
    expect(parseRetryAfter('9'.repeat(400), now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('Fri, 31 Dec 9999 23:59:59 GMT', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('86400', now)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('returns undefined for absent or unreadable values, so the policy uses its own backoff', () => {
    for (const value of [undefined, null, '', '   ', 'soon', '-5', '+5', '1.5', '2.0', '1e3', '0x10', '2026-03-01', 'Infinity', 'NaN', '5 s']) {
      expect(parseRetryAfter(value, now), String(value)).toBeUndefined();
    }
  });

  describe('whatever the process time zone', () => {
    const saved = process.env['TZ'];
    afterEach(() => {
      if (saved === undefined) delete process.env['TZ'];
      else process.env['TZ'] = saved;
    });

    // The SOAP adapter's own copy read an asctime date (no zone written, GMT by definition) with Date.parse, which
    // takes it as local time: eight hours off in Los Angeles.
    it('reads an asctime date as GMT in Los Angeles too (the SOAP copy read it as local time)', () => {
      process.env['TZ'] = 'America/Los_Angeles';
      const asctime = 'Sun Mar  1 12:01:00 2026';
      expect(Date.parse(asctime) - now).not.toBe(60_000); // what the old SOAP copy computed
      expect(parseRetryAfter(asctime, now)).toBe(60_000);
      expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', now)).toBe(30_000);
    });
  });
});

describe('throttleWaitFromHeaders', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');

  it('prefers Retry-After, then falls back to the rate-limit reset headers', () => {
    expect(throttleWaitFromHeaders(new Headers({ 'retry-after': '3', 'x-ratelimit-reset': '60' }), now)).toBe(3_000);
    expect(throttleWaitFromHeaders(new Headers({ 'ratelimit-reset': '12' }), now)).toBe(12_000);
    expect(throttleWaitFromHeaders(new Headers({ 'x-ratelimit-reset': '45' }), now)).toBe(45_000);
  });

  it('reads an epoch-second reset as a time, and one in the past as "now"', () => {
    expect(throttleWaitFromHeaders(new Headers({ 'x-ratelimit-reset': String(now / 1000 + 90) }), now)).toBe(90_000);
    expect(throttleWaitFromHeaders(new Headers({ 'x-ratelimit-reset': String(now / 1000 - 90) }), now)).toBe(0);
    expect(throttleWaitFromHeaders(new Headers({ 'x-ratelimit-reset': '9'.repeat(30) }), now)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('reads a plain header record (the soap package), with any case and list values', () => {
    expect(throttleWaitFromHeaders({ 'Retry-After': '4' }, now)).toBe(4_000);
    expect(throttleWaitFromHeaders({ 'retry-after': ['5', '9'] }, now)).toBe(5_000);
    expect(throttleWaitFromHeaders({ 'retry-after': 6 }, now)).toBe(6_000);
    expect(throttleWaitFromHeaders({ 'retry-after': { value: 6 } }, now)).toBeUndefined();
  });

  it('returns undefined when no header says anything readable', () => {
    expect(throttleWaitFromHeaders(new Headers(), now)).toBeUndefined();
    expect(throttleWaitFromHeaders(new Headers({ 'x-ratelimit-reset': 'soon', 'retry-after': 'later' }), now)).toBeUndefined();
  });
});

describe('waitForStatus', () => {
  it('honours a wait only on 429 and 503', () => {
    const headers = new Headers({ 'retry-after': '2' });
    expect(waitForStatus(429, headers)).toBe(2_000);
    expect(waitForStatus(503, headers)).toBe(2_000);
    for (const status of [200, 301, 400, 404, 500, 502]) expect(waitForStatus(status, headers), String(status)).toBeUndefined();
  });
});
