import { describe, expect, it } from 'vitest';
import { MAX_THROTTLE_WAIT_MS, readQueryCost, throttleWaitMs, waitFromCost } from './throttle.ts';

const cost = (requestedQueryCost: number, currentlyAvailable: number, restoreRate = 50) => ({
  requestedQueryCost,
  actualQueryCost: null,
  throttleStatus: { maximumAvailable: 1000, currentlyAvailable, restoreRate },
});

describe('graphql throttle arithmetic', () => {
  it('waits for the points we are short at the restore rate', () => {
    expect(waitFromCost(cost(802, 100))).toBe(14_040);
    expect(waitFromCost(cost(101, 100))).toBe(20);
    expect(waitFromCost(cost(50, 100))).toBe(0);
    expect(waitFromCost(cost(10, 0, 0))).toBeUndefined();
    expect(waitFromCost(null)).toBeUndefined();
  });

  it('reads extensions.cost and ignores a report of another shape', () => {
    expect(readQueryCost({ cost: cost(3, 997) })).toEqual(cost(3, 997));
    expect(readQueryCost({ cost: { requestedQueryCost: 'lots' } })).toBeNull();
    expect(readQueryCost({})).toBeNull();
    expect(readQueryCost(undefined)).toBeNull();
  });

  // Issue 14: a restore rate of 1e-9 or a Retry-After of 400 digits asked us to wait for years (or for Infinity).
  it('keeps every wait a supplier asks for finite and at most MAX_THROTTLE_WAIT_MS', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(waitFromCost(cost(1000, -1e12, 1e-9))).toBe(MAX_THROTTLE_WAIT_MS);
    expect(waitFromCost(cost(10, 0, Number.MIN_VALUE))).toBe(MAX_THROTTLE_WAIT_MS);
    expect(throttleWaitMs('9'.repeat(400), cost(1000, -1e12, 1e-9), now)).toBe(MAX_THROTTLE_WAIT_MS);
  });

  it('ignores a cost report whose numbers overflowed to Infinity', () => {
    const overflowed = JSON.parse('{"cost":{"requestedQueryCost":1,"throttleStatus":{"maximumAvailable":1e400,"currentlyAvailable":-1e400,"restoreRate":50}}}') as unknown;
    expect(readQueryCost(overflowed)).toBeNull();
  });

  it('takes the longer of Retry-After and the cost wait', () => {
    expect(throttleWaitMs('1', cost(10, 990))).toBe(1_000);
    expect(throttleWaitMs('1', cost(802, 100))).toBe(14_040);
    expect(throttleWaitMs(null, cost(802, 100))).toBe(14_040);
    expect(throttleWaitMs(null, null)).toBeUndefined();
  });
});
