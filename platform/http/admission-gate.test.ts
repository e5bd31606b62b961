import { afterEach, describe, expect, it } from 'vitest';
import { AdmissionTimeout, createAdmissionGate, type AdmissionGate, type Release } from './admission-gate.ts';

const gates: AdmissionGate[] = [];
/** A gate whose limit moves only when the test calls `adjust` (the timer never samples within a test). */
const gateOf = (minLimit: number, maxLimit = 64) => {
  const gate = createAdmissionGate({ minLimit, maxLimit, sampleMs: 3_600_000, utilization: () => 0.5 });
  gates.push(gate);
  return gate;
};
const now = (turn: Release | Promise<Release>): Release => {
  if (typeof turn !== 'function') throw new Error('expected an immediate turn');
  return turn;
};

afterEach(() => {
  for (const gate of gates.splice(0)) gate.close();
});

describe('adaptive admission gate', () => {
  it('admits every operation at once while the loop has room', () => {
    const gate = gateOf(2, 64);
    const releases = Array.from({ length: 64 }, () => now(gate.enter(1_000)));
    expect(gate.snapshot()).toEqual({ limit: 64, running: 64, waiting: 0 });
    for (const release of releases) release();
    expect(gate.snapshot().running).toBe(0);
  });

  it('a saturated loop brings the limit down to 90 % of what runs, never under the minimum; later operations wait in arrival order', async () => {
    const gate = gateOf(2, 64);
    const running = Array.from({ length: 10 }, () => now(gate.enter(1_000)));
    gate.adjust(0.99);
    expect(gate.snapshot().limit).toBe(9);
    gate.adjust(0.99);
    gate.adjust(0.99);
    expect(gate.snapshot().limit).toBe(7);
    for (let i = 0; i < 20; i++) gate.adjust(1);
    expect(gate.snapshot().limit).toBe(2);

    const order: string[] = [];
    const first = (gate.enter(1_000) as Promise<Release>).then((release) => (order.push('first'), release));
    const second = (gate.enter(1_000) as Promise<Release>).then((release) => (order.push('second'), release));
    expect(gate.snapshot()).toMatchObject({ running: 10, waiting: 2 });
    // 10 running, limit 2: nobody is admitted until only one runs.
    for (const release of running.slice(0, 8)) release();
    await Promise.resolve();
    expect(order).toEqual([]);
    running[8]!();
    (await first)();
    running[9]!();
    await second;
    expect(order).toEqual(['first', 'second']);
  });

  it('spare CPU while operations wait doubles the limit and lets them in', async () => {
    const gate = gateOf(1, 64);
    const held = now(gate.enter(1_000));
    gate.adjust(0.99);
    expect(gate.snapshot().limit).toBe(1);
    const waiting = gate.enter(1_000) as Promise<Release>;
    gate.adjust(0.95);
    expect(gate.snapshot()).toMatchObject({ limit: 1, waiting: 1 });
    gate.adjust(0.5);
    expect(gate.snapshot()).toMatchObject({ limit: 2, running: 2, waiting: 0 });
    (await waiting)();
    held();
    // Without anyone waiting, spare CPU leaves the limit as it is.
    gate.adjust(0.1);
    expect(gate.snapshot().limit).toBe(2);
  });

  it('refuses an operation that did not get its turn within its wait, and the refused one never blocks the next', async () => {
    const gate = gateOf(1, 64);
    const held = now(gate.enter(1_000));
    gate.adjust(1);
    const refused = gate.enter(30);
    await expect(refused).rejects.toBeInstanceOf(AdmissionTimeout);
    await expect(refused).rejects.toThrow(/not admitted within \d+ ms/);
    expect(gate.snapshot()).toMatchObject({ running: 1, waiting: 0 });
    const next = gate.enter(1_000) as Promise<Release>;
    held();
    (await next)();
    expect(gate.snapshot()).toMatchObject({ running: 0, waiting: 0 });
    // With nothing waiting and room under the limit, the next one is in at once again.
    now(gate.enter(1_000))();
  });

  it('a release called twice frees one place only', () => {
    const gate = gateOf(1, 2);
    const a = now(gate.enter(1_000));
    now(gate.enter(1_000));
    a();
    a();
    expect(gate.snapshot().running).toBe(1);
  });

  it('samples the real event loop: a busy loop lowers the limit, an idle one with waiters raises it', async () => {
    const gate = createAdmissionGate({ minLimit: 1, maxLimit: 16, sampleMs: 20 });
    gates.push(gate);
    const held = now(gate.enter(5_000));
    const until = Date.now() + 150;
    // Busy: the loop spins, with a moment for the sampler's timer between slices.
    while (Date.now() < until) {
      const slice = Date.now() + 15;
      while (Date.now() < slice);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(gate.snapshot().limit).toBe(1);
    const waiter = gate.enter(5_000) as Promise<Release>;
    // Idle: the next samples see spare CPU with someone waiting.
    (await waiter)();
    expect(gate.snapshot().limit).toBeGreaterThanOrEqual(2);
    held();
  }, 10_000);
});
