import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const OLD_SECRET = `whsec_${Buffer.from('fedcba9876543210fedcba9876543210').toString('base64')}`;

const problems = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('ORDER_ROUTING_POLICY', () => {
  it('maps allowSubstitution onto the policy and keeps only what was given', () => {
    const policy = loadConfig({ ORDER_ROUTING_POLICY: '{"strategy":["priority","lowest_cost"],"supplierPriority":["maplecart"],"allowSubstitution":false,"allowSplit":false,"shippingCost":{"brightline":"4.95"}}' }).orders.routingPolicy;
    expect(policy).toEqual({ strategy: ['priority', 'lowest_cost'], supplierPriority: ['maplecart'], inStockFirst: false, allowSplit: false, shippingCost: { brightline: '4.95' } });
    expect(loadConfig({}).orders.routingPolicy).toEqual({});
  });

  it('refuses unknown keys, unknown strategies, repeats and bad costs, naming the path', () => {
    expect(problems({ ORDER_ROUTING_POLICY: '{"stratgy":"priority"}' })).toMatch(/ORDER_ROUTING_POLICY: \(root\): Unrecognized key/);
    expect(problems({ ORDER_ROUTING_POLICY: '{"strategy":"cheapest"}' })).toMatch(/ORDER_ROUTING_POLICY: strategy/);
    expect(problems({ ORDER_ROUTING_POLICY: '{"strategy":["priority","priority"]}' })).toMatch(/strategy: lists a criterion twice/);
    expect(problems({ ORDER_ROUTING_POLICY: '{"supplierPriority":["a","a"]}' })).toMatch(/supplierPriority: lists a supplier twice/);
    expect(problems({ ORDER_ROUTING_POLICY: '{"shippingCost":{"brightline":"-1"}}' })).toMatch(/shippingCost.brightline: a decimal string/);
    expect(problems({ ORDER_ROUTING_POLICY: 'priority' })).toMatch(/ORDER_ROUTING_POLICY: must be JSON/);
  });
});

describe('ORDER_WEBHOOK_ENDPOINTS', () => {
  it('reads endpoints; one secret or several (a rotation), optional event filter', () => {
    const endpoints = loadConfig({
      ORDER_WEBHOOK_ENDPOINTS: JSON.stringify([
        { id: 'merchant-1', tenant: 'acme', url: 'https://hooks.example.com/orders', secret: SECRET },
        { id: 'local', tenant: 'default', url: 'http://127.0.0.1:9999/hooks', secrets: [SECRET, OLD_SECRET], events: ['order.status_changed'] },
      ]),
    }).orders.webhookEndpoints;
    expect(endpoints).toEqual([
      { id: 'merchant-1', tenant: 'acme', url: 'https://hooks.example.com/orders', secrets: [SECRET] },
      { id: 'local', tenant: 'default', url: 'http://127.0.0.1:9999/hooks', secrets: [SECRET, OLD_SECRET], events: ['order.status_changed'] },
    ]);
    expect(loadConfig({}).orders.webhookEndpoints).toEqual([]);
  });

  it('refuses plain http to a remote host, credentials in the URL, short or missing secrets, duplicate ids — never echoing a secret', () => {
    const bad = (endpoint: object, extra: object[] = []) => problems({ ORDER_WEBHOOK_ENDPOINTS: JSON.stringify([endpoint, ...extra]) });
    const ok = { id: 'm', tenant: 'acme', url: 'https://hooks.example.com/x', secret: SECRET };
    expect(bad({ ...ok, url: 'http://hooks.example.com/x' })).toMatch(/0.url: must be https/);
    expect(bad({ ...ok, url: 'https://user:pw@hooks.example.com/x' })).toMatch(/0.url: must be https/);
    const short = `whsec_${Buffer.from('too-short').toString('base64')}`;
    const message = bad({ ...ok, secret: short });
    expect(message).toMatch(/0.secret: must be whsec_/);
    expect(message).not.toContain(short);
    expect(bad({ id: 'm', tenant: 'acme', url: ok.url })).toMatch(/give exactly one of secret, secrets/);
    expect(bad({ ...ok, secrets: [SECRET] })).toMatch(/give exactly one of secret, secrets/);
    expect(bad(ok, [ok])).toMatch(/endpoint ids must be unique/);
    expect(bad({ ...ok, tenant: 'Not A Tenant' })).toMatch(/0.tenant/);
    expect(bad({ ...ok, events: ['order.created'] })).toMatch(/0.events/);
    const all = bad({ ...ok, url: 'ftp://x' }, [{ ...ok, id: 'n', secret: `${SECRET}!` }]);
    expect(all).not.toContain(SECRET.slice(6));
  });
});
