import { describe, expect, it } from 'vitest';
import type { StockChange, StockState } from '../../platform/ports/stock-store.ts';
import { commitHold, releaseHold, settleHold, takeHold } from './stock-holds.ts';

const state = (over: Partial<StockState['record']> = {}, holds: StockState['holds'] = [], closed: StockState['closed'] = []): StockState => ({
  record: {
    sku: 'A', supplier: 'rest', supplierSku: 'R', onHand: 10, reserved: 0, committed: 0, buffer: 0, available: 10,
    supplierAsOf: '2026-01-01T00:00:00.000Z', receivedAt: '2026-01-01T00:00:00.000Z', version: 1, ...over,
  },
  holds,
  closed,
});
const now = () => '2026-01-01T00:00:10.000Z';
const take = (units: number, buffer = 0, deadline = '2026-01-01T00:01:00.000Z') => takeHold({ ref: 'r1', units, buffer, deadline, now });
const set = (change: StockChange) => ('set' in change ? change.set : change);

describe('stock holds', () => {
  it('takes sellable units, setting the policy buffer, and refuses what the buffer protects', () => {
    expect(take(3, 2)(state({ reserved: 2, committed: 1 }))).toEqual({
      set: { reserved: 5, buffer: 2, holds: [{ ref: 'r1', units: 3, state: 'reserved' }] },
    });
    // 10 − 2 − 1 − 5 = 2 sellable with the policy's buffer of 5, whatever the row's old buffer says.
    expect(take(3, 5)(state({ reserved: 2, committed: 1 }))).toEqual({ reject: 'out_of_stock', details: { available: 2, requested: 3 } });
  });

  it('takes a ref once, never a closed ref, and nothing from the deadline on', () => {
    const holding = state({ reserved: 3 }, [{ ref: 'r1', units: 3, state: 'reserved' }]);
    expect(take(3)(holding)).toEqual({ set: {} });
    expect(take(1)(state({}, [], [{ ref: 'r1', until: '2026-01-01T02:00:00.000Z' }]))).toEqual({ reject: 'closed' });
    expect(take(1, 0, now())(state())).toEqual({ reject: 'expired' });
  });

  it('releases a held ref once, and closes a ref it never saw', () => {
    const holding = state({ reserved: 5 }, [{ ref: 'r1', units: 3, state: 'reserved' }, { ref: 'r2', units: 2, state: 'reserved' }]);
    expect(set(releaseHold('r1', 'x')(holding))).toEqual({ reserved: 2, holds: [{ ref: 'r2', units: 2, state: 'reserved' }] });
    expect(set(releaseHold('r9', '2026-01-01T02:00:00.000Z')(holding))).toEqual({ closed: [{ ref: 'r9', until: '2026-01-01T02:00:00.000Z' }] });
    expect(releaseHold('r9', 'x')(state({}, [], [{ ref: 'r9', until: 'y' }]))).toEqual({ set: {} });
    // A committed hold belongs to an order: release leaves it alone.
    expect(releaseHold('r1', 'x')(state({ committed: 3 }, [{ ref: 'r1', units: 3, state: 'committed' }]))).toEqual({ set: {} });
  });

  it('commits a held ref once, moving its units from reserved to committed', () => {
    const holding = state({ reserved: 3, committed: 1 }, [{ ref: 'r1', units: 3, state: 'reserved' }]);
    expect(set(commitHold('r1')(holding))).toEqual({ reserved: 0, committed: 4, holds: [{ ref: 'r1', units: 3, state: 'committed' }] });
    expect(commitHold('r1')(state({ committed: 3 }, [{ ref: 'r1', units: 3, state: 'committed' }]))).toEqual({ set: {} });
    expect(commitHold('r1')(state())).toEqual({ set: {} });
  });

  it('settles a committed ref down to what should stay committed, once, whatever order the figures come in', () => {
    const committed = state({ committed: 7 }, [{ ref: 'r1', units: 5, state: 'committed' }, { ref: 'r2', units: 2, state: 'committed' }]);
    // 2 of 5 shipped: 3 stay committed.
    expect(set(settleHold('r1', 3)(committed))).toEqual({ committed: 5, holds: [{ ref: 'r1', units: 3, state: 'committed' }, { ref: 'r2', units: 2, state: 'committed' }] });
    const partly = state({ committed: 5 }, [{ ref: 'r1', units: 3, state: 'committed' }, { ref: 'r2', units: 2, state: 'committed' }]);
    // The same figure again, or an older one (4 left), changes nothing: the hold only shrinks.
    expect(settleHold('r1', 3)(partly)).toEqual({ set: {} });
    expect(settleHold('r1', 4)(partly)).toEqual({ set: {} });
    // All shipped (or cancelled): the hold leaves the ledger with its units.
    expect(set(settleHold('r1', 0)(partly))).toEqual({ committed: 2, holds: [{ ref: 'r2', units: 2, state: 'committed' }] });
    const settled = state({ committed: 2 }, [{ ref: 'r2', units: 2, state: 'committed' }]);
    expect(settleHold('r1', 0)(settled)).toEqual({ set: {} });
    // Negative or fractional figures never add units.
    expect(set(settleHold('r2', -4)(settled))).toEqual({ committed: 0, holds: [] });
    expect(set(settleHold('r2', 1.7)(settled))).toEqual({ committed: 1, holds: [{ ref: 'r2', units: 1, state: 'committed' }] });
  });

  it('settles only committed holds: a reserved hold or an unknown ref is left alone, and commit or release after settling do nothing', () => {
    const reserved = state({ reserved: 3 }, [{ ref: 'r1', units: 3, state: 'reserved' }]);
    expect(settleHold('r1', 0)(reserved)).toEqual({ set: {} });
    expect(settleHold('r9', 0)(state())).toEqual({ set: {} });
    const afterSettle = state({ committed: 0 }, []);
    expect(commitHold('r1')(afterSettle)).toEqual({ set: {} });
  });
});
