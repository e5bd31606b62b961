/**
 * docs/errors.md lists every client-visible code with its HTTP status, and the code agrees (issue 12): the registry's
 * `httpStatus` and class, the gateway's access errors as their factories build them, the gateway's own codes, and
 * Apollo's and our HTTP handler's codes with the status measured through the real handler.
 */
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import type { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../kernel/errors.ts';
import { codeForHttpStatus } from '../../adapters/http/status-codes.ts';
import * as auth from '../../gateway/auth/auth-errors.ts';
import { useClientMistakes } from '../../gateway/client-mistakes.ts';
import { subgraphTimedOut, subgraphUnreachable } from '../../gateway/degraded-suppliers.ts';
import { createApolloHandler } from '../../platform/http/apollo-handler.ts';
import { listen, type RunningServer } from '../../platform/http/listen.ts';

const DOC = new URL('../../docs/errors.md', import.meta.url);
const AUTH_SOURCE = new URL('../../gateway/auth/auth-errors.ts', import.meta.url);

interface Row {
  readonly code: string;
  readonly status: number;
  readonly errorClass?: string;
  readonly refusal?: boolean;
}

/** Every row of every table in the page whose header has `code` and `HTTP` columns. */
function documentedCodes(markdown: string): Map<string, Row> {
  const rows = new Map<string, Row>();
  let header: string[] | null = null;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      header = null;
      continue;
    }
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (header === null) {
      header = cells.map((c) => c.toLowerCase());
      continue;
    }
    if (cells.every((c) => /^-+$/.test(c))) continue;
    const codeAt = header.indexOf('code');
    const httpAt = header.indexOf('http');
    if (codeAt < 0 || httpAt < 0) continue;
    const code = cells[codeAt]!.replaceAll('`', '');
    expect(rows.has(code), `${code} is listed twice in docs/errors.md`).toBe(false);
    const classAt = header.indexOf('class');
    const refusalAt = header.indexOf('refusal');
    rows.set(code, {
      code,
      status: Number(cells[httpAt]),
      ...(classAt >= 0 ? { errorClass: cells[classAt] } : {}),
      ...(refusalAt >= 0 ? { refusal: cells[refusalAt] === 'yes' } : {}),
    });
  }
  return rows;
}

const statusOf = (error: GraphQLError): number => (error.extensions['http'] as { status?: number } | undefined)?.status ?? 200;

