import { describe, expect, it } from 'vitest';
import { isRegistryError, type RegistryError } from '../../kernel/errors.ts';
import {
  SUPPLIER_RANGES,
  canonicalAmount,
  checkDate,
  checkIdentifier,
  checkLeadTimeDays,
  checkPrice,
  checkQuantity,
  scanDecimal,
  type RangeSource,
} from './supplier-ranges.ts';

const SOURCE: RangeSource = { supplier: 'acme', label: 'acme' };

function violation(fn: () => unknown): RegistryError {
  try {
    fn();
  } catch (error) {
    if (isRegistryError(error)) return error;
    throw error;
  }
  throw new Error('expected a CONTRACT_VIOLATION');
}

describe('scanDecimal (one linear pass, no expression)', () => {
  it.each([
    ['12.3400', {}, { negative: false, whole: '12', fraction: '34' }],
    ['007.50', {}, { negative: false, whole: '7', fraction: '5' }],
    ['0', {}, { negative: false, whole: '0', fraction: '' }],
    ['000', {}, { negative: false, whole: '0', fraction: '' }],
    ['-3.10', { sign: true }, { negative: true, whole: '3', fraction: '1' }],
    ['+3', { sign: true }, { negative: false, whole: '3', fraction: '' }],
    ['.5', { bareDot: true }, { negative: false, whole: '0', fraction: '5' }],
    ['5.', { bareDot: true }, { negative: false, whole: '5', fraction: '' }],
  ])('reads %j (%j)', (text, syntax, expected) => {
    expect(scanDecimal(text, syntax)).toEqual(expected);
  });

  it.each([
    ['', {}],
    ['.', { bareDot: true }],
    ['.5', {}],
    ['5.', {}],
    ['-1', {}],
    ['1e3', {}],
    ['1.2.3', {}],
    ['12,50', {}],
    ['+', { sign: true }],
    ['١٢', {}],
  ])('refuses %j (%j)', (text, syntax) => {
    expect(scanDecimal(text, syntax)).toBeNull();
  });
});

describe('checkPrice', () => {
  it('keeps up to the stated precision and drops trailing zeros', () => {
    expect(canonicalAmount(checkPrice('0.123456', SOURCE, 'p'))).toBe('0.123456');
    expect(canonicalAmount(checkPrice('1.10000000000000000000', SOURCE, 'p'))).toBe('1.10');
    expect(canonicalAmount(checkPrice(12.5, SOURCE, 'p'))).toBe('12.50');
  });

  it.each([
    ['9'.repeat(100_000), 'price-too-long'],
    [`0.${'1'.repeat(40)}`, 'price-too-long'],
    ['0.1234567', 'price-too-precise'],
    ['abc', 'price-not-decimal'],
    [Number.NaN, 'price-not-decimal'],
    [1e300, 'price-not-decimal'],
    [-0.5, 'price-negative'],
  ] as const)('refuses %#: %s with details.reason and the field, never the value', (value, reason) => {
    const error = violation(() => checkPrice(value, SOURCE, 'items[3].price'));
    expect(error.code).toBe('CONTRACT_VIOLATION');
    expect(error.details).toEqual({ reason, field: 'items[3].price' });
    expect(error.supplier).toBe('acme');
    expect(error.message).toContain('items[3].price');
    expect(error.message).not.toContain(String(value).slice(0, 12));
  });

  it('refuses a negative xsd:decimal but takes a signed zero', () => {
    expect(violation(() => checkPrice('-3.00', SOURCE, 'p', { sign: true })).details).toMatchObject({ reason: 'price-negative' });
    expect(checkPrice('-0.00', SOURCE, 'p', { sign: true })).toEqual({ negative: false, whole: '0', fraction: '' });
  });
});

describe('quantities, lead times, dates, identifiers', () => {
  it('holds quantities to whole numbers between the floor and the stated maximum', () => {
    expect(checkQuantity(SUPPLIER_RANGES.maxQuantity, SOURCE, 'q')).toBe(SUPPLIER_RANGES.maxQuantity);
    expect(checkQuantity(-5, SOURCE, 'q', -SUPPLIER_RANGES.maxQuantity)).toBe(-5);
    for (const bad of [SUPPLIER_RANGES.maxQuantity + 1, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e300]) {
      expect(violation(() => checkQuantity(bad, SOURCE, 'q')).details).toEqual({ reason: 'quantity-out-of-range', field: 'q' });
    }
  });

  it('refuses a lead time of 1e300 in our words, without echoing the number', () => {
    const error = violation(() => checkLeadTimeDays(1e300 * 7, SOURCE, 'results[0].factoryLeadTimeWeeks'));
    expect(error.details).toEqual({ reason: 'lead-time-out-of-range', field: 'results[0].factoryLeadTimeWeeks' });
    expect(error.message).not.toMatch(/e\+|Infinity/);
    expect(checkLeadTimeDays(2.5 * 7, SOURCE, 'l')).toBe(18);
    expect(checkLeadTimeDays(365, SOURCE, 'l')).toBe(365);
    expect(violation(() => checkLeadTimeDays(366, SOURCE, 'l')).details).toMatchObject({ reason: 'lead-time-out-of-range' });
    expect(violation(() => checkLeadTimeDays(-1, SOURCE, 'l')).details).toMatchObject({ reason: 'lead-time-out-of-range' });
  });

  it('reads dates within 2000–2100 as ISO 8601 and refuses the rest by reason', () => {
    expect(checkDate('2026-03-01T10:00:00+01:00', SOURCE, 'd')).toBe('2026-03-01T09:00:00.000Z');
    expect(violation(() => checkDate('9999-12-31T00:00:00Z', SOURCE, 'd')).details).toMatchObject({ reason: 'date-out-of-range' });
    expect(violation(() => checkDate('1970-01-01T00:00:00Z', SOURCE, 'd')).details).toMatchObject({ reason: 'date-out-of-range' });
    expect(violation(() => checkDate('yesterday', SOURCE, 'd')).details).toMatchObject({ reason: 'date-unreadable' });
    expect(violation(() => checkDate(`2026-01-01${' '.repeat(100)}`, SOURCE, 'd')).details).toMatchObject({ reason: 'date-too-long' });
  });

  it('bounds identifiers at the stated length', () => {
    expect(checkIdentifier('x'.repeat(SUPPLIER_RANGES.maxIdentifierChars), SOURCE, 'id')).toHaveLength(SUPPLIER_RANGES.maxIdentifierChars);
    expect(violation(() => checkIdentifier('x'.repeat(SUPPLIER_RANGES.maxIdentifierChars + 1), SOURCE, 'id')).details).toEqual({ reason: 'identifier-too-long', field: 'id' });
  });
});
