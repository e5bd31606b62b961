/**
 * What the security suites share: a local identity provider (a JWKS endpoint whose keys can rotate), JWT minting,
 * API tokens issued through the store, and a stack in AUTH_MODE=required. The stack runs on MongoDB and Redis when
 * MONGO_URL / REDIS_URL are set, else on the embedded stores.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { silentLogger } from '../../platform/logger.ts';
import { createGatewayTokenSigner } from '../../platform/auth/gateway-token.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { startStack, type Stack, type StackOptions } from '../../stack/start-stack.ts';
import { catalogOf } from '../support/catalog-of.ts';
import { importCatalogs } from '../../subgraphs/catalog/import-catalog.ts';
import { createTokenService } from '../../subgraphs/access/token-service.ts';
import { SUPPLIERS } from '../../platform/supplier-registry.ts';
import { postGraphql, testConfig } from '../support/stack-env.ts';

export const ISSUER = 'https://idp.test.example/';
export const AUDIENCE = 'dropship-graph';
/** Fixed so a test can sign what only the gateway should: direct subgraph calls. */
export const SIGNING_SECRET = 'test-gateway-signing-secret-0123456789abcdef';

export interface SigningKey {
  readonly kid: string;
  readonly alg: 'RS256' | 'ES256';
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

export async function newSigningKey(kid: string, alg: 'RS256' | 'ES256' = 'RS256'): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** A JWKS endpoint on a random port, serving whichever keys it is given; counts fetches. */
export interface JwksServer {
  readonly url: string;
  publish(keys: readonly SigningKey[]): void;
  fetches(): number;
  /** Answers 503 while down. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

export async function startJwksServer(keys: readonly SigningKey[]): Promise<JwksServer> {
  let published = keys;
  let count = 0;
  let down = false;
  const server: Server = createServer((_req, res) => {
    count += 1;
    if (down) {
      res.writeHead(503).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: published.map((k) => k.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    publish: (next) => {
      published = next;
    },
    fetches: () => count,
    setDown: (value) => {
      down = value;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface JwtClaims {
  readonly tenant?: string;
  readonly scope?: string;
  readonly suppliers?: readonly string[];
  readonly sub?: string;
  readonly iss?: string;
  readonly aud?: string;
  /** Seconds from now; negative for an expired token. */
  readonly expiresIn?: number;
}

export async function mintJwt(key: SigningKey, claims: JwtClaims = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const { tenant = 'acme', scope = 'catalog:read', suppliers, sub = 'partner-app', iss = ISSUER, aud = AUDIENCE, expiresIn = 300 } = claims;
  return new SignJWT({ tenant, scope, ...(suppliers ? { suppliers } : {}) })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(iss)
    .setAudience(aud)
    .setSubject(sub)
    .setIssuedAt(now - 5)
    .setExpirationTime(now + expiresIn)
    .sign(key.privateKey);
}

/**
 * Signs a gateway → subgraph header as the gateway would, for one request body (`body` is sent as
 * `JSON.stringify(body)`, as postGraphql does): only tests that play the gateway use it. Single use, like the real one.
 */
export const signAsGateway = (principal: Principal, subgraph: string, body: unknown): Promise<string> =>
  createGatewayTokenSigner(SIGNING_SECRET).sign(principal, subgraph, typeof body === 'string' ? body : JSON.stringify(body));

/**
 * Imports a few products that several suppliers carry (found on the suppliers' first catalog pages, matched by the
 * real importer) and records their stock. The full seed takes minutes on the MongoDB-protocol test server, more
 * when other suites run beside it; these suites need a handful of products. Returns how many were seeded.
 */
export async function seedSmallCatalog(stack: Stack, products = 8): Promise<number> {
  const log = silentLogger();
  const ctx = { signal: new AbortController().signal, log, requestId: 'seed', lane: 'sync' as const };
  const pages = await Promise.all([...stack.connectors.values()].map(async (c) => ({ connector: c, items: (await c.listCatalog(null, ctx)).items })));
  const carriers = new Map<string, number>();
  for (const { items } of pages) for (const gtin of new Set(items.map((i) => i.gtin))) if (gtin) carriers.set(gtin, (carriers.get(gtin) ?? 0) + 1);
  // Most-carried first, so the products every supplier has are always among the chosen.
  const chosen = new Set([...carriers].filter(([, n]) => n > 1).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, products).map(([gtin]) => gtin));
  const connectors = pages.map(({ connector, items }) => catalogOf(connector, items.filter((i) => i.gtin !== null && chosen.has(i.gtin))));
  await importCatalogs({ connectors, catalog: stack.stores.catalog, log });
  const seeded = (await stack.stores.catalog.list(200, null)).items;
  const asOf = new Date().toISOString();
  for (const product of seeded) {
    for (const m of product.suppliers) {
      const onHand = stack.sandboxes.get(m.supplier)?.stockOf(m.supplierSku) ?? 10;
      await stack.stores.stock.applyReport({ sku: product.sku, supplier: m.supplier, supplierSku: m.supplierSku, onHand: Math.max(onHand, 5), supplierAsOf: asOf }, 0);
    }
  }
  return seeded.length;
}

