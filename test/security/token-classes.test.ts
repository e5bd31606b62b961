/**
 * Issue 18, "First-party clients are not partners": with AUTH_MODE=required, a storefront's token used to get the
 * partner bucket (10 requests/s per tenant, burst 50) and most of a shop's traffic was answered 429. Token classes
 * now have their own limits, and a storefront may forward its shopper (X-Shopper-Id) for a bucket per shopper.
 * Through real gateways over HTTP, over the stack's subgraphs, once with the in-memory bucket store and once with
 * the Redis one (REDIS_URL); tokens are issued through the `issueApiToken` mutation as an operator would.
 */
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { SignJWT } from 'jose';
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryAuthGuardStore } from '../../adapters/auth-guard/memory-auth-guard-store.ts';
import { createMemoryBucketStore } from '../../adapters/ratelimit/memory-bucket-store.ts';
import { createRedisBucketStore } from '../../adapters/ratelimit/redis-bucket-store.ts';
import { connectRedis } from '../../adapters/redis/redis-client.ts';
import { createGatewayAuth } from '../../gateway/auth/gateway-auth.ts';
import { startGateway, type RunningGateway } from '../../gateway/create-gateway.ts';
import { readSupergraph } from '../../gateway/supergraph.ts';
import { generateApiToken } from '../../platform/auth/api-token.ts';
import { createLogger, silentLogger } from '../../platform/logger.ts';
import type { RateLimitStore } from '../../platform/ports/rate-limit-store.ts';
import { testConfig } from '../support/stack-env.ts';
import { AUDIENCE, ISSUER, SIGNING_SECRET, startSecureStack, type SecureStack } from './support.ts';

const redisUrl = process.env.REDIS_URL;
const VIEWER = { query: '{ viewer { tenant tokenClass } }' };
/** Small enough to cross in a test, large enough that the partner limit (burst 50) is never the one hit. */
const SHOPPER = { SHOPPER_RATE_PER_SECOND: '0.2', SHOPPER_RATE_BURST: '5' };
/** Shopper ids as a shop might send them: opaque, but personal data all the same. None may reach a log line. */
const SHOPPER_A = `cust-a-${randomBytes(6).toString('hex')}`;
const SHOPPER_B = `cust-b-${randomBytes(6).toString('hex')}`;
/** Named here so the tokens CLI can be pointed at the stack's database. */
const MONGO_DB = `test_classes_${randomBytes(4).toString('hex')}`;

interface Answer {
  readonly status: number;
  readonly json: any;
  readonly retryAfter: string | null;
}

