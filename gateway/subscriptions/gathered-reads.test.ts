import { describe, expect, it } from 'vitest';
import { createGatheredReads } from './gathered-reads.ts';

describe('gathered reads', () => {
  it('runs identical reads asked within the window once, and a read asked after it started runs again', async () => {
    const reads = createGatheredReads(20);
    let runs = 0;
    const run = async () => (runs += 1);
    const first = await Promise.all([reads.read('k', run), reads.read('k', run), reads.read('k', run)]);
    expect(first).toEqual([1, 1, 1]);
    expect(runs).toBe(1);
    // A read asked once the gathered one had started never joins it: it may have begun before a change.
    let release!: () => void;
    const slow = () => new Promise<number>((resolve) => (release = () => resolve((runs += 1))));
    const started = reads.read('s', slow);
    await new Promise((r) => setTimeout(r, 40)); // the window has passed: the read is under way
    const later = reads.read('s', async () => (runs += 10));
    release();
    expect(await started).toBe(2);
    expect(await later).toBe(12);
  });

  it('keeps different keys apart, and a failure reaches every reader of its group only', async () => {
    const reads = createGatheredReads(5);
    const failing = Promise.all([reads.read('a', () => Promise.reject(new Error('down'))), reads.read('a', async () => 'never')]);
    const other = reads.read('b', async () => 'fine');
    await expect(failing).rejects.toThrow('down');
    expect(await other).toBe('fine');
  });
});
