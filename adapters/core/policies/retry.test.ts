import { describe, expect, it } from 'vitest';
import { RegistryError } from '../../../kernel/errors.ts';
import { backoffDelayMs, retryTransient, DEFAULT_RETRY_POLICY } from './retry.ts';

const policy = { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 40, budgetMs: 2_000 };

describe('backoffDelayMs', () => {
  it('uses full jitter under an exponentially growing, capped ceiling', () => {
    expect(backoffDelayMs(1, policy, undefined, () => 0.999)).toBe(9);
    expect(backoffDelayMs(2, policy, undefined, () => 0.999)).toBe(19);
    expect(backoffDelayMs(5, policy, undefined, () => 0.999)).toBe(39);
    expect(backoffDelayMs(3, policy, undefined, () => 0)).toBe(0);
  });

  it('honours the delay the supplier asked for', () => {
    expect(backoffDelayMs(1, policy, 1_500, () => 0.5)).toBe(1_500);
  });
});

describe('retryTransient', () => {
  const signal = new AbortController().signal;

  it('retries transient errors until success', async () => {
    let calls = 0;
    const result = await retryTransient(async () => {
      calls += 1;
      if (calls < 3) throw new RegistryError('SUPPLIER_UNAVAILABLE', 'boom');
      return 'ok';
    }, { policy, signal });
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('never retries logical or critical errors', async () => {
    for (const code of ['SUPPLIER_REJECTED', 'CONTRACT_VIOLATION'] as const) {
      let calls = 0;
      await expect(retryTransient(async () => {
        calls += 1;
        throw new RegistryError(code, 'no');
      }, { policy, signal })).rejects.toMatchObject({ code });
      expect(calls).toBe(1);
    }
  });

  it('retries only what a given predicate accepts', async () => {
    let calls = 0;
    await expect(retryTransient(async () => {
      calls += 1;
      throw new RegistryError('RATE_LIMITED_LOCALLY', 'no room', { retryAfterMs: 5 });
    }, { policy, signal, retryable: (e) => (e as RegistryError).code !== 'RATE_LIMITED_LOCALLY' })).rejects.toMatchObject({ code: 'RATE_LIMITED_LOCALLY' });
    expect(calls).toBe(1);
  });

  it('gives up after maxAttempts with the last error', async () => {
    let calls = 0;
    await expect(retryTransient(async () => {
      calls += 1;
      throw new RegistryError('SUPPLIER_TIMEOUT', `attempt ${calls}`);
    }, { policy, signal })).rejects.toThrow('attempt 4');
    expect(calls).toBe(4);
  });

  it('does not start a retry that would overrun the budget', async () => {
    let calls = 0;
    const started = Date.now();
    await expect(retryTransient(async () => {
      calls += 1;
      throw new RegistryError('SUPPLIER_THROTTLED', 'slow down', { retryAfterMs: 60_000 });
    }, { policy: DEFAULT_RETRY_POLICY, signal })).rejects.toMatchObject({ code: 'SUPPLIER_THROTTLED' });
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('stops waiting when the caller aborts', async () => {
    const controller = new AbortController();
    let calls = 0;
    setTimeout(() => controller.abort(), 30);
    await expect(retryTransient(async () => {
      calls += 1;
      throw new RegistryError('SUPPLIER_THROTTLED', 'wait', { retryAfterMs: 1_000 });
    }, { policy, signal: controller.signal })).rejects.toMatchObject({ code: 'SUPPLIER_THROTTLED' });
    expect(calls).toBe(1);
  });
});
