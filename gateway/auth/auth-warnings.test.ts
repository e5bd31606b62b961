/**
 * Issue 12: "token store unavailable" and "partner rate limit unavailable" were logged without the request's id, so
 * a user quoting the id from their response could not be matched to the warning. Through the gateway's own
 * authenticate(req, requestId), with a token store and a bucket store that fail.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createMemoryTokenStore } from '../../adapters/storage/memory/token-store.ts';
import { generateApiToken } from '../../platform/auth/api-token.ts';
import { loadConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/logger.ts';
import type { RateLimitStore } from '../../platform/ports/rate-limit-store.ts';
import type { TokenStore } from '../../platform/ports/token-store.ts';
import { createGatewayAuth } from './gateway-auth.ts';
import { createMemoryAuthGuardStore } from '../../adapters/auth-guard/memory-auth-guard-store.ts';

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger({ level: 'warn', destination }), lines };
}

const brokenBuckets: RateLimitStore = {
  take: async () => Promise.reject(new Error('bucket store down')),
  adjust: async () => Promise.reject(new Error('bucket store down')),
  peek: async () => Promise.reject(new Error('bucket store down')),
  close: async () => {},
};
const request = (token: string) => ({ headers: { authorization: `Bearer ${token}` }, socket: { remoteAddress: '127.0.0.1' } }) as never;
const config = loadConfig({ AUTH_MODE: 'required', PARTNER_RATE_PER_SECOND: '10' }).auth;

describe('authentication warnings carry the request id', () => {
  it('token store unavailable: the warning names the request', async () => {
    const { log, lines } = capturingLogger();
    const tokens: TokenStore = { ...createMemoryTokenStore(), findByHash: async () => Promise.reject(new Error('token store down')) };
    const auth = createGatewayAuth({ config, tokens, rateLimits: brokenBuckets, authGuards: createMemoryAuthGuardStore(), signingSecret: 'auth-warnings-0123456789abcdef0123', log });
    await expect(auth.authenticate(request(generateApiToken().token), 'req-token-store-down')).rejects.toThrow();
    await new Promise((r) => setImmediate(r));
    const warning = lines.find((l) => l['msg'] === 'authentication failed: token store unavailable');
    expect(warning, JSON.stringify(lines)).toMatchObject({ requestId: 'req-token-store-down' });
  });

  it('request rate limit unavailable: the request is let through and the warning names it', async () => {
    const { log, lines } = capturingLogger();
    const tokens = createMemoryTokenStore();
    const secret = generateApiToken();
    await tokens.insert({ id: secret.id, hash: secret.hash, hint: secret.hint, tenant: 'acme', scopes: ['catalog:read'], suppliers: null, label: null, createdBy: 'cli', createdAt: new Date().toISOString(), expiresAt: null, revokedAt: null });
    const auth = createGatewayAuth({ config, tokens, rateLimits: brokenBuckets, authGuards: createMemoryAuthGuardStore(), signingSecret: 'auth-warnings-0123456789abcdef0123', log });
    const principal = await auth.authenticate(request(secret.token), 'req-buckets-down');
    expect(principal.tenant).toBe('acme');
    await new Promise((r) => setImmediate(r));
    const warning = lines.find((l) => l['msg'] === 'request rate limit unavailable; request let through');
    expect(warning, JSON.stringify(lines)).toMatchObject({ requestId: 'req-buckets-down', tenant: 'acme', tokenClass: 'partner' });
  });
});
