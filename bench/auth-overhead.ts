/**
 * `npm run bench:auth -- [--requests 900] [--concurrency 8] [--rounds 9] [--products 8] [--budget 45]`: what
 * authentication and authorization add to one GraphQL request through the gateway (docs/security.md; method and
 * figures in docs/benchmarks.md, "Authentication and authorization overhead"). `--requests` is the most measured
 * per mode; fewer are sent when the warm-up's rate says they would not fit in `--budget` seconds (slower stores).
 *
 * One stack, three callers side by side, sending the same query over HTTP:
 * - `dev (no token)` — the baseline. There is no "auth off" mode (docs/security.md, "Modes"): the closest is
 *   AUTH_MODE=dev without an `Authorization` header, which skips authentication, the per-partner bucket and the
 *   `token.used` audit entry, but still pays what every request pays: the throttle's map lookup, the operation
 *   guard's walk (limits + scopes), a signed single-use header per subgraph fetch, its verification and `jti` claim
 *   in each subgraph, and graphql-shield. Part 2 of the output prices that always-on floor in isolation.
 * - `JWT (RS256)` — a token from a local JWKS server (keys cached by jose after the first request).
 * - `API token` — a `dsk_…` token, looked up by SHA-256 in the token store on every request.
 * Both partner principals carry `catalog:read inventory:read`, no supplier limit, so all three get the same data
 * (checked before measuring).
 *
 * Modes alternate in short blocks, in a rotating order, so drift on this shared machine (other processes, GC,
 * JIT) falls on all of them alike; warm-up requests are not counted. CPU is this process's user + system time per
 * request (gateway, subgraphs, sandboxes and the client all run here; the client's share is the same in each mode,
 * so the difference to the baseline is what auth costs).
 *
 * Stores: embedded by default; MONGO_URL (token store, audit log) and REDIS_URL (partner buckets, `jti` claims,
 * offer cache) when set — a random database and key prefix, removed afterwards. The output says which.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { buildClientSchema, getIntrospectionQuery, parse, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import { MongoClient } from 'mongodb';
import { Redis } from 'ioredis';
import { loadConfig } from '../platform/config.ts';
import { silentLogger } from '../platform/logger.ts';
import { createGatewayTokenSigner, createGatewayTokenVerifier } from '../platform/auth/gateway-token.ts';
import { createGatewayRequestVerifier } from '../platform/auth/gateway-request-verifier.ts';
import { readScopeDeclarations } from '../platform/auth/scope-declarations.ts';
import type { Principal } from '../platform/auth/principal.ts';
import { analyzeOperation } from '../gateway/auth/operation-analysis.ts';
import { createMemoryAuthGuardStore } from '../adapters/auth-guard/memory-auth-guard-store.ts';
import { createRedisAuthGuardStore } from '../adapters/auth-guard/redis-auth-guard-store.ts';
import { connectRedis } from '../adapters/redis/redis-client.ts';
import { readSupergraph } from '../gateway/supergraph.ts';
import { startStack, type Stack } from '../stack/start-stack.ts';
import { createAuditLog } from '../platform/audit/audit-log.ts';
import { createAuthenticator } from '../gateway/auth/authenticate.ts';
import { createJwtVerifier } from '../gateway/auth/jwt-verifier.ts';
import { tenantBucketKey } from '../gateway/auth/request-rate-limit.ts';
import { createTokenService } from '../subgraphs/access/token-service.ts';
import { SUPPLIERS } from '../platform/supplier-registry.ts';
import { AUDIENCE, ISSUER, mintJwt, newSigningKey, seedSmallCatalog, startJwksServer } from '../test/security/support.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

/**
 * Catalog (products, titles) + inventory (stock from our records, offers) + the three supplier subgraphs (each
 * offer's live fields, batched per supplier): several subgraph fetches per request, as a product listing does. The
 * offer cache is kept warm (long TTL, filled during warm-up) so the sandboxes' simulated latency does not bury a
 * sub-millisecond difference; `stale` stays false for the whole run.
 */
const QUERY = `query AuthBench($first: Int!) {
  products(first: $first) {
    sku title brand gtin
    stock { available onHand bySupplier { supplier available } }
    offers { __typename available stale cost { amount currency } leadTimeDays }
  }
}`;
/** One subgraph, one fetch: authentication is the largest share it can be of a request. */
const LIGHT_QUERY = `query AuthBenchLight($sku: ID!) { product(sku: $sku) { sku title brand gtin } }`;
/** Tokens added before the lookup is timed again (part 3). */
const EXTRA_TOKENS = 200;
const SCOPES = ['catalog:read', 'inventory:read'] as const;

