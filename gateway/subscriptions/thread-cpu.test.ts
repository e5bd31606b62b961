import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createMainThreadCpuClock } from './thread-cpu.ts';

describe('main-thread CPU clock', () => {
  it.runIf(process.platform === 'linux')('counts this thread’s work and not another thread’s', async () => {
    const clock = createMainThreadCpuClock();
    const start = clock();
    expect(start).toBeTypeOf('number');
    // Another thread spins while this one sleeps: none of it is this thread's.
    const worker = new Worker('const end = Date.now() + 300; while (Date.now() < end);', { eval: true });
    await new Promise((resolve) => worker.once('exit', resolve));
    const afterWorker = clock()!;
    // This thread spins: all of it is.
    const spinStart = process.cpuUsage();
    let x = 0;
    while (process.cpuUsage(spinStart).user < 100_000) x += 1;
    const afterSpin = clock()!;
    expect(x).toBeGreaterThan(0);
    expect(afterWorker - start!).toBeLessThan(150); // the worker's 300 ms are not here
    expect(afterSpin - afterWorker).toBeGreaterThan(50); // this thread's ≥ 100 ms of user time are
  }, 10_000);
});