describe('token classes at the gateway (issue 18)', () => {
  let s: SecureStack;
  let operator: string;
  const started: RunningGateway[] = [];
  const redisClients: Redis[] = [];
  const logged: string[] = [];

  beforeAll(async () => {
    s = await startSecureStack({ MONGO_DB });
    operator = (await s.issue('ops', ['admin'])).token;
  }, 300_000);

  afterAll(async () => {
    for (const g of started) await g.close();
    for (const c of redisClients) c.disconnect();
    await s?.close();
  });

  /** A gateway over the stack's subgraphs with this bucket store; it logs at trace into `logged`. */
  async function gateway(rateLimits: RateLimitStore, env: Record<string, string> = {}): Promise<RunningGateway> {
    const config = testConfig({ AUTH_MODE: 'required', GATEWAY_SIGNING_SECRET: SIGNING_SECRET, JWKS_URL: s.jwks.url, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, ...env });
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(chunk.toString('utf8'));
        done();
      },
    });
    const log = createLogger({ level: 'trace', destination, format: 'json' });
    const running = await startGateway({
      supergraphSdl: readSupergraph(undefined),
      subgraphUrls: Object.fromEntries(s.stack.gateway.subgraphs.map((g) => [g.name, g.url])),
      port: 0,
      log,
      auth: createGatewayAuth({ config: config.auth, tokens: s.stack.stores.tokens, rateLimits, authGuards: createMemoryAuthGuardStore(), signingSecret: SIGNING_SECRET, log, jwks: { cooldownMs: 0 } }),
    });
    started.push(running);
    return running;
  }

  async function send(g: RunningGateway, token: string, body: unknown = VIEWER, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(g.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: await response.json(), retryAfter: response.headers.get('retry-after') };
  }

  /** `n` requests, `concurrency` at a time, as fast as they go; the answers and the seconds it took. */
  async function burst(g: RunningGateway, token: string, n: number, headers: Record<string, string> = {}, concurrency = 25): Promise<{ answers: Answer[]; seconds: number }> {
    const answers: Answer[] = [];
    const started = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next += 1;
        answers.push(await send(g, token, VIEWER, headers));
      }
    }));
    return { answers, seconds: (performance.now() - started) / 1000 };
  }

  /** Issues a token through the gateway's `issueApiToken`, as an operator with an admin token would. */
  async function issue(g: RunningGateway, tenant: string, tokenClass: 'STOREFRONT' | 'PARTNER' | null, scopes: string[] | null = null): Promise<string> {
    const query = 'mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token apiToken { tokenClass scopes } } }';
    const { status, json } = await send(g, operator, { query, variables: { input: { tenant, tokenClass, scopes } } });
    expect(status, JSON.stringify(json)).toBe(200);
    expect(json.errors).toBeUndefined();
    return json.data.issueApiToken.token;
  }

  function describeWith(name: string, openStore: () => Promise<RateLimitStore>) {
    describe(`with the ${name} bucket store`, () => {
      let g: RunningGateway;
      const tenant = (t: string) => `${t}-${name}`;

      beforeAll(async () => {
        g = await gateway(await openStore(), SHOPPER);
      }, 60_000);

      it('serves a storefront token a burst far above the partner limit (300 requests, no 429), while a partner token is limited as before', { timeout: 60_000 }, async () => {
        const storefront = await issue(g, tenant('shop'), 'STOREFRONT');
        const shop = await burst(g, storefront, 300);
        expect(shop.answers.filter((a) => a.status === 429)).toEqual([]);
        expect(shop.answers.every((a) => a.status === 200 && a.json.data.viewer.tokenClass === 'STOREFRONT')).toBe(true);

        const partner = await issue(g, tenant('partner'), 'PARTNER', ['catalog:read']);
        const other = await burst(g, partner, 300);
        const served = other.answers.filter((a) => a.status === 200).length;
        // Burst 50, then 10 a second: whatever the machine's speed, no more than that is served.
        expect(served).toBeGreaterThanOrEqual(50);
        expect(served).toBeLessThanOrEqual(50 + Math.ceil(10 * other.seconds) + 1);
        const refused = other.answers.filter((a) => a.status === 429);
        expect(refused.length).toBe(300 - served);
        for (const r of refused) {
          expect(r.json.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'tenant', tokenClass: 'partner' });
          expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
        }
      });

      it('limits a token issued before classes existed (no class stored) exactly like a partner', { timeout: 60_000 }, async () => {
        const secret = generateApiToken();
        await s.stack.stores.tokens.insert({ id: secret.id, hash: secret.hash, hint: secret.hint, tenant: tenant('legacy'), scopes: ['catalog:read'], suppliers: null, label: null, createdBy: 'cli', createdAt: new Date().toISOString(), expiresAt: null, revokedAt: null });
        const legacy = await burst(g, secret.token, 120);
        const served = legacy.answers.filter((a) => a.status === 200);
        expect(served[0]?.json.data.viewer.tokenClass).toBe('PARTNER');
        expect(served.length).toBeLessThanOrEqual(50 + Math.ceil(10 * legacy.seconds) + 1);
        expect(legacy.answers.find((a) => a.status === 429)?.json.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'tenant', tokenClass: 'partner' });
      });

      it('limits one shopper over their limit while another shopper through the same storefront token is served', { timeout: 60_000 }, async () => {
        const storefront = await issue(g, tenant('shop-shoppers'), 'STOREFRONT');
        const greedy = await burst(g, storefront, 12, { 'x-shopper-id': SHOPPER_A }, 4);
        const refused = greedy.answers.filter((a) => a.status === 429);
        // Burst 5, then one every 5 s.
        expect(refused.length).toBeGreaterThanOrEqual(12 - 5 - Math.ceil(0.2 * greedy.seconds) - 1);
        expect(refused.length).toBeGreaterThan(0);
        for (const r of refused) {
          expect(r.json.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'shopper', tokenClass: 'storefront' });
          expect(r.json.errors[0].message).toMatch(/for this shopper/);
          expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
        }
        // Shopper A is still limited; B, and the shop's own requests without a shopper, are served.
        expect((await send(g, storefront, VIEWER, { 'x-shopper-id': SHOPPER_A })).status).toBe(429);
        const b = await burst(g, storefront, 5, { 'x-shopper-id': SHOPPER_B }, 5);
        expect(b.answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
        expect((await send(g, storefront)).status).toBe(200);
      });

      it('ignores the shopper header from a partner token: the partner limit alone applies', { timeout: 60_000 }, async () => {
        const partner = await issue(g, tenant('partner-shopper'), 'PARTNER', ['catalog:read']);
        // Twice the shopper burst under one shopper id: a storefront would be refused, a partner is not.
        const answers = (await burst(g, partner, 10, { 'x-shopper-id': SHOPPER_A }, 2)).answers;
        expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
        // Nor is a malformed one read.
        expect((await send(g, partner, VIEWER, { 'x-shopper-id': 'not a valid id!' })).status).toBe(200);
      });

      it('refuses a malformed shopper id from a storefront (400 INVALID_INPUT), before any subgraph', { timeout: 30_000 }, async () => {
        const storefront = await issue(g, tenant('shop-bad-id'), 'STOREFRONT');
        for (const bad of ['x'.repeat(129), 'two words', '']) {
          const answer = await send(g, storefront, VIEWER, { 'x-shopper-id': bad });
          expect(answer.status, JSON.stringify(bad)).toBe(400);
          expect(answer.json.errors[0].extensions).toMatchObject({ code: 'INVALID_INPUT', reason: 'shopper-id' });
          expect(answer.json.data).toBeUndefined();
        }
      });
    });
  }

  describeWith('memory', async () => createMemoryBucketStore());
  describe.skipIf(!redisUrl)('Redis', () => {
    describeWith('redis', async () => {
      const client = await connectRedis(redisUrl!, silentLogger(), 'token-classes-test');
      redisClients.push(client);
      return createRedisBucketStore({ client, keyPrefix: `test:${randomBytes(4).toString('hex')}:`, closeClient: false });
    });
  });

  describe('class and scopes', () => {
    let g: RunningGateway;
    beforeAll(async () => {
      g = await gateway(createMemoryBucketStore());
    }, 60_000);

    const jwt = async (claims: Record<string, unknown>) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ tenant: 'jwt-shop', scope: 'catalog:read', ...claims })
        .setProtectedHeader({ alg: s.key.alg, kid: s.key.kid, typ: 'JWT' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject('shop-server')
        .setIssuedAt(now - 5)
        .setExpirationTime(now + 300)
        .sign(s.key.privateKey);
    };

    it('takes the class from a JWT claim; refuses an unknown class and admin on a storefront (401 invalid_claims)', { timeout: 30_000 }, async () => {
      expect((await send(g, await jwt({ token_class: 'storefront' }))).json.data.viewer).toEqual({ tenant: 'jwt-shop', tokenClass: 'STOREFRONT' });
      expect((await send(g, await jwt({}))).json.data.viewer.tokenClass).toBe('PARTNER');
      for (const claims of [{ token_class: 'vip' }, { token_class: 'storefront', scope: 'catalog:read admin' }, { token_class: 7 }]) {
        const answer = await send(g, await jwt(claims));
        expect(answer.status, JSON.stringify(claims)).toBe(401);
        expect(answer.json.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'invalid_claims' });
      }
    });

    it('never issues admin to a storefront, and gives a storefront its default scopes', { timeout: 30_000 }, async () => {
      const query = 'mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { apiToken { tokenClass scopes } } }';
      const refused = await send(g, operator, { query, variables: { input: { tenant: 'shop-admin', tokenClass: 'STOREFRONT', scopes: ['admin'] } } });
      expect(refused.json.errors[0].extensions).toMatchObject({ code: 'INVALID_INPUT' });
      expect(await s.stack.stores.tokens.list({ tenant: 'shop-admin' })).toEqual([]);
      const issued = await send(g, operator, { query, variables: { input: { tenant: 'shop-defaults', tokenClass: 'STOREFRONT' } } });
      expect(issued.json.data.issueApiToken.apiToken).toEqual({ tokenClass: 'STOREFRONT', scopes: ['catalog:read', 'inventory:read'] });
    });

    it('a storefront token without orders scopes is refused an orders field (scopes still decide per field)', { timeout: 30_000 }, async () => {
      const storefront = await issue(g, 'shop-scopes', 'STOREFRONT');
      const answer = await send(g, storefront, { query: '{ orders(first: 1) { nodes { id } } }' });
      expect(answer.status).toBe(403);
      expect(answer.json.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', missingScopes: ['orders:read'] });
    });
  });

  /** `npm run tokens -- <args>` as an operator runs it (its own process, straight on the stack's MongoDB database). */
  function tokensCli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    // No REDIS_URL: only `revoke` uses it (to close subscriptions), and these are issue and list.
    const { REDIS_URL: _unused, ...inherited } = process.env;
    const env = { ...inherited, MONGO_URL: process.env.MONGO_URL!, MONGO_DB, LOG_LEVEL: 'warn' };
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/tokens.ts', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`tokens ${args[0]} did not finish: ${stderr}`));
      }, 30_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  describe.skipIf(!process.env.MONGO_URL)('npm run tokens (MongoDB)', () => {
    it('issues a storefront token with --class alone (its default scopes), which the gateway serves as a storefront; refuses admin on one', { timeout: 60_000 }, async () => {
      const issued = await tokensCli(['issue', '--tenant', 'cli-shop', '--class', 'storefront']);
      expect(issued.code, issued.stderr).toBe(0);
      expect(issued.stderr).toMatch(/tenant=cli-shop {2}class=storefront {2}scopes=catalog:read,inventory:read/);
      // Through the stack's own gateway, as the shop would use it.
      expect((await s.query(issued.stdout.trim(), VIEWER)).json.data.viewer).toEqual({ tenant: 'cli-shop', tokenClass: 'STOREFRONT' });
      const refused = await tokensCli(['issue', '--tenant', 'cli-shop', '--class', 'storefront', '--scopes', 'catalog:read,admin']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/INVALID_INPUT: a storefront token may not carry admin/);
      const listed = await tokensCli(['list', '--tenant', 'cli-shop']);
      expect(listed.stdout.trim().split('\n')).toHaveLength(1);
    });
  });

  // Last, so every request above is in `logged` too; it also makes its own, limited and not.
  it('never writes a forwarded shopper id into the logs', { timeout: 60_000 }, async () => {
    const g = await gateway(createMemoryBucketStore(), SHOPPER);
    const storefront = await issue(g, 'shop-logs', 'STOREFRONT');
    const answers = (await burst(g, storefront, 8, { 'x-shopper-id': SHOPPER_A }, 1)).answers;
    expect(answers.some((a) => a.status === 429)).toBe(true);
    expect((await send(g, storefront, VIEWER, { 'x-shopper-id': SHOPPER_B })).status).toBe(200);
    const all = logged.join('');
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toContain(SHOPPER_A);
    expect(all).not.toContain(SHOPPER_B);
  });
});
