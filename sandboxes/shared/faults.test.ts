import { describe, expect, it } from 'vitest';
import { FaultController } from './faults.ts';

describe('lostAck fault knob', () => {
  it('loses the answers of the next `count` stored orders, then none; delayMs and thenDown as asked', () => {
    const faults = new FaultController(() => 0.5);
    expect(faults.takeLostAck()).toBeNull();
    faults.set({ lostAck: { count: 2 } });
    expect(faults.takeLostAck()).toEqual({ delayMs: null });
    expect(faults.knobs.lostAck).toEqual({ count: 1 });
    expect(faults.takeLostAck()).toEqual({ delayMs: null });
    expect(faults.takeLostAck()).toBeNull();
    expect(faults.knobs.down).toBe(false);

    faults.set({ lostAck: { count: 1, delayMs: 2_500, thenDown: true } });
    expect(faults.decide().decision).toBe('ok'); // the order's own request goes through
    expect(faults.takeLostAck()).toEqual({ delayMs: 2_500 });
    expect(faults.knobs.down).toBe(true); // every later request finds the supplier down
    expect(faults.decide().decision).toBe('down');
    faults.reset();
    expect(faults.knobs).toMatchObject({ lostAck: null, down: false });
  });
});
