import { describe, expect, it } from 'vitest';
import { isRegistryError } from '../../kernel/errors.ts';
import { createBufferPolicy } from './buffer-policy.ts';

describe('buffer policy', () => {
  it('takes the product setting, else the supplier setting, else the default', () => {
    const policy = createBufferPolicy({ default: 1, bySupplier: { soap: 4 }, byProduct: { 'DS-1': 7, 'DS-0': 0 } });
    expect(policy.bufferFor('soap', 'DS-1')).toBe(7);
    expect(policy.bufferFor('soap', 'DS-0')).toBe(0); // an explicit zero is a setting, not a gap
    expect(policy.bufferFor('soap', 'DS-2')).toBe(4);
    expect(policy.bufferFor('rest', 'DS-2')).toBe(1);
    expect(createBufferPolicy().bufferFor('rest', 'DS-2')).toBe(0);
  });

  it('refuses negative or fractional figures at startup, naming where', () => {
    for (const config of [{ default: -1 }, { bySupplier: { rest: 1.5 } }, { byProduct: { 'DS-1': Number.NaN } }]) {
      let caught: unknown;
      try {
        createBufferPolicy(config);
      } catch (error) {
        caught = error;
      }
      expect(isRegistryError(caught) && caught.code === 'MISCONFIGURED').toBe(true);
    }
  });
});
