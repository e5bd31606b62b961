import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../kernel/errors.ts';
import { codeForHttpStatus } from './status-codes.ts';

describe('supplier HTTP status → registry code (one table for REST, SOAP and GraphQL)', () => {
  it.each([
    [429, 'SUPPLIER_THROTTLED', 'SUPPLIER_THROTTLED'],
    [500, 'SUPPLIER_UNAVAILABLE', 'SUPPLIER_UNAVAILABLE'],
    [502, 'SUPPLIER_UNAVAILABLE', 'SUPPLIER_UNAVAILABLE'],
    [503, 'SUPPLIER_UNAVAILABLE', 'SUPPLIER_UNAVAILABLE'],
    [599, 'SUPPLIER_UNAVAILABLE', 'SUPPLIER_UNAVAILABLE'],
    [401, 'MISCONFIGURED', 'MISCONFIGURED'],
    [403, 'MISCONFIGURED', 'MISCONFIGURED'],
    [404, 'SUPPLIER_NOT_FOUND', 'MISCONFIGURED'],
    [400, 'SUPPLIER_REJECTED', 'SUPPLIER_REJECTED'],
    [409, 'SUPPLIER_REJECTED', 'SUPPLIER_REJECTED'],
    [422, 'SUPPLIER_REJECTED', 'SUPPLIER_REJECTED'],
    [200, 'CONTRACT_VIOLATION', 'CONTRACT_VIOLATION'],
    [302, 'CONTRACT_VIOLATION', 'CONTRACT_VIOLATION'],
    [101, 'CONTRACT_VIOLATION', 'CONTRACT_VIOLATION'],
    [600, 'CONTRACT_VIOLATION', 'CONTRACT_VIOLATION'],
  ])('HTTP %i → %s for a REST resource, %s for a GraphQL or SOAP endpoint', (status, resource, endpoint) => {
    expect(codeForHttpStatus(status, 'resource')).toBe(resource);
    expect(codeForHttpStatus(status, 'endpoint')).toBe(endpoint);
  });

  it('refusals of our credentials and a wrong endpoint are critical (breaker, masked); a missing record is logical', () => {
    expect(ERRORS[codeForHttpStatus(404, 'endpoint')].errorClass).toBe('critical');
    expect(ERRORS[codeForHttpStatus(404, 'resource')].errorClass).toBe('logical');
    expect(ERRORS[codeForHttpStatus(401, 'resource')].errorClass).toBe('critical');
  });
});
