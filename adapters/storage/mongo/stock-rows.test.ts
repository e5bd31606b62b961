import { describe, expect, it } from 'vitest';
import { claimId, planHousekeeping, type SkuDoc } from './stock-rows.ts';

const R = 60_000;
const T = 1_000_000_000;

function doc(v: number, overrides: Partial<SkuDoc> = {}): SkuDoc {
  return { _id: claimId('P', v), sku: 'P', v, builtAt: T, suppliers: [], floor: 1, seen: [], ...overrides };
}

describe('claim ids', () => {
  it('are distinct for every (sku, version), including SKUs that look like another id with a suffix', () => {
    const ids = [claimId('A', 1), claimId('A', 10), claimId('A\u00000', 1), claimId(`A\u0000${'0'.repeat(14)}`, 1), claimId('', 1)];
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('planHousekeeping: which claims the next winner deletes', () => {
  it('deletes nothing until a head covering the claims has been seen for R', () => {
    const head = doc(5, { _id: 'P', builtAt: T });
    const plan = planHousekeeping({ previous: doc(6), head, headReadAt: T + 10, now: T + 10, retentionMs: R });
    expect(plan.deleteTo).toBeLessThan(plan.deleteFrom);
    expect(plan.floor).toBe(1);
    expect(plan.seen).toEqual([{ v: 5, at: T + 10 }]);
  });

  it('deletes floor … sighted version once the sighting is R old, and moves the floor past them', () => {
    const previous = doc(9, { floor: 3, seen: [{ v: 6, at: T }] });
    const head = doc(8, { _id: 'P', builtAt: T + R });
    const plan = planHousekeeping({ previous, head, headReadAt: T + R + 5, now: T + R + 5, retentionMs: R });
    expect([plan.deleteFrom, plan.deleteTo, plan.floor]).toEqual([3, 6, 7]);
    expect(plan.seen).toEqual([{ v: 8, at: T + R + 5 }]);
  });

  it('never deletes above the head just read, even when an old sighting saw more (a head that went back)', () => {
    const previous = doc(9, { floor: 1, seen: [{ v: 8, at: T }] });
    const head = doc(4, { _id: 'P', builtAt: T + R });
    const plan = planHousekeeping({ previous, head, headReadAt: T + 2 * R, now: T + 2 * R, retentionMs: R });
    expect([plan.deleteFrom, plan.deleteTo, plan.floor]).toEqual([1, 4, 5]);
    expect(plan.seen.map((s) => s.v)).toContain(8);
  });

  it('takes an idle head as in place from builtAt + R, so a SKU idle for 2R is cleaned at its next write', () => {
    const head = doc(7, { _id: 'P', builtAt: T });
    const plan = planHousekeeping({ previous: head, head, headReadAt: T + 2 * R, now: T + 2 * R, retentionMs: R });
    expect([plan.deleteFrom, plan.deleteTo, plan.floor]).toEqual([1, 7, 8]);
  });

  it('keeps at most one sighting per R/8, so a hot SKU carries a short list', () => {
    let previous = doc(1);
    for (let i = 1; i <= 400; i += 1) {
      const now = T + i * 100; // 10 writes a second for 40 s
      const head = doc(i, { _id: 'P', builtAt: now - 50 });
      const plan = planHousekeeping({ previous, head, headReadAt: now, now, retentionMs: R });
      previous = doc(i + 1, { floor: plan.floor, seen: plan.seen });
    }
    expect(previous.seen.length).toBeLessThanOrEqual(9);
    expect(previous.floor).toBe(1); // nothing is R old yet
  });
});
