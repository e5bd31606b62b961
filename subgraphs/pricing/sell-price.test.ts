import { describe, expect, it } from 'vitest';
import type { FxTable } from './fx.ts';
import { toStoreCurrency } from './fx.ts';
import { dec } from './money.ts';
import { effectiveRules, validateRule, type PricingRule, type RuleSubject } from './rules.ts';
import { landedCostOf, roundUp, sellPrice } from './sell-price.ts';

const fx: FxTable = { storeCurrency: 'USD', date: '2026-12-01', rates: { CAD: '0.7312', EUR: '1.0843' } };
const subject: RuleSubject = { sku: 'SKU-1', categories: ['Apparel', 'T-Shirts'], brand: 'Acme', supplier: 'brightline' };
const usd = (amount: string) => ({ amount, currency: 'USD' });
const priceOf = (cost: string, rules: PricingRule[], extra: { map?: { amount: string; currency: string }; shipping?: string; subject?: RuleSubject } = {}) =>
  sellPrice({ landedCost: landedCostOf(usd(cost), extra.shipping ?? null, fx)!, subject: extra.subject ?? subject, rules, fx, map: extra.map ?? null });

describe('rule precedence: product > category > brand > supplier > default', () => {
  const all: PricingRule[] = [
    { scope: 'default', key: '', markupPercent: '10' },
    { scope: 'supplier', key: 'brightline', markupPercent: '20' },
    { scope: 'brand', key: 'ACME', markupPercent: '30' },
    { scope: 'category', key: 't-shirts', markupPercent: '40' },
    { scope: 'product', key: 'SKU-1', markupPercent: '50' },
  ];
  it.each([
    ['product', all, '15.00'],
    ['category', all.filter((r) => r.scope !== 'product'), '14.00'],
    ['brand', all.filter((r) => !['product', 'category'].includes(r.scope)), '13.00'],
    ['supplier', all.filter((r) => ['supplier', 'default'].includes(r.scope)), '12.00'],
    ['default', all.filter((r) => r.scope === 'default'), '11.00'],
    ['none (cost price)', [], '10.00'],
  ])('the most specific rule wins: %s', (_name, rules, expected) => {
    expect(priceOf('10.00', rules).amount).toEqual(usd(expected));
  });

  it('categories match in the product’s own order, case-insensitively', () => {
    const rules: PricingRule[] = [
      { scope: 'category', key: 'T-SHIRTS', markupPercent: '40' },
      { scope: 'category', key: 'apparel', markupPercent: '25' },
    ];
    expect(priceOf('10.00', rules).amount.amount).toBe('12.50');
  });

  it('a rule for another supplier, brand or product does not apply', () => {
    const rules: PricingRule[] = [
      { scope: 'supplier', key: 'maplecart', markupPercent: '90' },
      { scope: 'brand', key: 'Other', markupPercent: '90' },
      { scope: 'product', key: 'SKU-2', markupPercent: '90' },
      { scope: 'default', key: '', markupPercent: '5' },
    ];
    expect(priceOf('10.00', rules).amount.amount).toBe('10.50');
  });

  it('each part comes from the most specific rule that sets it: brand markup with the default rounding and margin', () => {
    const rules: PricingRule[] = [
      { scope: 'default', key: '', markupPercent: '100', rounding: '0.99', minMarginPercent: '5' },
      { scope: 'brand', key: 'acme', markupPercent: '20', markupFixed: '1.00' },
    ];
    const p = priceOf('10.00', rules);
    expect(p.amount.amount).toBe('13.99'); // 10 × 1.2 + 1 = 13.00 → .99 ending
    expect(p.rule).toMatchObject({ markupFrom: 'brand:acme', roundingFrom: 'default:', minMarginFrom: 'default:' });
  });

  it('percentage and fixed markup together: percent first, then the fixed amount', () => {
    expect(priceOf('10.00', [{ scope: 'default', key: '', markupPercent: '15', markupFixed: '2.50' }]).amount.amount).toBe('14.00');
  });

  it('a graph rule replaces the configured rule of the same scope and key', () => {
    const rules = effectiveRules([{ scope: 'brand', key: 'Acme', markupPercent: '30' }, { scope: 'default', key: '', rounding: '0.99' }], [{ scope: 'brand', key: 'acme', markupPercent: '60' }]);
    expect(priceOf('10.00', rules).amount.amount).toBe('16.99');
  });
});

describe('rounding', () => {
  it.each([
    ['12.30', '0.99', '12.99'],
    ['12.99', '0.99', '12.99'],
    ['12.991', '0.99', '13.99'],
    ['13.00', '0.99', '13.99'],
    ['12.30', '0.95', '12.95'],
    ['12.96', '0.95', '13.95'],
    ['12.01', '0.00', '13.00'],
    ['12.00', '0.00', '12.00'],
    ['12.001', null, '12.01'],
    ['12.00', null, '12.00'],
  ])('%s with ending %s is %s (only ever up)', (price, ending, expected) => {
    expect(roundUp(dec(price), ending, 'USD').toFixed(2)).toBe(expected);
  });

  it('a third markup rounds up to the cent, never down', () => {
    expect(priceOf('10.00', [{ scope: 'default', key: '', markupPercent: '33.333' }]).amount.amount).toBe('13.34');
  });
});

