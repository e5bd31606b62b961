import { describe, expect, it } from 'vitest';
import { RegistryError } from '../../kernel/errors.ts';
import { OfferFailures } from './offer-failures.ts';

const timeout = new RegistryError('SUPPLIER_TIMEOUT', 'slow', { supplier: 'acme' });
const rejected = new RegistryError('SUPPLIER_REJECTED', 'no such part', { supplier: 'acme' });

describe('OfferFailures', () => {
  it('names every supplier that could not answer now in degradedSuppliers: stale and empty offers, per code', () => {
    const failures = new OfferFailures();
    failures.recordStale('acme:1', timeout, '2026-01-02T00:00:00Z');
    failures.recordStale('acme:2', timeout, '2026-01-01T00:00:00Z');
    failures.record('acme:3', timeout);
    failures.record('acme:4', rejected);
    expect(failures.degradedSuppliers()).toEqual([{ supplier: 'acme', code: 'SUPPLIER_TIMEOUT', errorClass: 'transient', staleOffers: 2, failedOffers: 1, oldestAsOf: '2026-01-01T00:00:00Z' }]);
    // The empty offers are also errors, one per code, listing their ids; the refusal is only an error.
    expect(failures.toGraphQLErrors().map((e) => e.extensions)).toEqual([
      expect.objectContaining({ code: 'SUPPLIER_TIMEOUT', supplier: 'acme', offerIds: ['acme:3'] }),
      expect.objectContaining({ code: 'SUPPLIER_REJECTED', supplier: 'acme', offerIds: ['acme:4'] }),
    ]);
  });

  it('reports an outage with nothing stale with a null oldestAsOf', () => {
    const failures = new OfferFailures();
    failures.record('acme:3', timeout);
    expect(failures.degradedSuppliers()).toEqual([{ supplier: 'acme', code: 'SUPPLIER_TIMEOUT', errorClass: 'transient', staleOffers: 0, failedOffers: 1, oldestAsOf: null }]);
  });
});
