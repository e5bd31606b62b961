import { describe, expect, it } from 'vitest';
import { RegistryError } from '../../kernel/errors.ts';
import { supplierOwnCode } from './supplier-facts.ts';

const failure = (details: Record<string, unknown>) => new RegistryError('SUPPLIER_REJECTED', 'acme placeOrder refused', { details });

describe('supplierOwnCode (the suppliers query: last error with the supplier\'s own code)', () => {
  it('reads each protocol\'s code as its adapter kept it', () => {
    expect(supplierOwnCode(failure({ httpStatus: 409, supplierCode: 'DUPLICATE_CUSTOMER_ORDER_NUMBER' }))).toBe('HTTP 409 DUPLICATE_CUSTOMER_ORDER_NUMBER');
    expect(supplierOwnCode(failure({ supplierCodes: ['TAKEN', 'INVALID'] }))).toBe('TAKEN,INVALID');
    expect(supplierOwnCode(failure({ serviceMessageCode: 300 }))).toBe('ServiceMessage 300');
    expect(supplierOwnCode(failure({ httpStatus: 500, faultcode: 'Server' }))).toBe('HTTP 500 soap:Server');
    expect(supplierOwnCode(failure({ httpStatus: 503 }))).toBe('HTTP 503');
    expect(supplierOwnCode(failure({ networkError: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
  });

  it('has nothing to say for our own failures, and cleans and clips what a supplier wrote', () => {
    expect(supplierOwnCode(new RegistryError('SUPPLIER_TIMEOUT', 'acme getStock: no answer'))).toBeUndefined();
    expect(supplierOwnCode(new Error('plain'))).toBeUndefined();
    const hostile = supplierOwnCode(failure({ supplierCode: `X\u202e${'A'.repeat(5_000)}` }))!;
    expect(hostile.length).toBeLessThanOrEqual(61);
    expect(hostile).not.toContain('\u202e');
  });
});
