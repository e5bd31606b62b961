/**
 * The in-process data source (GATEWAY_INPROCESS_SUBGRAPHS, gateway/inprocess-data-source.ts) against what the HTTP
 * path gives a subgraph: the principal exactly as the subgraph's verifier rebuilds it from the signed header; a
 * stuck co-located subgraph cut at the budget plus the grace with SUBGRAPH_TIMEOUT (and one log line); errors with
 * the request id, degraded suppliers merged into the request's context, the budget handed over.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createInProcessDataSource, handedPrincipal, type InProcessSubgraph } from '../../gateway/inprocess-data-source.ts';
import { createGatewayTokenSigner, createGatewayTokenVerifier } from '../../platform/auth/gateway-token.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { DEGRADED_EXTENSION } from '../../platform/degraded-extension.ts';
import { DEFAULT_BUDGET_SETTINGS } from '../../platform/http/request-budget.ts';
import { createLogger } from '../../platform/logger.ts';

const SECRET = 'inprocess-test-secret-0123456789abcdefghij';

const PRINCIPALS: Principal[] = [
  { kind: 'api-token', subject: 'tok-1', tenant: 'acme', scopes: ['catalog:read', 'inventory:read'], suppliers: ['brightline'], tokenId: 'tok-1', tokenClass: 'partner', expiresAt: '2030-01-01T00:00:00.000Z' },
  { kind: 'jwt', subject: 'partner-app', tenant: 'globex', scopes: ['orders:read', 'orders:write'], tokenId: 'jti-9', tokenClass: 'storefront' },
  { kind: 'jwt', subject: 'p', tenant: 'initech', scopes: [], suppliers: [] },
  { kind: 'dev', subject: 'dev', tenant: 'default', scopes: ['admin'] },
  { kind: 'system', subject: 'gateway', tenant: 'default', scopes: [] },
];

const call = (principal: Principal, remainingMs = 5_000) => ({
  kind: 'incoming operation',
  request: { query: '{ __typename }' },
  context: { requestId: 'req-1', principal, degraded: [] as unknown[], budget: { remainingMs: () => remainingMs } },
});

describe('in-process data source', () => {
  it('hands the subgraph the principal exactly as its verifier would rebuild it from the signed header', async () => {
    const signer = createGatewayTokenSigner(SECRET);
    const verifier = createGatewayTokenVerifier([SECRET]);
    for (const principal of PRINCIPALS) {
      const body = '{"query":"{ __typename }"}';
      const verified = await verifier.verify(await signer.sign(principal, 'catalog', body), 'catalog', body);
      const handed = handedPrincipal(principal);
      expect(handed).toStrictEqual(verified.principal);
      expect(Object.keys(handed)).toEqual(Object.keys(verified.principal));
      expect(Object.isFrozen(handed)).toBe(true);
      expect(Object.isFrozen(handed.scopes)).toBe(true);
    }
  });

  it('cuts a stuck co-located subgraph at the budget plus the grace: SUBGRAPH_TIMEOUT naming it, one log line', async () => {
    const lines: Record<string, unknown>[] = [];
    const log = createLogger({ level: 'warn', destination: new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(JSON.parse(chunk.toString())), done()) }) });
    let handedMs: number | undefined;
    const stuck: InProcessSubgraph = { execute: (_request, c) => ((handedMs = c.budgetMs), new Promise(() => {})) };
    const source = createInProcessDataSource({ name: 'supplier-maplecart', url: 'http://127.0.0.1:1/graphql', subgraph: stuck, budget: { ...DEFAULT_BUDGET_SETTINGS, graceMs: 50 }, log });
    const error = await source.process(call(PRINCIPALS[0]!, 150) as never).then(
      () => undefined,
      (e: unknown) => e as { extensions: Record<string, unknown> },
    );
    expect(error?.extensions).toMatchObject({ code: 'SUBGRAPH_TIMEOUT', subgraph: 'supplier-maplecart', supplier: 'maplecart' });
    expect(handedMs).toBe(150);
    expect(lines.find((l) => l['msg'] === 'subgraph did not answer within the request budget')).toMatchObject({ requestId: 'req-1', subgraph: 'supplier-maplecart', budgetMs: 150, waitedMs: 200 });
  });

  it('delivers errors with the request id, merges degraded suppliers into the context, and shares no objects between answers', async () => {
    const degraded = { supplier: 'harborpromo', code: 'SUPPLIER_TIMEOUT' };
    const subgraph: InProcessSubgraph = {
      execute: async () => ({ status: 200, cacheControl: undefined, body: { data: { a: { b: 1 } }, errors: [{ message: 'late', path: ['a'], extensions: { code: 'SUPPLIER_TIMEOUT' } }], extensions: { [DEGRADED_EXTENSION]: [degraded] } } }),
    };
    const source = createInProcessDataSource({ name: 'supplier-harborpromo', url: 'http://x/graphql', subgraph, budget: DEFAULT_BUDGET_SETTINGS, log: createLogger({ level: 'silent' }) });
    const options = call(PRINCIPALS[1]!);
    const response = await source.process(options as never);
    expect(response.errors).toEqual([{ message: 'late', path: ['a'], extensions: { code: 'SUPPLIER_TIMEOUT', requestId: 'req-1' } }]);
    expect(options.context.degraded).toEqual([degraded]);
    expect(options.context.degraded[0]).not.toBe(degraded);
    // Without a principal nothing runs: the HTTP path's unsigned fetch is refused the same way (401).
    await expect(source.process({ ...options, context: { requestId: 'r', degraded: [] } } as never)).rejects.toMatchObject({ message: '401: Unauthorized', extensions: { code: 'UNAUTHENTICATED' } });
  });
});
