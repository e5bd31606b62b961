import type { GraphQLError } from 'graphql';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMemoryAuthGuardStore } from '../../adapters/auth-guard/memory-auth-guard-store.ts';
import type { AuditEvent, AuditLog } from '../../platform/audit/audit-log.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { AuthGuardStore } from '../../platform/ports/auth-guard-store.ts';
import { clientAddressOf } from './client-address.ts';
import { createFailureThrottle, type FailureSubject } from './failure-throttle.ts';

const BAD = 'Bearer dsk_' + 'x'.repeat(43);

function setup(limit = 3, windowMs = 60_000, given?: AuthGuardStore) {
  let now = 1_000_000;
  // One clock for the throttle and its store, so the windows are exact.
  const store = given ?? createMemoryAuthGuardStore({ now: () => now });
  const audited: AuditEvent[] = [];
  const audit = { recordInBackground: (e: AuditEvent) => void audited.push(e) } as unknown as AuditLog;
  const registry = new Registry();
  const throttle = createFailureThrottle({ store, limit, windowMs, log: silentLogger(), audit, metricsRegistry: registry, now: () => now });
  return { throttle, audited, registry, advance: (ms: number) => (now += ms) };
}

/** The GraphQLError a call threw, or undefined. */
async function caught(run: () => unknown): Promise<GraphQLError | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return error as GraphQLError;
  }
}

const from = (address: string | undefined, credential: string | undefined = BAD): FailureSubject => ({ address, credential });

describe('failed-authentication throttle', () => {
  it('answers the failure past the limit 429 with Retry-After, then refuses the address before any check until the window ends', async () => {
    const { throttle, advance } = setup(3, 60_000);
    for (let i = 0; i < 3; i++) expect(await caught(() => throttle.failed(from('203.0.113.7', `${BAD}${i}`), 'unknown_token', 'r'))).toBeUndefined();
    const over = await caught(() => throttle.failed(from('203.0.113.7', `${BAD}3`), 'unknown_token', 'r'));
    expect(over?.extensions).toMatchObject({ code: 'AUTHENTICATION_THROTTLED', retryAfterMs: 60_000 });
    expect([...(over!.extensions['http'] as { headers: Map<string, string> }).headers]).toContainEqual(['retry-after', '60']);
    // Even a valid credential from that address now, and without counting: the check is in memory.
    advance(30_000);
    const blocked = await caught(() => throttle.check(from('203.0.113.7', 'Bearer a-valid-token')));
    expect(blocked?.extensions).toMatchObject({ code: 'AUTHENTICATION_THROTTLED', retryAfterMs: 30_000 });
    // Other addresses are unaffected.
    expect(await caught(() => throttle.check(from('198.51.100.1', 'Bearer a-valid-token')))).toBeUndefined();
    advance(30_001);
    expect(await caught(() => throttle.check(from('203.0.113.7', 'Bearer a-valid-token')))).toBeUndefined();
  });

  it('throttles one credential retried from many addresses (its hash, never the credential, is the key)', async () => {
    const keys: string[] = [];
    const store = createMemoryAuthGuardStore();
    const spy: AuthGuardStore = { ...store, countFailure: (key, ms) => (keys.push(key), store.countFailure(key, ms)) };
    const { throttle } = setup(2, 60_000, spy);
    await throttle.failed(from('192.0.2.1'), 'revoked', 'r');
    await throttle.failed(from('192.0.2.2'), 'revoked', 'r');
    expect((await caught(() => throttle.failed(from('192.0.2.3'), 'revoked', 'r')))?.extensions['code']).toBe('AUTHENTICATION_THROTTLED');
    expect((await caught(() => throttle.check(from('192.0.2.99'))))?.extensions['code']).toBe('AUTHENTICATION_THROTTLED');
    expect(await caught(() => throttle.check(from('192.0.2.99', 'Bearer another')))).toBeUndefined();
    expect(keys.join(' ')).not.toContain('xxxx');
    expect(keys.filter((k) => k.startsWith('authfail:cred:'))).toEqual(Array(3).fill(expect.stringMatching(/^authfail:cred:[0-9a-f]{32}$/)));
  });

  it('counts failures in metrics by reason, throttles by kind; audits the crossing once, without the credential or the address', async () => {
    const { throttle, audited, registry } = setup(1);
    await throttle.failed(from('203.0.113.8'), 'invalid_signature', 'req-1');
    await caught(() => throttle.failed(from('203.0.113.8'), 'expired', 'req-2'));
    await caught(() => throttle.check(from('203.0.113.8')));
    await throttle.failed(from(undefined, undefined), 'missing', 'req-3');
    const text = await registry.metrics();
    expect(text).toContain('gateway_auth_failures_total{reason="invalid_signature"} 1');
    expect(text).toContain('gateway_auth_failures_total{reason="expired"} 1');
    expect(text).not.toContain('reason="missing"');
    expect(text).toMatch(/gateway_auth_throttled_total\{by="address"\} 2/);
    expect(audited.map((e) => [e.action, e.outcome, e.reason, e.requestId])).toEqual([
      ['token.denied', 'denied', 'AUTHENTICATION_THROTTLED', 'req-2'],
      ['token.denied', 'denied', 'AUTHENTICATION_THROTTLED', 'req-2'],
    ]);
    const serialised = JSON.stringify(audited);
    expect(serialised).not.toContain('203.0.113.8');
    expect(serialised).not.toContain('xxxx');
    expect(audited.map((e) => e.actor)).toEqual([expect.stringMatching(/^client:sha256:[0-9a-f]{16}$/), expect.stringMatching(/^credential:[0-9a-f]{16}$/)]);
  });

  it('lets failures through as plain 401s while the store fails, and does nothing with limit 0', async () => {
    const broken: AuthGuardStore = { countFailure: async () => { throw new Error('down'); }, claimOnce: async () => false, close: async () => {} };
    const { throttle } = setup(1, 60_000, broken);
    for (let i = 0; i < 5; i++) expect(await caught(() => throttle.failed(from('203.0.113.9'), 'unknown_token', 'r'))).toBeUndefined();
    const off = setup(0).throttle;
    for (let i = 0; i < 5; i++) expect(await caught(() => off.failed(from('203.0.113.9'), 'unknown_token', 'r'))).toBeUndefined();
    expect(await caught(() => off.check(from('203.0.113.9')))).toBeUndefined();
  });
});