describe('docs/errors.md against the code', () => {
  const documented = documentedCodes(readFileSync(DOC, 'utf8'));

  it('lists every registry code with its class, HTTP status and whether it is a refusal', () => {
    for (const [code, definition] of Object.entries(ERRORS)) {
      expect(documented.get(code), `${code} is missing from docs/errors.md`).toEqual({ code, status: definition.httpStatus, errorClass: definition.errorClass, refusal: definition.refusal });
    }
  });

  it('lists no code the registry does not have', () => {
    expect([...documented.keys()].filter((code) => !(code in ERRORS))).toEqual([]);
  });

  it('lists every gateway access code with the status its factory sets', () => {
    const built: GraphQLError[] = [
      auth.unauthenticated(new auth.AuthFailure('missing', 'no credential')),
      auth.authenticationUnavailable(),
      auth.forbidden(['orders:write'], ['placeOrder']),
      auth.rateLimited(1_000),
      auth.rateLimited(1_000, { limit: 'shopper', tokenClass: 'storefront' }),
      auth.invalidShopperId(),
      auth.limitExceeded('depth', 10, 12),
      auth.variablesTooLarge(1_000),
      auth.introspectionDisabled(),
      auth.persistedOperationRequired(),
      auth.authenticationThrottled(1_000),
    ];
    // A factory added to the file without a line above still has its code found here.
    const inSource = [...readFileSync(AUTH_SOURCE, 'utf8').matchAll(/code: CODE\.([A-Z_]+)/g)].map((m) => m[1]!);
    expect(new Set(built.map((e) => e.extensions['code']))).toEqual(new Set(inSource));
    for (const error of built) {
      const code = String(error.extensions['code']);
      expect(documented.get(code)?.status, `${code} in docs/errors.md`).toBe(statusOf(error));
    }
  });

  it('lists the gateway\'s subgraph timeout and unreachable subgraph as the field errors they are', () => {
    const error = subgraphTimedOut('supplier-brightline', 1_000);
    expect(error.extensions).toMatchObject({ code: 'SUBGRAPH_TIMEOUT', supplier: 'brightline', subgraph: 'supplier-brightline' });
    expect(documented.get('SUBGRAPH_TIMEOUT')?.status).toBe(statusOf(error));
    const unreachable = subgraphUnreachable('catalog');
    expect(unreachable.extensions).toMatchObject({ code: 'SUBGRAPH_UNREACHABLE', subgraph: 'catalog' });
    expect(unreachable.extensions['supplier']).toBeUndefined();
    expect(documented.get('SUBGRAPH_UNREACHABLE')?.status).toBe(statusOf(unreachable));
  });

  it('states the supplier HTTP status table as the code has it, for every status', () => {
    const markdown = readFileSync(DOC, 'utf8');
    const section = markdown.slice(markdown.indexOf('## Supplier HTTP statuses'), markdown.indexOf('## Null versus error'));
    const rows = section.split('\n').filter((line) => /^\| (\d|other)/.test(line)).map((line) => line.split('|').slice(1, -1).map((c) => c.trim()));
    const exact = rows.map((r) => r[0]!).filter((label) => /^\d{3}$/.test(label)).map(Number);
    const statusesOf = (label: string): number[] => {
      const all = Array.from({ length: 500 }, (_, i) => 100 + i);
      if (/^\d{3}$/.test(label)) return [Number(label)];
      if (label === '5xx') return all.filter((s) => s >= 500);
      if (label === 'other 4xx') return all.filter((s) => s >= 400 && s < 500 && !exact.includes(s));
      if (label.startsWith('other (')) return all.filter((s) => s < 400);
      throw new Error(`docs/errors.md: unknown status row "${label}"`);
    };
    expect(rows.length).toBeGreaterThanOrEqual(7);
    const covered = new Set<number>();
    for (const [label, rest, endpoint] of rows) {
      for (const status of statusesOf(label!)) {
        covered.add(status);
        expect({ status, rest: codeForHttpStatus(status, 'resource'), endpoint: codeForHttpStatus(status, 'endpoint') }).toEqual({ status, rest, endpoint });
      }
    }
    expect(covered.size, 'every status 100-599 is on some row').toBe(500);
  });

  it('lists every Apollo Server code', () => {
    for (const code of Object.values(ApolloServerErrorCode)) expect(documented.has(code), `${code} is missing from docs/errors.md`).toBe(true);
  });

  describe('statuses measured through the real HTTP handler', () => {
    let server: RunningServer;
    let withApq: RunningServer;
    const post = (to: RunningServer, body: string, headers: Record<string, string> = {}) =>
      fetch(`${to.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

    beforeAll(async () => {
      const typeDefs = 'type Query { twice(n: Int!): Int } type Subscription { ticks: Int }';
      const resolvers = { Query: { twice: (_: unknown, { n }: { n: number }) => 2 * n } };
      const start = async (persistedQueries: false | undefined) => {
        const apollo = new ApolloServer({ typeDefs, resolvers, plugins: [useClientMistakes()], ...(persistedQueries === false ? { persistedQueries: false } : {}) });
        await apollo.start();
        const handler = createApolloHandler(apollo, {
          maxBodyBytes: 1_000,
          context: async (req) => {
            if (req.headers['x-fail-context']) throw new Error('context failed');
            return {};
          },
        });
        return listen({ '/graphql': handler }, 0);
      };
      server = await start(false);
      withApq = await start(undefined);
    });
    afterAll(async () => {
      await server?.close();
      await withApq?.close();
    });

    it('answers each with the documented status and code, and the request id', async () => {
      const cases: { code: string; send: () => Promise<Response> }[] = [
        { code: 'GRAPHQL_PARSE_FAILED', send: () => post(server, JSON.stringify({ query: '{ twice(' })) },
        { code: 'GRAPHQL_VALIDATION_FAILED', send: () => post(server, JSON.stringify({ query: '{ nope }' })) },
        { code: 'BAD_USER_INPUT', send: () => post(server, JSON.stringify({ query: 'query($n: Int!) { twice(n: $n) }', variables: { n: 'two' } })) },
        { code: 'OPERATION_RESOLUTION_FAILURE', send: () => post(server, JSON.stringify({ query: 'query A { twice(n: 1) } query B { twice(n: 2) }' })) },
        { code: 'BAD_REQUEST', send: () => post(server, JSON.stringify({ variables: {} })) },
        { code: 'PERSISTED_QUERY_NOT_SUPPORTED', send: () => post(server, JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } })) },
        { code: 'PERSISTED_QUERY_NOT_FOUND', send: () => post(withApq, JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } })) },
        { code: 'PAYLOAD_TOO_LARGE', send: () => post(server, JSON.stringify({ query: `{ twice(n: 1) }${' '.repeat(2_000)}` })) },
        { code: 'UNSUPPORTED_MEDIA_TYPE', send: () => post(server, '{ twice(n: 1) }', { 'content-type': 'text/plain' }) },
        { code: 'INTERNAL_SERVER_ERROR', send: () => post(server, JSON.stringify({ query: '{ twice(n: 1) }' }), { 'x-fail-context': '1' }) },
      ];
      for (const c of cases) {
        const response = await c.send();
        const json = (await response.json()) as { errors?: { extensions?: Record<string, unknown> }[] };
        const error = json.errors?.[0];
        expect({ code: error?.extensions?.['code'], status: response.status }, c.code).toEqual({ code: c.code, status: documented.get(c.code)?.status });
        expect(error?.extensions?.['requestId'], c.code).toBe(response.headers.get('x-request-id'));
      }
      // A subscription over HTTP and a body that is not JSON are BAD_REQUEST too.
      for (const body of [JSON.stringify({ query: 'subscription { ticks }' }), '{not json']) {
        const response = await post(server, body);
        expect(response.status).toBe(documented.get('BAD_REQUEST')?.status);
      }
    });
  });
});
