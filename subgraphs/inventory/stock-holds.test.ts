import { describe, expect, it } from 'vitest';
import type { StockChange, StockState } from '../../platform/ports/stock-store.ts';
import { commitHold, releaseHold, takeHold } from './stock-holds.ts';

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
});
