import { describe, expect, it } from 'vitest';
import { aggregateStatus, canMove } from './status-machine.ts';

describe('canonical status machine', () => {
  it('moves forward, sideways among waiting states, never back from shipping or out of a final state', () => {
    expect(canMove('submitted', 'accepted')).toBe(true);
    expect(canMove('accepted', 'backordered')).toBe(true);
    expect(canMove('backordered', 'accepted')).toBe(true);
    expect(canMove('accepted', 'partially_shipped')).toBe(true);
    expect(canMove('shipped', 'accepted')).toBe(false);
    expect(canMove('shipped', 'cancelled')).toBe(false);
    expect(canMove('delivered', 'shipped')).toBe(false);
    expect(canMove('cancelled', 'accepted')).toBe(false);
    expect(canMove('accepted', 'cancel_requested')).toBe(true);
    expect(canMove('cancel_requested', 'cancelled')).toBe(true);
    expect(canMove('accepted', 'accepted')).toBe(false);
  });

  it('aggregates parts into one status', () => {
    expect(aggregateStatus(['shipped', 'delivered'])).toBe('shipped');
    expect(aggregateStatus(['shipped', 'accepted'])).toBe('partially_shipped');
    expect(aggregateStatus(['delivered', 'cancelled'])).toBe('delivered');
    expect(aggregateStatus(['cancelled', 'cancelled'])).toBe('cancelled');
    expect(aggregateStatus(['accepted', 'backordered'])).toBe('backordered');
    expect(aggregateStatus(['submitted', 'accepted'])).toBe('submitted');
    // Nothing is "submitted" while a part still waits for the supplier's acknowledgement.
    expect(aggregateStatus(['submitting', 'accepted'])).toBe('submitting');
    expect(aggregateStatus(['submitting', 'shipped'])).toBe('partially_shipped');
    expect(canMove('submitted', 'submitting')).toBe(false);
  });
});
