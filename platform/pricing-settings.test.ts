import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const refused = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('pricing settings', () => {
  it('defaults of a deployment with a supplier URL: USD, no rates, no rules (a foreign cost is never priced at a guessed rate)', () => {
    expect(loadConfig({ MAPLECART_URL: 'https://maplecart.example/' }).pricing).toEqual({ storeCurrency: 'USD', fx: { date: '1970-01-01', rates: {} }, rules: [] });
    expect(loadConfig({ BRIGHTLINE_URL: 'https://brightline.example/' }).pricing.fx).toEqual({ date: '1970-01-01', rates: {} });
  });

  it('the embedded demo (every supplier on its bundled sandbox, no rates set, USD) gets the dated demo CAD rate, labelled demo', () => {
    expect(loadConfig({}).pricing).toEqual({ storeCurrency: 'USD', fx: { date: '2026-12-01', rates: { CAD: '0.7312' }, demo: true }, rules: [] });
    // Configured rates always win, and are never labelled demo; another store currency gets no demo rate.
    expect(loadConfig({ PRICING_FX_RATES: JSON.stringify({ date: '2026-11-30', rates: { EUR: '1.08' } }) }).pricing.fx).toEqual({ date: '2026-11-30', rates: { EUR: '1.08' } });
    expect(loadConfig({ STORE_CURRENCY: 'EUR' }).pricing.fx).toEqual({ date: '1970-01-01', rates: {} });
  });

  it('reads the store currency, dated rates and rules once, keys trimmed, default key empty', () => {
    const pricing = loadConfig({
      STORE_CURRENCY: 'CAD',
      PRICING_FX_RATES: '{"date":"2026-12-01","rates":{"USD":"1.3676"}}',
      PRICING_RULES: '[{"scope":"default","key":"x","markupPercent":"35","rounding":"0.99"},{"scope":"brand","key":" Acme ","markupFixed":"2.00"}]',
    }).pricing;
    expect(pricing).toEqual({
      storeCurrency: 'CAD',
      fx: { date: '2026-12-01', rates: { USD: '1.3676' } },
      rules: [
        { scope: 'default', key: '', markupPercent: '35', rounding: '0.99' },
        { scope: 'brand', key: 'Acme', markupFixed: '2.00' },
      ],
    });
    expect(Object.isFrozen(pricing.rules[0])).toBe(true);
  });

  it.each([
    [{ STORE_CURRENCY: 'usd' }, 'STORE_CURRENCY'],
    [{ PRICING_FX_RATES: '{"date":"2026-12-01","rates":{"CAD":0.73}}' }, 'PRICING_FX_RATES'],
    [{ PRICING_FX_RATES: '{"date":"2026-12-01","rates":{"CAD":"0"}}' }, 'more than zero'],
    [{ PRICING_FX_RATES: '{"rates":{"CAD":"0.73"}}' }, 'date'],
    [{ PRICING_RULES: '[{"scope":"brand","markupPercent":"10"}]' }, 'needs a key'],
    [{ PRICING_RULES: '[{"scope":"default"}]' }, 'must set'],
    [{ PRICING_RULES: '[{"scope":"default","minMarginPercent":"100"}]' }, 'below 100'],
    [{ PRICING_RULES: '[{"scope":"default","rounding":"1.99"}]' }, 'ending below 1'],
    [{ PRICING_RULES: '[{"scope":"default","markupPercent":"-5"}]' }, 'decimal string'],
  ])('refuses %j', (env, words) => {
    expect(refused(env)).toContain(words);
  });
});
