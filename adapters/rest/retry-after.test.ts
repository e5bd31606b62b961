import { describe, expect, it } from 'vitest';
import { parseRetryAfter, throttleWaitFromHeaders } from './retry-after.ts';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
  });

  it('reads all three HTTP-date forms as a wait from now', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sunday, 01-Mar-26 12:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Sun Mar  1 12:01:00 2026', now)).toBe(60_000);
  });

  it('treats a date in the past as "retry now"', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('returns undefined for absent or unreadable values, so the policy uses its own backoff', () => {
    for (const value of [undefined, null, '', 'soon', '-5', '1.5', '2026-03-01', 'Foo, 99 Bar 2026 99:99:99 GMT']) {
      expect(parseRetryAfter(value, now), String(value)).toBeUndefined();
    }
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
  });

  it('returns undefined when no header says anything readable', () => {
    expect(throttleWaitFromHeaders(new Headers(), now)).toBeUndefined();
    expect(throttleWaitFromHeaders(new Headers({ 'x-ratelimit-reset': 'soon', 'retry-after': 'later' }), now)).toBeUndefined();
  });
});