interface Mode {
  readonly name: string;
  readonly authorization: string | undefined;
}
interface Sample {
  latencies: number[];
  wallMs: number;
  cpuUs: number;
  requests: number;
  errors: number;
}

/**
 * Sequential timing of one step: wall µs and this process's CPU µs per call. On a loaded machine the wall time
 * includes waiting for a core; the CPU time is what the step itself burns. Each call of fn gets a fresh index
 * (warm-up included): a verified gateway header may not be presented twice to one claim store.
 */
async function time(n: number, fn: (i: number) => unknown): Promise<{ wallUs: number; cpuUs: number }> {
  let k = 0;
  for (let i = 0; i < Math.min(n, 300); i += 1) await fn(k++);
  const cpu = process.cpuUsage();
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i += 1) await fn(k++);
  const wallUs = Number(process.hrtime.bigint() - t) / 1000 / n;
  const used = process.cpuUsage(cpu);
  return { wallUs, cpuUs: (used.user + used.system) / n };
}
const us = (x: number) => x.toFixed(1);

/** Ctrl-C or a timeout's SIGTERM: stop sending, then still close the stack and remove the bench's data. */
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => (interrupted = true));

const percentile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)]!;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function main(): Promise<void> {
  const requests = arg('requests', 900);
  const concurrency = arg('concurrency', 8);
  const rounds = arg('rounds', 9);
  const products = arg('products', 8);
  /** Seconds of measured requests for the main query (a third of it for the light one). */
  const budget = arg('budget', 45);
  const mongoUrl = process.env['MONGO_URL'] || undefined;
  const redisUrl = process.env['REDIS_URL'] || undefined;
  const id = randomBytes(4).toString('hex');
  const keyPrefix = `bench:auth:${id}:`;
  const mongoDb = `bench_auth_${id}`;
  const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`auth overhead benchmark: token store + audit log in ${mongoUrl ? 'MongoDB (MONGO_URL)' : 'memory (set MONGO_URL for MongoDB)'}; partner buckets, jti claims, offer cache in ${redisUrl ? 'Redis (REDIS_URL)' : 'memory (set REDIS_URL for Redis)'}; node ${process.version}`);
  console.log(`load average at start (1/5/15 min): ${load()} — shared 2-core machine`);

  const key = await newSigningKey('bench-key');
  const jwks = await startJwksServer([key]);
  const stack = await startStack({
    config: loadConfig({
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'silent',
      KEY_PREFIX: keyPrefix,
      MONGO_DB: mongoDb,
      ...(mongoUrl ? { MONGO_URL: mongoUrl } : {}),
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      AUTH_MODE: 'dev',
      JWKS_URL: jwks.url,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      // The partner bucket is taken on every token request (that cost is measured) but never runs dry.
      PARTNER_RATE_PER_SECOND: '100000',
      PARTNER_RATE_BURST: '1000000',
      OFFER_CACHE_TTL_MS: '3600000',
      BRIGHTLINE_POLL_INTERVAL_MS: '0',
      HARBORPROMO_POLL_INTERVAL_MS: '0',
      MAPLECART_POLL_INTERVAL_MS: '0',
      RECONCILE_INTERVAL_MS: '0',
    }),
    log: silentLogger(),
    subgraphPorts: 'random',
    seed: false,
  });
  try {
    const seeded = await seedSmallCatalog(stack, products);
    const tokens = createTokenService({ tokens: stack.stores.tokens, knownSuppliers: SUPPLIERS.map((s) => s.slug) });
    const issued = await tokens.issue({ tenant: 'acme', scopes: [...SCOPES], suppliers: null, expiresInDays: 1 }, { actor: 'cli:bench', subject: 'bench' });
    const jwt = await mintJwt(key, { tenant: 'acme', scope: SCOPES.join(' '), expiresIn: 3_600 });
    const modes: Mode[] = [
      { name: 'dev (no token): baseline', authorization: undefined },
      { name: 'JWT (RS256, JWKS)', authorization: `Bearer ${jwt}` },
      { name: 'API token', authorization: `Bearer ${issued.token}` },
    ];

    // Subgraph fetches per request, counted at the subgraphs' HTTP servers.
    let subgraphRequests = 0;
    for (const s of stack.subgraphs.values()) s.server.on('request', () => (subgraphRequests += 1));

    const send = async (mode: Mode, body: string): Promise<{ ok: boolean; data: string }> => {
      const response = await fetch(stack.gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(mode.authorization ? { authorization: mode.authorization } : {}) },
        body,
      });
      const json = (await response.json()) as { errors?: unknown[]; data?: Record<string, unknown> };
      const data = json.data ? Object.values(json.data)[0] : undefined;
      return { ok: response.status === 200 && !json.errors && data != null && (!Array.isArray(data) || data.length > 0), data: JSON.stringify(json.data) };
    };
    const run = async (mode: Mode, body: string, count: number): Promise<Sample> => {
      const latencies: number[] = [];
      let errors = 0;
      let next = 0;
      const cpu = process.cpuUsage();
      const started = performance.now();
      const worker = async () => {
        while (next < count) {
          if (interrupted) throw new Error('interrupted');
          next += 1;
          const t = performance.now();
          const { ok } = await send(mode, body);
          latencies.push(performance.now() - t);
          if (!ok) errors += 1;
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      const wallMs = performance.now() - started;
      const used = process.cpuUsage(cpu);
      return { latencies, wallMs, cpuUs: used.user + used.system, requests: count, errors };
    };

    /** Checks, warms up, then measures one query in every mode, alternating; prints and returns the rows. */
    const measure = async (label: string, body: string, maxCount: number, budgetSeconds: number) => {
      // Same answer in every mode (same data, no errors), and everything warm: JIT, JWKS cache, offer cache, sockets.
      const answers = await Promise.all(modes.map((m) => send(m, body)));
      for (const [i, a] of answers.entries()) if (!a.ok) throw new Error(`${modes[i]!.name}: the query failed: ${a.data}`);
      if (new Set(answers.map((a) => a.data)).size !== 1) throw new Error('the modes got different answers: the comparison would be unfair');
      const before = subgraphRequests;
      await send(modes[0]!, body);
      const fetches = subgraphRequests - before;
      for (const m of modes) await run(m, body, 40);
      const warm = await run(modes[0]!, body, 40);
      // Within the time budget: fewer requests when the stores are slower (FerretDB), so a run stays under 2 min.
      const count = Math.min(maxCount, Math.max(rounds * 10, Math.floor(((warm.requests * 1000) / warm.wallMs) * budgetSeconds / modes.length)));

      const totals = new Map(modes.map((m) => [m.name, { latencies: [] as number[], wallMs: 0, cpuUs: 0, requests: 0, errors: 0, roundMeans: [] as number[], roundCpu: [] as number[] }]));
      const perRound = Math.ceil(count / rounds);
      const started = performance.now();
      for (let r = 0; r < rounds; r += 1) {
        // Rotating order: each mode runs first, second and third equally often.
        for (let k = 0; k < modes.length; k += 1) {
          const mode = modes[(r + k) % modes.length]!;
          const s = await run(mode, body, perRound);
          const t = totals.get(mode.name)!;
          t.latencies.push(...s.latencies);
          t.wallMs += s.wallMs;
          t.cpuUs += s.cpuUs;
          t.requests += s.requests;
          t.errors += s.errors;
          t.roundMeans.push(mean(s.latencies));
          t.roundCpu.push(s.cpuUs / s.requests);
        }
      }
      const seconds = (performance.now() - started) / 1000;
      const baseRounds = totals.get(modes[0]!.name)!;
      const rows = modes.map((m) => {
        const t = totals.get(m.name)!;
        const sorted = [...t.latencies].sort((a, b) => a - b);
        // The spread of the per-round ratios shows how much of a difference is noise on this shared machine.
        const ratios = t.roundMeans.map((x, i) => x / baseRounds.roundMeans[i]!).sort((a, b) => a - b);
        const cpuRatios = t.roundCpu.map((x, i) => x / baseRounds.roundCpu[i]!).sort((a, b) => a - b);
        return {
          medianRoundRatio: percentile(ratios, 0.5),
          medianRoundCpuRatio: percentile(cpuRatios, 0.5),
          roundCpuRatioMin: cpuRatios[0]!,
          roundCpuRatioMax: cpuRatios[cpuRatios.length - 1]!, mode: m.name, rps: (t.requests * 1000) / t.wallMs, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), mean: mean(sorted), cpuUs: t.cpuUs / t.requests, errors: t.errors, requests: t.requests, roundRatioMin: Math.min(...ratios), roundRatioMax: Math.max(...ratios) };
      });
      const base = rows[0]!;
      console.log(`\n${label}: ${fetches} subgraph fetch${fetches === 1 ? '' : 'es'} per request`);
      console.log(`   ${base.requests} measured requests per mode, ${concurrency} in flight, ${rounds} rounds alternating modes (${seconds.toFixed(1)} s); warm-up excluded; load average now ${load()}`);
      console.table(
        rows.map((r) => ({
          mode: r.mode,
          'req/s': r.rps.toFixed(0),
          'p50 ms': r.p50.toFixed(2),
          'p95 ms': r.p95.toFixed(2),
          'p99 ms': r.p99.toFixed(2),
          'mean ms': r.mean.toFixed(2),
          'mean / baseline': (r.mean / base.mean).toFixed(3),
          'mean / baseline, per round: median (range)': `${r.medianRoundRatio.toFixed(2)} (${r.roundRatioMin.toFixed(2)}–${r.roundRatioMax.toFixed(2)})`,
          'req/s / baseline': (r.rps / base.rps).toFixed(3),
          'CPU µs/req': r.cpuUs.toFixed(0),
          'CPU Δ µs/req': (r.cpuUs - base.cpuUs).toFixed(0),
          'CPU / baseline, per round: median (range)': `${r.medianRoundCpuRatio.toFixed(2)} (${r.roundCpuRatioMin.toFixed(2)}–${r.roundCpuRatioMax.toFixed(2)})`,
          errors: r.errors,
        })),
      );
      return { label, fetches, rows, data: answers[0]!.data };
    };

    const full = await measure(`1. products(first: ${products}) with catalog, stock and every supplier's offer (${seeded} products seeded)`, JSON.stringify({ query: QUERY, variables: { first: products } }), requests, budget);
    const sku = (JSON.parse(full.data) as { products: { sku: string }[] }).products[0]!.sku;
    const light = await measure('1b. product(sku) { sku title brand gtin } — catalog only: the upper bound of the relative overhead', JSON.stringify({ query: LIGHT_QUERY, variables: { sku } }), requests, Math.ceil(budget / 3));
    const fetchesPerRequest = full.fetches;

    // 2. The floor the baseline pays too, priced alone (sequential, in this process, no HTTP).
    // The API schema as the gateway serves it (the dev admin may introspect).
    const introspection = await fetch(stack.gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: getIntrospectionQuery() }) });
    const schema = buildClientSchema(((await introspection.json()) as { data: IntrospectionQuery }).data);
    const floor = await priceAlwaysOn(schema, products, fetchesPerRequest, redisUrl, keyPrefix);
    console.log(`\n2. Always-on checks, paid by the baseline as well (sequential, µs per request of this query):`);
    console.table(floor);
    const holders = await priceTokenHolders(stack, { jwt, apiToken: issued.token, tokenId: issued.record.id, jwksUrl: jwks.url });
    console.log(`\n3. What only token holders pay, priced alone (sequential, µs per request):`);
    console.table(holders);
    console.log(JSON.stringify({ stores: { mongo: Boolean(mongoUrl), redis: Boolean(redisUrl) }, requests, concurrency, rounds, products, fetchesPerRequest, results: [full, light].map(({ label, fetches, rows }) => ({ label, fetches, rows })), floor, holders, loadAverage: loadavg() }));
  } finally {
    await stack.close();
    await jwks.close();
    if (mongoUrl) {
      const client = await new MongoClient(mongoUrl).connect();
      try {
        await client.db(mongoDb).dropDatabase();
      } finally {
        await client.close();
      }
    }
    if (redisUrl) {
      const redis = new Redis(redisUrl);
      try {
        const keys = await redis.keys(`${keyPrefix}*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    }
  }
}

/**
 * The operation guard's walk over this query, and signing + verifying (+ claiming the `jti` of) one gateway →
 * subgraph header per fetch, timed alone. The bodies are a stand-in of the real ones' size (an `_entities` fetch
 * for `products` representations); auth-guards.ts has the same for a 50-representation body.
 */
async function priceAlwaysOn(schema: GraphQLSchema, products: number, fetches: number, redisUrl: string | undefined, keyPrefix: string) {
  const log = silentLogger();
  const scopes = readScopeDeclarations(parse(readSupergraph(undefined)));
  const document = parse(QUERY);
  const guardUs = await time(2_000, () => analyzeOperation({ schema, document, operationName: 'AuthBench', variables: { first: products }, scopes, defaultListSize: 10, maxVisits: 30_000 }));

  const secret = randomBytes(32).toString('hex');
  const signer = createGatewayTokenSigner(secret);
  const principal: Principal = { kind: 'api-token', subject: 'tok_bench', tenant: 'acme', scopes: [...SCOPES] };
  const fetchBody = JSON.stringify({ query: 'query($representations:[_Any!]!){_entities(representations:$representations){...on Product{stock{available onHand}offers{__typename}}}}', variables: { representations: Array.from({ length: products }, (_, i) => ({ __typename: 'Product', sku: `DS-${100_000 + i}` })) } });
  const n = 3_000;
  // One set of headers serves both verifiers: each claim store sees each jti once.
  const headers = await Promise.all(Array.from({ length: n + 300 }, () => signer.sign(principal, 'inventory', fetchBody)));
  const signUs = await time(n, () => signer.sign(principal, 'inventory', fetchBody));
  const memory = createGatewayRequestVerifier({ tokens: createGatewayTokenVerifier([secret]), claims: createMemoryAuthGuardStore(), fallbackClaims: createMemoryAuthGuardStore(), log });
  const verifyMemUs = await time(n, (i) => memory.verify(headers[i]!, 'inventory', fetchBody));
  const row = (check: string, t: { wallUs: number; cpuUs: number }, times: number) => ({ check, 'wall µs each': us(t.wallUs), 'CPU µs each': us(t.cpuUs), 'CPU µs per request': us(t.cpuUs * times) });
  const rows = [
    row('operation guard (limits + scopes walk), once', guardUs, 1),
    row(`sign a subgraph header, × ${fetches} fetches`, signUs, fetches),
    row(`verify + claim jti in memory, × ${fetches}`, verifyMemUs, fetches),
  ];
  if (redisUrl) {
    const store = createRedisAuthGuardStore({ client: await connectRedis(redisUrl, log, 'bench-auth'), keyPrefix });
    try {
      const red = createGatewayRequestVerifier({ tokens: createGatewayTokenVerifier([secret]), claims: store, fallbackClaims: createMemoryAuthGuardStore(), log });
      const verifyRedisUs = await time(n, (i) => red.verify(headers[i]!, 'inventory', fetchBody));
      rows.push(row(`verify + claim jti in Redis, × ${fetches}`, verifyRedisUs, fetches));
    } finally {
      await store.close();
    }
  }
  return rows;
}

/**
 * The steps a token request adds to the baseline's path, timed alone with the stack's own stores: authentication
 * (JWT signature + claims with the key cached; API token hash + token-store lookup), the tenant's bucket, and the
 * `token.used` audit entry (written in the background on the real path: CPU and store load, not latency).
 */
async function priceTokenHolders(stack: Stack, input: { jwt: string; apiToken: string; tokenId: string; jwksUrl: string }) {
  const log = silentLogger();
  const jwt = createJwtVerifier({ jwksUrl: input.jwksUrl, issuer: ISSUER, audience: AUDIENCE, clockSkewSeconds: 30 });
  const authenticate = createAuthenticator({ mode: 'required', jwt, tokens: stack.stores.tokens, log });
  const audit = createAuditLog({ store: stack.stores.audit, log });
  const n = 2_000;
  const jwtUs = await time(n, () => authenticate(`Bearer ${input.jwt}`));
  const tokenUs = await time(n, () => authenticate(`Bearer ${input.apiToken}`));
  const bucketUs = await time(n, () => stack.stores.rateLimits.take([{ key: tenantBucketKey('partner', 'bench'), tokens: 1, capacity: 1_000_000, refillPerSec: 100_000 }]));
  const auditUs = await time(Math.min(n, 500), () => audit.record({ actor: `token:${input.tokenId}`, action: 'token.used', outcome: 'success', tenant: 'acme', target: `token:${input.tokenId}`, requestId: 'bench' }));
  // The token lookup again with more tokens stored: an equality match on `hash` is an index lookup on MongoDB, but
  // FerretDB 1.24 scans the collection for any filter other than `{ _id }`.
  const service = createTokenService({ tokens: stack.stores.tokens, knownSuppliers: SUPPLIERS.map((s) => s.slug) });
  for (let i = 0; i < EXTRA_TOKENS; i += 1) await service.issue({ tenant: `other${i}`, scopes: ['catalog:read'], suppliers: null, expiresInDays: 1 }, { actor: 'cli:bench', subject: 'bench' });
  const tokenManyUs = await time(40, () => authenticate(`Bearer ${input.apiToken}`));
  const where = stack.stores.mode;
  const row = (step: string, t: { wallUs: number; cpuUs: number }) => ({ step, 'wall µs': us(t.wallUs), 'CPU µs': us(t.cpuUs) });
  return [
    row('authenticate a JWT (RS256, key cached)', jwtUs),
    row(`authenticate an API token (SHA-256 + lookup, ${where.documents})`, tokenUs),
    row(`the same with ${EXTRA_TOKENS + 1} tokens stored`, tokenManyUs),
    row(`take from the tenant's bucket (${where.cache})`, bucketUs),
    row(`append token.used to the audit log (${where.documents}; background)`, auditUs),
  ];
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('benchmark failed:', error);
    process.exit(1);
  },
);
