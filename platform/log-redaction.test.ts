import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RegistryError } from '../kernel/errors.ts';
import { createLogger } from './logger.ts';
import { redactForLog, scrubText } from './log-redaction.ts';

function capture() {
  const lines: string[] = [];
  const log = createLogger({ level: 'trace', destination: new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }) });
  return { log, text: () => lines.join(''), records: () => lines.map((l) => JSON.parse(l) as Record<string, any>) };
}

const SECRET = 'sk_live_5f1c9a7e0b2d';
const ADDRESS = { name: 'Ada Lovelace', line1: '12 Analytical Row', city: 'Portland', postalCode: '97201', phone: '+1 503 555 0100', email: 'ada@example.com' };

describe('log redaction', () => {
  it('redacts credential and personal-data keys at any depth, keeping counters and ids readable', () => {
    const { log, text, records } = capture();
    log.info({ a: { b: { c: { password: SECRET, clientSecret: SECRET, headers: { Authorization: `Bearer ${SECRET}`, 'X-Shopify-Access-Token': SECRET } } } }, order: { shipTo: ADDRESS }, tokens: 3, tokenId: 'tok_1', supplier: 'brightline' }, 'x');
    expect(text()).not.toContain(SECRET);
    for (const v of Object.values(ADDRESS)) expect(text()).not.toContain(v);
    const [record] = records();
    expect(record).toMatchObject({ tokens: 3, tokenId: 'tok_1', supplier: 'brightline', order: { shipTo: '[redacted]' } });
  });

  it('scrubs secrets and e-mail addresses out of messages, error messages, stacks and causes', () => {
    const { log, text } = capture();
    const cause = new Error(`connect to https://user:${SECRET}@api.example.com/v1?access_token=${SECRET} failed for ada@example.com`);
    const error = new RegistryError('SUPPLIER_UNAVAILABLE', `Authorization: Bearer ${SECRET} refused`, { supplier: 'acme', cause, details: { form: { client_secret: SECRET }, note: `password=${SECRET}` } });
    log.error({ err: error }, `call with token=${SECRET} failed`);
    log.error(error);
    log.warn({ nested: { error: cause } }, 'nested');
    log.info(`<soap:password>${SECRET}</soap:password> for ada@example.com`);
    expect(text()).not.toContain(SECRET);
    expect(text()).not.toContain('ada@example.com');
    expect(text()).toContain('SUPPLIER_UNAVAILABLE');
    expect(text()).toContain('api.example.com');
  });

  it('redacts child-logger bindings too', () => {
    const { log, text } = capture();
    log.child({ requestId: 'r1', authorization: `Bearer ${SECRET}`, customer: ADDRESS }).info('hello');
    log.child({ supplier: 'acme' }).child({ op: 'getStock', credentials: { password: SECRET }, note: `token=${SECRET}` }).info('grandchild');
    expect(text()).not.toContain(SECRET);
    expect(text()).not.toContain('Lovelace');
    expect(text()).toContain('"requestId":"r1"');
  });

  it('scrubText leaves ordinary text alone', () => {
    const plain = 'brightline POST /v1/availability failed: ECONNREFUSED (tokens: 3, attempt 2)';
    expect(scrubText(plain)).toBe(plain);
    expect(redactForLog({ supplier: 'maplecart', tokensRemaining: 40, url: 'http://127.0.0.1:4100/graphql' })).toEqual({ supplier: 'maplecart', tokensRemaining: 40, url: 'http://127.0.0.1:4100/graphql' });
  });

  it('survives cycles and deep nesting', () => {
    const a: Record<string, unknown> = { supplier: 'x' };
    a['self'] = a;
    let deep: Record<string, unknown> = { password: SECRET };
    for (let i = 0; i < 30; i += 1) deep = { inner: deep };
    const { log, text } = capture();
    log.info({ a, deep }, 'cyclic');
    expect(text()).toContain('[circular]');
    expect(text()).not.toContain(SECRET);
  });
});