describe('minimum margin', () => {
  it('raises a price below the margin floor: (price − landed) / price ≥ m', () => {
    const p = priceOf('10.00', [{ scope: 'default', key: '', markupPercent: '10', minMarginPercent: '20' }]);
    expect(p.amount.amount).toBe('12.50'); // 10 / (1 − 0.2); markup alone gave 11.00, a 9.1 % margin
    expect(p.marginFloorApplied).toBe(true);
  });

  it('leaves a price above the floor alone', () => {
    const p = priceOf('10.00', [{ scope: 'default', key: '', markupPercent: '50', minMarginPercent: '20' }]);
    expect(p.amount.amount).toBe('15.00');
    expect(p.marginFloorApplied).toBe(false);
  });

  it('rounding after the floor never breaks it', () => {
    const p = priceOf('9.99', [{ scope: 'default', key: '', minMarginPercent: '33', rounding: '0.00' }]);
    // floor = 9.99 / 0.67 = 14.9104…; rounded up to 15.00: margin 33.4 %
    expect(p.amount.amount).toBe('15.00');
    const margin = dec('15.00').minus('9.99').dividedBy('15.00');
    expect(margin.gte('0.33')).toBe(true);
  });
});

describe('MAP floor', () => {
  const rules: PricingRule[] = [{ scope: 'default', key: '', markupPercent: '20', rounding: '0.99' }];

  it('raises the price to the supplier’s minimum advertised price, then rounds up', () => {
    const p = priceOf('10.00', rules, { map: usd('19.95') });
    expect(p.amount.amount).toBe('19.99');
    expect(p.mapFloorApplied).toBe(true);
  });

  it('does nothing when the price is already above MAP', () => {
    const p = priceOf('10.00', rules, { map: usd('9.00') });
    expect(p.amount.amount).toBe('12.99');
    expect(p.mapFloorApplied).toBe(false);
  });

  it('a MAP in another currency is converted at the configured rate', () => {
    const p = sellPrice({ landedCost: landedCostOf(usd('10.00'), null, fx)!, subject, rules: [{ scope: 'default', key: '', markupPercent: '0' }], fx, map: { amount: '20.00', currency: 'CAD' } });
    expect(p.amount.amount).toBe('14.63'); // 20 × 0.7312 = 14.624 → up to the cent
    expect(p.map).toEqual(usd('14.63'));
  });

  it('both floors: the higher wins', () => {
    const p = priceOf('10.00', [{ scope: 'default', key: '', minMarginPercent: '50' }], { map: usd('15.00') });
    expect(p.amount.amount).toBe('20.00');
    expect(p).toMatchObject({ marginFloorApplied: true, mapFloorApplied: false });
  });
});

describe('conversion and landed cost, exact decimals', () => {
  it('0.1 + 0.2 is 0.3, not 0.30000000000000004', () => {
    const landed = landedCostOf(usd('0.1'), '0.2', fx)!;
    expect(landed.amount).toEqual(usd('0.30'));
    expect(dec('0.1').plus('0.2').toFixed()).toBe('0.3');
  });

  it('converts CAD at the configured rate and tells the rate and its date', () => {
    const landed = landedCostOf({ amount: '19.99', currency: 'CAD' }, '5.00', fx)!;
    expect(landed).toEqual({ amount: usd('18.27'), cost: { amount: '19.99', currency: 'CAD' }, shipping: { amount: '5.00', currency: 'CAD' }, fxRate: '0.7312', fxRateDate: '2026-12-01' });
    // 24.99 × 0.7312 = 18.272688 exactly
    expect(toStoreCurrency({ amount: '24.99', currency: 'CAD' }, fx)!.amount.toFixed()).toBe('18.272688');
  });

  it('keeps every digit of large values', () => {
    const landed = landedCostOf(usd('123456789012345.67'), '0.01', fx)!;
    expect(landed.amount.amount).toBe('123456789012345.68');
    const p = sellPrice({ landedCost: landed, subject, rules: [{ scope: 'default', key: '', markupPercent: '10' }], fx });
    expect(p.amount.amount).toBe('135802467913580.25'); // ×1.1 = 135802467913580.248 → up to the cent
  });

  it('a currency without a configured rate has no landed cost (never guessed)', () => {
    expect(landedCostOf({ amount: '10.00', currency: 'GBP' }, null, fx)).toBeNull();
  });

  it('the store currency needs no rate and has no rate date', () => {
    expect(landedCostOf(usd('10'), null, fx)).toMatchObject({ amount: usd('10.00'), fxRate: '1', fxRateDate: null });
  });
});

describe('validateRule', () => {
  it('normalises decimals and keys', () => {
    expect(validateRule({ scope: 'default', key: 'ignored', markupPercent: '035.50', rounding: '.99' })).toEqual({
      scope: 'default', key: '', markupPercent: '35.5', markupFixed: null, minMarginPercent: null, rounding: '0.99',
    });
  });

  it.each([
    [{ scope: 'brand', key: ' ', markupPercent: '1' }, 'key'],
    [{ scope: 'default', key: '', minMarginPercent: '100' }, 'minMarginPercent'],
    [{ scope: 'default', key: '', markupPercent: '-1' }, 'markupPercent'],
    [{ scope: 'default', key: '', markupPercent: 'abc' }, 'markupPercent'],
    [{ scope: 'default', key: '', rounding: '1.00' }, 'rounding'],
    [{ scope: 'default', key: '', rounding: '0.999' }, 'rounding'],
    [{ scope: 'default', key: '' }, 'rule'],
  ] as [PricingRule, string][])('refuses %j (field %s)', (rule, field) => {
    expect(() => validateRule(rule)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', details: expect.objectContaining({ field }) }));
  });
});
