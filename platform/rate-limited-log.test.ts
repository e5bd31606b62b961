import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from './logger.ts';
import { createRateLimitedLog } from './rate-limited-log.ts';

/** A logger that keeps (fields, msg) pairs. */
function recording() {
  const lines: { fields: Record<string, unknown>; msg: string }[] = [];
  const push = (fields: Record<string, unknown>, msg: string) => void lines.push({ fields, msg });
  return { lines, log: { info: push, warn: push, error: push } as unknown as Logger };
}

describe('createRateLimitedLog', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a flood is the first line, then one summary per interval with the count; nothing is lost at close', () => {
    vi.useFakeTimers();
    const { lines, log } = recording();
    const limited = createRateLimitedLog({ log, intervalMs: 1_000, now: () => Date.now() });
    for (let i = 0; i < 10_000; i += 1) limited.log('info', 'brightline:forged', { supplier: 'brightline' }, 'webhook delivery refused');
    expect(lines).toEqual([{ fields: { supplier: 'brightline' }, msg: 'webhook delivery refused' }]);
    vi.advanceTimersByTime(1_250);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ fields: { supplier: 'brightline', repeated: 9_999 }, msg: 'webhook delivery refused (repeated)' });
    // The flood goes on: still at most one line per interval.
    for (let i = 0; i < 500; i += 1) limited.log('info', 'brightline:forged', { supplier: 'brightline' }, 'webhook delivery refused');
    vi.advanceTimersByTime(400);
    expect(lines).toHaveLength(2);
    limited.close();
    expect(lines[2]).toMatchObject({ fields: { repeated: 500 } });
  });

  it('keys are independent; a quiet key is logged afresh after an interval', () => {
    let now = 0;
    const { lines, log } = recording();
    const limited = createRateLimitedLog({ log, intervalMs: 1_000, now: () => now });
    limited.log('warn', 'a', { k: 'a' }, 'refused');
    limited.log('warn', 'b', { k: 'b' }, 'refused');
    now = 2_000;
    limited.log('warn', 'a', { k: 'a' }, 'refused');
    expect(lines.map((l) => l.fields)).toEqual([{ k: 'a' }, { k: 'b' }, { k: 'a' }]);
    limited.close();
  });

  it('past maxKeys, new keys share one overflow line', () => {
    const { lines, log } = recording();
    const limited = createRateLimitedLog({ log, maxKeys: 3, now: () => 0 });
    for (let i = 0; i < 1_000; i += 1) limited.log('info', `key-${i}`, { i }, 'refused');
    expect(lines).toHaveLength(4);
    expect(lines[3]!.fields).toEqual({ i: 3, key: '*' });
    limited.close();
    expect(lines[4]!.fields).toMatchObject({ key: '*', repeated: 996 });
  });
});
