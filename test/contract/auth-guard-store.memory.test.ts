import { describe, expect, it } from 'vitest';
import { createMemoryAuthGuardStore } from '../../adapters/auth-guard/memory-auth-guard-store.ts';
import { describeAuthGuardStoreContract } from './auth-guard-store.contract.ts';

describeAuthGuardStoreContract('memory', async () => createMemoryAuthGuardStore());

describe('what only the memory store promises', () => {
  it('stays within maxEntries under a flood of keys, dropping expired then oldest entries', async () => {
    let now = 0;
    const store = createMemoryAuthGuardStore({ now: () => now, maxEntries: 3 });
    for (const k of ['a', 'b', 'c', 'd']) await store.countFailure(k, 1_000);
    // 'a' was the oldest and made room for 'd': it starts again from one.
    expect((await store.countFailure('a', 1_000)).count).toBe(1);
    expect((await store.countFailure('d', 1_000)).count).toBe(2);
    now += 2_000;
    for (const k of ['x', 'y', 'z']) expect(await store.claimOnce(k, 1_000)).toBe(true);
    expect(await store.claimOnce('x', 1_000)).toBe(false);
    await store.close();
  });
});