describe('client address', () => {
  const req = (remoteAddress: string | undefined, xff?: string) => ({ headers: xff === undefined ? {} : { 'x-forwarded-for': xff }, socket: { remoteAddress } });

  it('is the socket peer unless proxies are trusted, then the entry that many hops from the right', () => {
    expect(clientAddressOf(req('10.0.0.5', '1.2.3.4'), 0)).toBe('10.0.0.5');
    expect(clientAddressOf(req('10.0.0.5', 'spoofed, 198.51.100.4'), 1)).toBe('198.51.100.4');
    expect(clientAddressOf(req('10.0.0.5', 'spoofed, 198.51.100.4, 10.0.0.9'), 2)).toBe('198.51.100.4');
    expect(clientAddressOf(req('10.0.0.5'), 1)).toBe('10.0.0.5');
    expect(clientAddressOf({ headers: {} }, 0)).toBeUndefined();
  });

  it('counts IPv4-mapped IPv6 as IPv4 and IPv6 per /64', () => {
    expect(clientAddressOf(req('::ffff:127.0.0.1'), 0)).toBe('127.0.0.1');
    expect(clientAddressOf(req('2001:db8:1:2:aaaa::1'), 0)).toBe('2001:db8:1:2::/64');
    expect(clientAddressOf(req('2001:DB8:1:2:bbbb:cccc:dddd:eeee'), 0)).toBe('2001:db8:1:2::/64');
    expect(clientAddressOf(req('::1'), 0)).toBe('0:0:0:0::/64');
  });
});
