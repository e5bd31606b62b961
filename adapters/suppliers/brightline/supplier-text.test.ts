/**
 * Issue 14, point 5: Brightline's error code went into the RegistryError message ("… answered HTTP 400 <code>"),
 * so a 1 MB code, `<script>` tags, NUL bytes and invalid UTF-8 reached GraphQL clients. Through the production
 * connector against a hostile Brightline: the message is ours; the code and message are in details, cleaned and
 * clipped; an error body past 64 KiB is not read at all.
 */
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { isRegistryError, type RegistryError } from '../../../kernel/errors.ts';
import { json, startLocalServer, type LocalServer } from '../../rest/local-test-server.ts';
import { testContext } from '../../../test/contract/supplier-connector.contract.ts';
import { createBrightlineConnector } from './connector.ts';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Raw bytes, so invalid UTF-8 reaches the wire as is. */
const hostileText = (filler: number): Buffer =>
  Buffer.concat([Buffer.from('BAD<script>alert(document.cookie)</script>\\u0000\\u202Eevil'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('y'.repeat(filler))]);

function errorBody(res: ServerResponse, status: number, code: Buffer, message: Buffer): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(Buffer.concat([Buffer.from('{"error":{"code":"'), code, Buffer.from('","message":"'), message, Buffer.from('"}}')]));
}

async function hostileBrightline(answer: (res: ServerResponse) => void) {
  server = await startLocalServer((req, res) => {
    if (req.url === '/oauth/token') return json(res, 200, { access_token: 'tok', token_type: 'Bearer', expires_in: 3600 });
    return answer(res);
  });
  return createBrightlineConnector({ baseUrl: server.url, clientId: 'id', clientSecret: 'secret', timeoutMs: 5_000, retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10, budgetMs: 100 } });
}

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(isRegistryError(error), String(error)).toBe(true);
  return error as RegistryError;
}

const UNPRINTABLE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\uFFFD]/;

describe('brightline error text (supplier-written) never reaches a RegistryError message', () => {
  it('a 40 KB error code and message with markup, NUL, a bidi override and invalid UTF-8: our message, cleaned and clipped details', async () => {
    const connector = await hostileBrightline((res) => errorBody(res, 400, hostileText(20_000), hostileText(20_000)));
    const error = await failure(connector.getStock(['A-1'], testContext()));
    expect(error.code).toBe('SUPPLIER_REJECTED');
    expect(error.message).toBe('brightline POST /v1/availability answered HTTP 400');
    const { supplierCode, supplierMessage } = error.details as { supplierCode: string; supplierMessage: string };
    expect(supplierCode.startsWith('BAD<script>alert(document.cookie)</script> evil')).toBe(true);
    expect(supplierCode.length).toBeLessThanOrEqual(100);
    expect(supplierMessage.length).toBeLessThanOrEqual(200);
    expect(supplierCode + supplierMessage).not.toMatch(UNPRINTABLE);
  });

  it('a 1 MB error code: the body is past 64 KiB and left unread; the status decides (the health detail is ours too)', async () => {
    const connector = await hostileBrightline((res) => errorBody(res, 409, hostileText(1024 * 1024), Buffer.from('m')));
    const error = await failure(connector.getStock(['A-1'], testContext()));
    expect(error.code).toBe('SUPPLIER_REJECTED');
    expect(error.details).toEqual({ status: 409 });
    expect(error.message.length).toBeLessThan(100);
    const health = await connector.health(testContext());
    expect(health.ok).toBe(false);
    expect(health.detail).toBe('SUPPLIER_REJECTED: brightline GET /v1/health answered HTTP 409');
  });

  it('a supplier order id read back on a cancel refusal stays out of the message', async () => {
    server = await startLocalServer((req, res) => {
      if (req.url === '/oauth/token') return json(res, 200, { access_token: 'tok', token_type: 'Bearer', expires_in: 3600 });
      if (req.url?.startsWith('/v1/orders?')) {
        const now = new Date().toISOString();
        return json(res, 200, { orderId: `<script>${'9'.repeat(10_000)}`, customerOrderNumber: 'k1', status: 'SHIPPED', createdAt: now, updatedAt: now, lines: [] });
      }
      return json(res, 409, { error: { code: 'ORDER_NOT_CANCELLABLE', message: 'shipped' } });
    });
    const connector = createBrightlineConnector({ baseUrl: server.url, clientId: 'id', clientSecret: 'secret', timeoutMs: 5_000, retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10, budgetMs: 100 } });
    const error = await failure(connector.cancelOrder({ supplierOrderId: null, idempotencyKey: 'k1' }, testContext()));
    expect(error.code).toBe('ORDER_NOT_CANCELLABLE');
    expect(error.message).toBe('brightline order can no longer be cancelled');
    expect((error.details?.['supplierOrderId'] as string).length).toBeLessThanOrEqual(100);
    expect(error.details).toMatchObject({ status: 409, supplierCode: 'ORDER_NOT_CANCELLABLE', supplierMessage: 'shipped' });
  });
});
