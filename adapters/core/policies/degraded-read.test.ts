import { describe, expect, it } from 'vitest';
import { RegistryError, type ErrorCode } from '../../../kernel/errors.ts';
import { servesLastKnownValue } from './degraded-read.ts';

describe('servesLastKnownValue', () => {
  it('falls back for outages and our own refusals, never for answers or the caller giving up', () => {
    const yes: ErrorCode[] = ['SUPPLIER_CIRCUIT_OPEN', 'RATE_LIMITED_LOCALLY', 'SUPPLIER_THROTTLED', 'SUPPLIER_TIMEOUT', 'SUPPLIER_UNAVAILABLE', 'CONTRACT_VIOLATION', 'MISCONFIGURED'];
    const no: ErrorCode[] = ['SUPPLIER_NOT_FOUND', 'SUPPLIER_REJECTED', 'CALL_ABORTED'];
    for (const code of yes) expect(servesLastKnownValue(new RegistryError(code, 'x')), code).toBe(true);
    for (const code of no) expect(servesLastKnownValue(new RegistryError(code, 'x')), code).toBe(false);
    expect(servesLastKnownValue(new Error('bug'))).toBe(true);
  });
});
