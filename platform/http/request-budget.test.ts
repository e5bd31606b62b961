import { describe, expect, it } from 'vitest';
import { DEFAULT_BUDGET_SETTINGS, InvalidBudgetHeader, MIN_BUDGET_MS, receivedBudgetMs, requestedBudgetMs, startBudget } from './request-budget.ts';

const settings = { ...DEFAULT_BUDGET_SETTINGS, defaultMs: 10_000, maxMs: 30_000, graceMs: 1_000 };

describe('request budget', () => {
  it('gives a client the default, or what it asks for within [MIN_BUDGET_MS, max]', () => {
    expect(requestedBudgetMs(undefined, settings)).toBe(10_000);
    expect(requestedBudgetMs('2500', settings)).toBe(2_500);
    expect(requestedBudgetMs(' 2500 ', settings)).toBe(2_500);
    expect(requestedBudgetMs('1', settings)).toBe(MIN_BUDGET_MS);
    expect(requestedBudgetMs('999999', settings)).toBe(30_000);
  });

  it('refuses a header that is not a whole number of milliseconds', () => {
    for (const bad of ['', 'soon', '1.5', '-3', '1e4', ['1', '2']]) expect(() => requestedBudgetMs(bad, settings)).toThrow(InvalidBudgetHeader);
  });

  it('takes what the gateway handed a subgraph, capped at max + grace; the default without it', () => {
    expect(receivedBudgetMs('1234', settings)).toBe(1_234);
    expect(receivedBudgetMs('0', settings)).toBe(0);
    expect(receivedBudgetMs('99999999', settings)).toBe(31_000);
    expect(receivedBudgetMs(undefined, settings)).toBe(10_000);
    expect(receivedBudgetMs('x', settings)).toBe(10_000);
  });

  it('counts down from when it started', () => {
    const budget = startBudget(1_000, Date.now() - 400);
    expect(budget.remainingMs()).toBeGreaterThan(550);
    expect(budget.remainingMs()).toBeLessThanOrEqual(600);
    expect(startBudget(100, Date.now() - 500).remainingMs()).toBe(0);
  });
});
