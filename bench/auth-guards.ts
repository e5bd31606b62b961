/**
 * `npx tsx bench/auth-guards.ts` (REDIS_URL optional): what partner-access checks cost per request
 * (docs/security.md): the failed-authentication throttle's in-memory check that every request pays, signing a
 * gateway → subgraph header over a body, and a subgraph's verification with its single-use claim, in memory and
 * (with REDIS_URL) on Redis. Sequential, one operation at a time: these are per-request latencies, not throughput.
 * Redis keys live under a bench prefix and expire within 70 s.
 */
import { createFailureThrottle } from '../gateway/auth/failure-throttle.ts';
import { createMemoryAuthGuardStore } from '../adapters/auth-guard/memory-auth-guard-store.ts';
import { createRedisAuthGuardStore } from '../adapters/auth-guard/redis-auth-guard-store.ts';
import { connectRedis } from '../adapters/redis/redis-client.ts';
import { createGatewayTokenSigner, createGatewayTokenVerifier } from '../platform/auth/gateway-token.ts';
import { createGatewayRequestVerifier } from '../platform/auth/gateway-request-verifier.ts';
import { silentLogger } from '../platform/logger.ts';
const log = silentLogger();
const time = async (label: string, n: number, fn: (i: number) => unknown) => {
  let k = 0; for (let i = 0; i < Math.min(n, 500); i++) await fn(k++);
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(k++);
  const us = Number(process.hrtime.bigint() - t) / 1000 / n;
  console.log(`${label}: ${us.toFixed(2)} µs/op`);
};
const t1 = createFailureThrottle({ store: createMemoryAuthGuardStore(), limit: 1, windowMs: 60_000, log });
await time('throttle.check, nothing throttled', 200_000, () => t1.check({ address: '10.0.0.1', credential: 'Bearer dsk_' + 'x'.repeat(43) }));
for (let i = 0; i < 10_000; i++) { try { await t1.failed({ address: `10.1.${i >> 8}.${i & 255}`, credential: `Bearer bad${i}` }, 'unknown_token', 'r'); await t1.failed({ address: `10.1.${i >> 8}.${i & 255}`, credential: `Bearer bad${i}` }, 'unknown_token', 'r'); } catch {} }
await time('throttle.check, 20k keys throttled', 200_000, () => t1.check({ address: '10.0.0.1', credential: 'Bearer dsk_' + 'x'.repeat(43) }));
const secret = 's'.repeat(40);
const signer = createGatewayTokenSigner(secret);
const body = JSON.stringify({ query: 'query($r:[_Any!]!){_entities(representations:$r){...on Product{sku title}}}', variables: { r: Array.from({ length: 50 }, (_, i) => ({ __typename: 'Product', sku: `DS-${i}` })) } });
const p = { kind: 'api-token' as const, subject: 't', tenant: 'acme', scopes: ['catalog:read' as const] };
await time('sign (with body hash, jti)', 5_000, () => signer.sign(p, 'catalog', body));
const tokens = await Promise.all(Array.from({ length: 14_000 }, () => signer.sign(p, 'catalog', body)));
const mem = createGatewayRequestVerifier({ tokens: createGatewayTokenVerifier([secret]), claims: createMemoryAuthGuardStore(), fallbackClaims: createMemoryAuthGuardStore(), log });
await time('subgraph verify, memory claims', 5_000, (i) => mem.verify(tokens[i]!, 'catalog', body));
if (process.env.REDIS_URL) {
  const store = createRedisAuthGuardStore({ client: await connectRedis(process.env.REDIS_URL, log, 'bench'), keyPrefix: `bench:${Date.now()}:` });
  const red = createGatewayRequestVerifier({ tokens: createGatewayTokenVerifier([secret]), claims: store, fallbackClaims: createMemoryAuthGuardStore(), log });
  await time('subgraph verify, Redis claims', 5_000, (i) => red.verify(tokens[7000 + i]!, 'catalog', body));
  await store.close();
}
