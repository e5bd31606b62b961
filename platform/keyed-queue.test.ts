import { describe, expect, it } from 'vitest';
import { createKeyedQueue } from './keyed-queue.ts';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('keyed queue', () => {
  it('runs tasks of one key one at a time, in order, and other keys alongside', async () => {
    const run = createKeyedQueue();
    const log: string[] = [];
    let active = 0;
    let most = 0;
    const task = (name: string, ms: number) => async () => {
      active += 1;
      most = Math.max(most, active);
      log.push(`start ${name}`);
      await tick(ms);
      log.push(`end ${name}`);
      active -= 1;
      return name;
    };
    const a = Promise.all([run('k', task('a1', 20)), run('k', task('a2', 1)), run('k', task('a3', 1))]);
    const b = run('other', task('b', 5));
    expect(await a).toEqual(['a1', 'a2', 'a3']);
    expect(await b).toBe('b');
    const ofK = log.filter((l) => !l.endsWith(' b'));
    expect(ofK).toEqual(['start a1', 'end a1', 'start a2', 'end a2', 'start a3', 'end a3']);
    expect(most).toBe(2); // one per key
  });

  it('keeps going after a failed task and reports each result to its own caller', async () => {
    const run = createKeyedQueue();
    const failed = run('k', async () => {
      throw new Error('boom');
    });
    const next = run('k', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('ok');
  });
});
