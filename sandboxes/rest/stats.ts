/**
 * Call counts for assertions: `total` counts API calls only; token grants and the like go to byOperation alone.
 * `overLimit` comes from the request window (requests refused as over the published limit).
 */
import type { SandboxStats } from '../shared/sandbox.ts';

export interface StatsCounter {
  count(operation: string, options: { api: boolean }): void;
  stockBatch(size: number): void;
  snapshot(): SandboxStats;
  reset(): void;
}

export function createStatsCounter(overLimit: () => number = () => 0): StatsCounter {
  let total = 0;
  let byOperation: Record<string, number> = {};
  let maxStockBatch = 0;
  return {
    count(operation, { api }) {
      byOperation[operation] = (byOperation[operation] ?? 0) + 1;
      if (api) total += 1;
    },
    stockBatch(size) {
      maxStockBatch = Math.max(maxStockBatch, size);
    },
    snapshot: () => ({ total, byOperation: { ...byOperation }, maxStockBatch, overLimit: overLimit() }),
    reset() {
      total = 0;
      byOperation = {};
      maxStockBatch = 0;
    },
  };
}
