import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';

describe('auth settings', () => {
  it('defaults to dev mode on a loopback HOST and to required elsewhere', () => {
    expect(loadConfig({}).auth.mode).toBe('dev');
    expect(loadConfig({ HOST: '::1' }).auth.mode).toBe('dev');
    expect(loadConfig({ HOST: '0.0.0.0' }).auth.mode).toBe('required');
    expect(loadConfig({ HOST: '10.1.2.3', AUTH_MODE: 'required' }).auth.mode).toBe('required');
  });

  it('refuses dev mode on a non-loopback HOST', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0', AUTH_MODE: 'dev' })).toThrow(ConfigError);
    expect(() => loadConfig({ HOST: '0.0.0.0', AUTH_MODE: 'dev' })).toThrow(/AUTH_MODE: dev needs a loopback HOST/);
  });

  it('needs JWKS_URL, JWT_ISSUER and JWT_AUDIENCE together: without issuer or audience any token of the provider would pass', () => {
    expect(() => loadConfig({ JWKS_URL: 'https://idp.example/jwks' })).toThrow(/set all three or none/);
    const config = loadConfig({ JWKS_URL: 'https://idp.example/jwks', JWT_ISSUER: 'https://idp.example/', JWT_AUDIENCE: 'dropship' });
    expect(config.auth.jwt).toMatchObject({ issuer: 'https://idp.example/', audience: 'dropship', clockSkewSeconds: 30, tenantClaim: 'tenant' });
    expect(loadConfig({}).auth.jwt).toBeUndefined();
  });

  it('takes a comma-separated list of signing secrets of at least 32 characters', () => {
    expect(loadConfig({ GATEWAY_SIGNING_SECRET: `${'a'.repeat(32)}, ${'b'.repeat(40)}` }).auth.gatewaySigningSecrets).toEqual(['a'.repeat(32), 'b'.repeat(40)]);
    expect(() => loadConfig({ GATEWAY_SIGNING_SECRET: 'too-short' })).toThrow(/at least 32 characters/);
    expect(loadConfig({}).auth.gatewaySigningSecrets).toEqual([]);
  });

  it('has limits generous enough for the product\'s own pages and a default partner rate', () => {
    const { limits, requestRates, partnerSupplierShare } = loadConfig({}).auth;
    expect(limits).toEqual({ maxDepth: 12, maxAliases: 30, maxRootFields: 20, maxCost: 30_000, defaultListSize: 10, maxTokens: 5_000, maxVariablesBytes: 65_536 });
    expect(requestRates.partner).toEqual({ perSecond: 10, burst: 50 });
    expect(partnerSupplierShare).toBe(0.5);
  });

  it('gives each token class its own request rate: storefronts sized for a shop, operators the partner values unless set, shoppers their own', () => {
    const { requestRates, shopperRate } = loadConfig({}).auth;
    expect(requestRates).toEqual({ partner: { perSecond: 10, burst: 50 }, storefront: { perSecond: 2_000, burst: 4_000 }, operator: { perSecond: 10, burst: 50 } });
    expect(shopperRate).toEqual({ perSecond: 10, burst: 50 });
    // Operators follow the partner settings until given their own.
    expect(loadConfig({ PARTNER_RATE_PER_SECOND: '0.2', PARTNER_RATE_BURST: '3' }).auth.requestRates.operator).toEqual({ perSecond: 0.2, burst: 3 });
    const set = loadConfig({ STOREFRONT_RATE_PER_SECOND: '500', STOREFRONT_RATE_BURST: '900', OPERATOR_RATE_PER_SECOND: '0', OPERATOR_RATE_BURST: '7', SHOPPER_RATE_PER_SECOND: '0.5', SHOPPER_RATE_BURST: '3' }).auth;
    expect(set.requestRates).toMatchObject({ storefront: { perSecond: 500, burst: 900 }, operator: { perSecond: 0, burst: 7 } });
    expect(set.shopperRate).toEqual({ perSecond: 0.5, burst: 3 });
    for (const bad of [{ STOREFRONT_RATE_PER_SECOND: '-1' }, { STOREFRONT_RATE_BURST: '0' }, { OPERATOR_RATE_BURST: 'lots' }, { SHOPPER_RATE_PER_SECOND: '100001' }, { SHOPPER_RATE_BURST: '1.5' }]) {
      expect(() => loadConfig(bad), JSON.stringify(bad)).toThrow(ConfigError);
    }
  });

  it('throttles failed authentication by default, and validates its settings', () => {
    expect(loadConfig({}).auth).toMatchObject({ failureThrottle: { limit: 20, windowMs: 300_000 }, trustedProxyHops: 0 });
    expect(loadConfig({ AUTH_FAILURE_LIMIT: '0', AUTH_FAILURE_WINDOW_S: '60', TRUST_PROXY_HOPS: '2' }).auth).toMatchObject({ failureThrottle: { limit: 0, windowMs: 60_000 }, trustedProxyHops: 2 });
    for (const bad of [{ AUTH_FAILURE_LIMIT: '-1' }, { AUTH_FAILURE_LIMIT: 'many' }, { AUTH_FAILURE_WINDOW_S: '0' }, { AUTH_FAILURE_WINDOW_S: '86401' }, { TRUST_PROXY_HOPS: '11' }, { TRUST_PROXY_HOPS: '1.5' }]) {
      expect(() => loadConfig(bad), JSON.stringify(bad)).toThrow(ConfigError);
    }
  });
});