export interface SecureStack {
  readonly stack: Stack;
  readonly url: string;
  readonly jwks: JwksServer;
  readonly key: SigningKey;
  /** Issues an API token straight into the store (as `npm run tokens` would). */
  issue(tenant: string, scopes: readonly string[], extra?: { suppliers?: readonly string[]; expiresInDays?: number }): Promise<{ token: string; id: string }>;
  /** POSTs to the gateway with `Authorization: Bearer <token>` (none when token is undefined). */
  query(token: string | undefined, body: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any; headers: Headers }>;
  close(): Promise<void>;
}

/** `extra`: stack options a suite needs beside the environment (a span exporter, merchant webhook endpoints). */
export async function startSecureStack(env: Record<string, string> = {}, extra: Pick<StackOptions, 'spanExporter' | 'orderWebhooks'> = {}): Promise<SecureStack> {
  const key = await newSigningKey('key-1');
  const jwks = await startJwksServer([key]);
  let stack: Stack;
  try {
    stack = await startStack({
      config: testConfig({
        AUTH_MODE: 'required',
        JWKS_URL: jwks.url,
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
        JWT_CLOCK_SKEW_S: '5',
        GATEWAY_SIGNING_SECRET: SIGNING_SECRET,
        // Nothing changes stock behind a test's back: no polls, no reconciliation.
        BRIGHTLINE_POLL_INTERVAL_MS: '0',
        HARBORPROMO_POLL_INTERVAL_MS: '0',
        MAPLECART_POLL_INTERVAL_MS: '0',
        RECONCILE_INTERVAL_MS: '0',
        ...env,
      }),
      log: silentLogger(),
      subgraphPorts: 'random',
      seed: false,
      // A rotated key is fetched at once rather than after jose's 30 s cooldown.
      jwks: { cooldownMs: 0 },
      ...extra,
    });
  } catch (error) {
    await jwks.close();
    throw error;
  }
  try {
    await seedSmallCatalog(stack);
  } catch (error) {
    await stack.close();
    await jwks.close();
    throw error;
  }
  const tokens = createTokenService({ tokens: stack.stores.tokens, knownSuppliers: SUPPLIERS.map((s) => s.slug) });
  const url = stack.gateway.graphqlUrl;
  return {
    stack,
    url,
    jwks,
    key,
    async issue(tenant, scopes, extra = {}) {
      const issued = await tokens.issue({ tenant, scopes, suppliers: extra.suppliers ?? null, expiresInDays: extra.expiresInDays ?? null }, { actor: 'cli:test', subject: 'test' });
      return { token: issued.token, id: issued.record.id };
    },
    async query(token, body, headers = {}) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = { raw: text };
      }
      return { status: response.status, json, headers: response.headers };
    },
    async close() {
      await Promise.all([stack.stores.catalog.clear(), stack.stores.stock.clear(), stack.stores.orders.clear(), stack.stores.tokens.clear()]);
      await stack.close();
      await jwks.close();
    },
  };
}

export { postGraphql };
