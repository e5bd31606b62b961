import { describe, expect, it } from 'vitest';
import { isRegistryError } from '../../kernel/errors.ts';
import { requestHash, validatePlaceOrder, type PlaceOrderRequest } from './validation.ts';

const base: PlaceOrderRequest = {
  idempotencyKey: 'k-1',
  shipTo: { name: 'Ada', line1: '1 Way', city: 'London', postalCode: 'N1 9GU', country: 'gb' },
  lines: [{ sku: 'A', quantity: 1 }],
};

function fieldOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (isRegistryError(error) && error.code === 'INVALID_INPUT') return error.details?.['field'];
    throw error;
  }
  throw new Error('expected INVALID_INPUT');
}

describe('validatePlaceOrder', () => {
  it('normalises country case and merges repeated SKUs', () => {
    const v = validatePlaceOrder({ ...base, lines: [{ sku: 'A', quantity: 1 }, { sku: 'A', quantity: 2 }] });
    expect(v.shipTo.country).toBe('GB');
    expect(v.lines).toEqual([{ sku: 'A', quantity: 3 }]);
  });

  it('names the failing field', () => {
    expect(fieldOf(() => validatePlaceOrder({ ...base, shipTo: { ...base.shipTo, country: 'GBR' } }))).toBe('shipTo.country');
    expect(fieldOf(() => validatePlaceOrder({ ...base, shipTo: { ...base.shipTo, city: '' } }))).toBe('shipTo.city');
    expect(fieldOf(() => validatePlaceOrder({ ...base, shipTo: { ...base.shipTo, email: 'nope' } }))).toBe('shipTo.email');
    expect(fieldOf(() => validatePlaceOrder({ ...base, lines: [{ sku: 'A', quantity: 0 }] }))).toBe('lines[0].quantity');
    expect(fieldOf(() => validatePlaceOrder({ ...base, lines: [{ sku: 'A', quantity: 1.5 }] }))).toBe('lines[0].quantity');
    expect(fieldOf(() => validatePlaceOrder({ ...base, lines: [] }))).toBe('lines');
    expect(fieldOf(() => validatePlaceOrder({ ...base, idempotencyKey: '' }))).toBe('idempotencyKey');
  });

  it('hashes equal payloads equally and different payloads differently', () => {
    const a = requestHash(validatePlaceOrder(base));
    expect(requestHash(validatePlaceOrder({ ...base, shipTo: { ...base.shipTo, country: 'GB' } }))).toBe(a);
    expect(requestHash(validatePlaceOrder({ ...base, lines: [{ sku: 'A', quantity: 2 }] }))).not.toBe(a);
  });
});
