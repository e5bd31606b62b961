/**
 * The outbound policy on each protocol stack, over real TLS: the REST client with its OAuth2 token request, the
 * GraphQL client and the SOAP client (axios under `soap`) each reach a pinned HTTPS supplier, and each fails closed
 * with TLS_PIN_MISMATCH, sending nothing, when the presented key is not pinned.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isRegistryError, type RegistryError } from '../../kernel/errors.ts';
import { createOutboundPolicy, type OutboundPolicy } from '../../adapters/core/outbound-policy.ts';
import { createGraphqlClient } from '../../adapters/graphql/client.ts';
import { createClientCredentialsAuth } from '../../adapters/rest/client-credentials.ts';
import { createJsonClient } from '../../adapters/rest/json-client.ts';
import { createSoapServiceClient } from '../../adapters/soap/client.ts';
import { PROMOSTANDARDS_WSDL } from '../../adapters/soap/promostandards.ts';
import { createTestPki, startHttpsServer, type TestHttpsServer, type TestPki } from '../support/tls-cert.ts';

const WRONG_PIN = createHash('sha256').update('someone else').digest('base64');
const INVENTORY_XML = readFileSync(path.resolve(import.meta.dirname, '../fixtures/harborpromo/get-inventory-levels.xml'), 'utf8');
const signal = () => new AbortController().signal;

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!isRegistryError(outcome)) throw new Error(`expected a RegistryError, got ${String(outcome)}`);
  return outcome;
}

describe('outbound TLS policy on every protocol stack', () => {
  let pki: TestPki;
  let server: TestHttpsServer;
  const paths: string[] = [];
  const policies: OutboundPolicy[] = [];
  const policy = (pins: string[]) => {
    const created = createOutboundPolicy({ supplier: 'acme', ca: pki.caPem, pins });
    policies.push(created);
    return created;
  };

  beforeAll(async () => {
    pki = createTestPki();
    server = await startHttpsServer(pki, {
      handler: (req, _body, res) => {
        paths.push(req.url ?? '');
        if (req.url === '/oauth/token') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'tls-token', token_type: 'Bearer', expires_in: 3600 }));
        } else if (req.url === '/v1/ping') {
          const ok = req.headers.authorization === 'Bearer tls-token';
          res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ pong: ok }));
        } else if (req.url === '/graphql.json') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { shop: { name: 'Acme' } } }));
        } else {
          res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(INVENTORY_XML);
        }
      },
    });
  });
  afterAll(async () => {
    for (const p of policies) await p.close();
    await server?.close();
  });

  const restCall = (outbound: OutboundPolicy) => {
    const auth = createClientCredentialsAuth({ tokenUrl: `${server.url}/oauth/token`, clientId: 'id', clientSecret: 'secret', supplier: 'acme', fetch: outbound.fetch });
    const client = createJsonClient({ baseUrl: server.url, supplier: 'acme', auth, fetch: outbound.fetch });
    return client.request({ method: 'GET', path: '/v1/ping', schema: z.object({ pong: z.boolean() }), signal: signal(), operation: 'ping' });
  };
  const graphqlCall = (outbound: OutboundPolicy) =>
    createGraphqlClient({ endpoint: `${server.url}/graphql.json`, supplier: 'acme', fetch: outbound.fetch }).request({
      query: 'query Shop { shop { name } }',
      operationName: 'Shop',
      schema: z.object({ shop: z.object({ name: z.string() }) }),
      signal: signal(),
      operation: 'health',
    });
  const soapCall = async (outbound: OutboundPolicy) => {
    const client = await createSoapServiceClient({
      supplier: 'acme',
      wsdlPath: PROMOSTANDARDS_WSDL.inventory,
      endpoint: `${server.url}/inventory/v2`,
      operations: { getInventoryLevels: { kind: 'read' } },
      outbound,
    });
    return client.call('getInventoryLevels', { wsVersion: '2.0.0', id: 'id', password: 'pw', productId: 'HP-1033' }, signal());
  };

  it('REST: token request and API call over a pinned connection', async () => {
    expect(await restCall(policy([pki.leafPin]))).toEqual({ pong: true });
    expect(paths.slice(-2)).toEqual(['/oauth/token', '/v1/ping']);
  });

  it('GraphQL: a query over a pinned connection', async () => {
    expect((await graphqlCall(policy([pki.leafPin]))).data).toEqual({ shop: { name: 'Acme' } });
  });

  it('SOAP: an operation over a pinned connection', async () => {
    expect(await soapCall(policy([pki.caPin]))).toHaveProperty('Inventory.productId', 'HP-1033');
  });

  it.each([
    ['REST (the token request is the first to fail)', restCall],
    ['GraphQL', graphqlCall],
    ['SOAP', soapCall],
  ])('%s: a pin mismatch fails closed as critical TLS_PIN_MISMATCH and nothing reaches the server', async (_name, call) => {
    const before = server.requests();
    const error = await failure(call(policy([WRONG_PIN])));
    expect(error.code).toBe('TLS_PIN_MISMATCH');
    expect(error.errorClass).toBe('critical');
    expect(error.supplier).toBe('acme');
    expect(server.requests()).toBe(before);
  });

  it('SOAP: a plain-http endpoint to a remote host is refused when the client is built, before any call', async () => {
    const outbound = createOutboundPolicy({ supplier: 'acme', allowLoopbackHttp: true });
    policies.push(outbound);
    const error = await failure(
      createSoapServiceClient({ supplier: 'acme', wsdlPath: PROMOSTANDARDS_WSDL.inventory, endpoint: 'http://soap.acme.example/inventory/v2', operations: { getInventoryLevels: { kind: 'read' } }, outbound }),
    );
    expect(error.code).toBe('MISCONFIGURED');
  });
});
