import { describe, expect, it } from 'vitest';
import { RegistryError } from '../../../kernel/errors.ts';
import { classifyOutcome, createCircuitBreaker, type BreakerStateChange, type CircuitBreakerOptions } from './circuit-breaker.ts';

const timeout = new RegistryError('SUPPLIER_TIMEOUT', 'slow');
const malformed = new RegistryError('CONTRACT_VIOLATION', 'bad body');

function breakerOnFakeClock(overrides: Partial<CircuitBreakerOptions> = {}) {
  const clock = { now: 1_000_000 };
  const changes: BreakerStateChange[] = [];
  const breaker = createCircuitBreaker({ supplier: 'acme', minimumVolume: 4, failureRate: 0.5, openMs: 10_000, windowMs: 10_000, now: () => clock.now, ...overrides });
  breaker.onStateChange((c) => changes.push(c));
  const call = (error?: unknown) => breaker.admit('getStock').record(error);
  return { breaker, clock, changes, call };
}

describe('classifyOutcome', () => {
  it('blames the supplier only for what is its fault', () => {
    expect(classifyOutcome(undefined)).toBe('success');
    expect(classifyOutcome(new RegistryError('SUPPLIER_REJECTED', 'bad sku'))).toBe('success');
    expect(classifyOutcome(timeout)).toBe('failure');
    expect(classifyOutcome(new RegistryError('SUPPLIER_UNAVAILABLE', '503'))).toBe('failure');
    expect(classifyOutcome(malformed)).toBe('critical');
    expect(classifyOutcome(new Error('bug'))).toBe('critical');
    for (const code of ['SUPPLIER_THROTTLED', 'CALL_ABORTED', 'RATE_LIMITED_LOCALLY', 'SUPPLIER_CIRCUIT_OPEN'] as const) {
      expect(classifyOutcome(new RegistryError(code, 'x'))).toBe('ignore');
    }
  });
});

describe('createCircuitBreaker', () => {
  it('stays closed below the minimum volume, then opens on the failure rate', () => {
    const { breaker, call, changes } = breakerOnFakeClock();
    call(timeout);
    call(timeout);
    call(timeout);
    expect(breaker.state()).toBe('closed');
    call();
    expect(breaker.state()).toBe('open');
    expect(changes).toEqual([{ supplier: 'acme', from: 'closed', to: 'open', reason: 'failure-rate' }]);
  });

  it('stays closed while failures stay under the rate', () => {
    const { breaker, call } = breakerOnFakeClock();
    for (let i = 0; i < 20; i++) call(i % 3 === 2 ? timeout : undefined);
    expect(breaker.state()).toBe('closed');
  });

  it('forgets failures older than the window', () => {
    const { breaker, call, clock } = breakerOnFakeClock();
    call(timeout);
    call(timeout);
    call(timeout);
    clock.now += 11_000;
    call(timeout);
    call();
    call();
    expect(breaker.state()).toBe('closed');
  });

  it('opens at once on critical errors, whatever the volume', () => {
    const { breaker, call, changes } = breakerOnFakeClock({ criticalThreshold: 2, minimumVolume: 100 });
    call(malformed);
    expect(breaker.state()).toBe('closed');
    call(malformed);
    expect(breaker.state()).toBe('open');
    expect(changes.at(-1)?.reason).toBe('critical');
  });

  it('refuses calls while open, saying when the next probe goes', () => {
    const { breaker, call, clock } = breakerOnFakeClock({ criticalThreshold: 1 });
    call(malformed);
    clock.now += 4_000;
    expect(() => breaker.admit('placeOrder')).toThrow(expect.objectContaining({ code: 'SUPPLIER_CIRCUIT_OPEN', errorClass: 'transient', retryAfterMs: 6_000, supplier: 'acme', operation: 'placeOrder' }));
  });

  it('lets a limited number of probes through when half-open and closes once they succeed', () => {
    const { breaker, call, clock, changes } = breakerOnFakeClock({ criticalThreshold: 1, halfOpenProbes: 2 });
    call(malformed);
    clock.now += 10_000;
    const first = breaker.admit('getStock');
    const second = breaker.admit('getStock');
    expect(breaker.state()).toBe('half-open');
    expect(() => breaker.admit('getStock')).toThrow(expect.objectContaining({ code: 'SUPPLIER_CIRCUIT_OPEN' }));
    first.record();
    expect(breaker.state()).toBe('half-open');
    second.record();
    expect(breaker.state()).toBe('closed');
    expect(changes.map((c) => c.reason)).toEqual(['critical', 'probe', 'recovered']);
  });

  it('opens again when a probe fails, and frees the slot of a probe never sent', () => {
    const { breaker, call, clock } = breakerOnFakeClock({ criticalThreshold: 1 });
    call(malformed);
    clock.now += 10_000;
    breaker.admit('getStock').release(); // e.g. the rate limiter refused it
    const probe = breaker.admit('getStock');
    probe.record(timeout);
    expect(breaker.state()).toBe('open');
    expect(() => breaker.admit('getStock')).toThrow(expect.objectContaining({ retryAfterMs: 10_000 }));
  });

  it('ignores late outcomes of calls admitted before the last transition', () => {
    const { breaker, call, clock } = breakerOnFakeClock({ criticalThreshold: 1 });
    const slow = breaker.admit('getStock');
    call(malformed);
    clock.now += 10_000;
    const probe = breaker.admit('getStock');
    slow.record(timeout); // admitted while closed: says nothing about the probe
    expect(breaker.state()).toBe('half-open');
    probe.record();
    expect(breaker.state()).toBe('closed');
  });

  it('does not count throttling, aborts or logical errors as failures', () => {
    const { breaker, call } = breakerOnFakeClock();
    for (let i = 0; i < 10; i++) {
      call(new RegistryError('SUPPLIER_THROTTLED', '429'));
      call(new RegistryError('CALL_ABORTED', 'gone'));
      call(new RegistryError('SUPPLIER_NOT_FOUND', 'no such order'));
    }
    expect(breaker.state()).toBe('closed');
  });
});
