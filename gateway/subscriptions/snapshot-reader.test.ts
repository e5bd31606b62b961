import type { FormattedExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../platform/auth/principal.ts';
import { readSnapshotState, SnapshotReadError } from './snapshot-reader.ts';
import { readSnapshotWithRetry } from './subscription-hub.ts';
import { loadSubscriptionManifests, type SnapshotSpec } from './subscription-manifest.ts';

// The committed inventory manifest's stockChanged snapshot: the spec production serves.
const stock = loadSubscriptionManifests()
  .flatMap((m) => m.subscriptions)
  .find((s) => s.field === 'stockChanged')!;
const spec = stock.snapshot as SnapshotSpec;
const principal = { subject: 'test', tenant: 'default', scopes: ['inventory:read'] } as unknown as Principal;

const row = (supplier: string, available: number, version: number) => ({ supplier, available, version, receivedAt: '2026-12-04T00:00:00.000Z' });

describe('snapshot state reads', () => {
  it('maps every watched key, and an unknown one (null, no error) to no rows', async () => {
    const execute = async (): Promise<FormattedExecutionResult> => ({
      data: { s0: { stock: { bySupplier: [row('brightline', 5, 3)] } }, s1: null },
    });
    const states = await readSnapshotState(execute, spec, ['DS-1', 'DS-2'], principal);
    expect(states).toEqual([
      { key: 'DS-1', payloads: [expect.objectContaining({ sku: 'DS-1', supplier: 'brightline', newAvailable: 5, version: 3, source: 'SNAPSHOT' })] },
      { key: 'DS-2', payloads: [] },
    ]);
  });

  it('fails, never answers an empty state, when a watched key came back with an error (a subgraph timed out)', async () => {
    const execute = async (): Promise<FormattedExecutionResult> => ({
      data: { s0: { stock: { bySupplier: [row('brightline', 5, 3)] } }, s1: null },
      errors: [{ message: 'Subgraph inventory timed out', path: ['s1', 'stock'], extensions: { code: 'SUBGRAPH_TIMEOUT' } }],
    });
    await expect(readSnapshotState(execute, spec, ['DS-1', 'DS-2'], principal)).rejects.toMatchObject({ name: 'SnapshotReadError', code: 'SUBGRAPH_TIMEOUT' });
  });

  it('fails when the read as a whole failed (no data)', async () => {
    const execute = async (): Promise<FormattedExecutionResult> => ({ errors: [{ message: 'The operation was aborted' }] });
    await expect(readSnapshotState(execute, spec, ['DS-1'], principal)).rejects.toBeInstanceOf(SnapshotReadError);
  });

  it('tries a failed read again and returns the state once it answers; gives up after the last pause', async () => {
    let calls = 0;
    const flaky = async (): Promise<FormattedExecutionResult> =>
      (calls += 1) < 3 ? { data: null, errors: [{ message: 'Subgraph inventory timed out' }] } : { data: { s0: { stock: { bySupplier: [row('maplecart', 7, 9)] } } } };
    const states = await readSnapshotWithRetry(() => readSnapshotState(flaky, spec, ['DS-1'], principal), [1, 1, 1]);
    expect(calls).toBe(3);
    expect(states[0]!.payloads).toEqual([expect.objectContaining({ supplier: 'maplecart', newAvailable: 7, version: 9 })]);

    let failures = 0;
    const down = async (): Promise<FormattedExecutionResult> => ((failures += 1), { data: null, errors: [{ message: 'down' }] });
    await expect(readSnapshotWithRetry(() => readSnapshotState(down, spec, ['DS-1'], principal), [1, 1])).rejects.toBeInstanceOf(SnapshotReadError);
    expect(failures).toBe(3);
  });

  it('does not retry an error that is not a failed read (a bug stays loud)', async () => {
    let calls = 0;
    await expect(readSnapshotWithRetry(async () => ((calls += 1), Promise.reject(new TypeError('bug'))), [1, 1])).rejects.toBeInstanceOf(TypeError);
    expect(calls).toBe(1);
  });
});
