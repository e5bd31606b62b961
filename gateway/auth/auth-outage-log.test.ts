/**
 * Issue 14, point 6 (unauthenticated log paths): while the token store was down, every request presenting any API
 * token — anyone's, forged ones included — logged "authentication failed: token store unavailable". Now the first
 * is logged through the request's logger (its id on it) and the rest are counted into one line a minute.
 */
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMemoryTokenStore } from '../../adapters/storage/memory/token-store.ts';
import { generateApiToken } from '../../platform/auth/api-token.ts';
import { loadConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/logger.ts';
import type { RateLimitStore } from '../../platform/ports/rate-limit-store.ts';
import type { TokenStore } from '../../platform/ports/token-store.ts';
import { createGatewayAuth } from './gateway-auth.ts';
import { createMemoryAuthGuardStore } from '../../adapters/auth-guard/memory-auth-guard-store.ts';

const brokenBuckets: RateLimitStore = {
  take: async () => Promise.reject(new Error('bucket store down')),
  adjust: async () => Promise.reject(new Error('bucket store down')),
  peek: async () => Promise.reject(new Error('bucket store down')),
  close: async () => {},
};

describe('authentication failures a store outage causes are rate-limited in the log', () => {
  it('1,000 forged tokens while the token store is down: one warning, with the first request id, and 1,000 counted', async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(...String(chunk).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>)), done()) });
    const log = createLogger({ level: 'warn', destination });
    const tokens: TokenStore = { ...createMemoryTokenStore(), findByHash: async () => Promise.reject(new Error('token store down')) };
    const config = loadConfig({ AUTH_MODE: 'required', PARTNER_RATE_PER_SECOND: '10' }).auth;
    const metricsRegistry = new Registry();
    const auth = createGatewayAuth({ config, tokens, rateLimits: brokenBuckets, authGuards: createMemoryAuthGuardStore(), signingSecret: 'auth-outage-0123456789abcdef012345', log, metricsRegistry });
    for (let i = 0; i < 1_000; i += 1) {
      const request = { headers: { authorization: `Bearer ${generateApiToken().token}` }, socket: { remoteAddress: `10.0.${i % 250}.1` } } as never;
      await expect(auth.authenticate(request, `req-${i}`)).rejects.toThrow();
    }
    await new Promise((r) => setImmediate(r));
    const warnings = lines.filter((l) => String(l['msg']).startsWith('authentication failed: token store unavailable'));
    expect(warnings, JSON.stringify(warnings)).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ requestId: 'req-0' });
    // Every one counted, logged or not.
    const counted = (await metricsRegistry.getSingleMetric('log_events_total')!.get()).values.find((v) => v.labels['event'] === 'authentication_unavailable');
    expect(counted?.value).toBe(1_000);
  });
});
