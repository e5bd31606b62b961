import { describe, expect, it } from 'vitest';
import { operationHash, parsePersistedOperations } from './persisted-operations.ts';

const Q = '{ viewer { tenant } }';

describe('persisted operations', () => {
  it('reads a hash → text map and Apollo\'s manifest format alike', () => {
    expect(parsePersistedOperations({ [operationHash(Q)]: Q }).get(operationHash(Q))).toBe(Q);
    const manifest = { format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: operationHash(Q), name: 'Viewer', type: 'query', body: Q }] };
    expect(parsePersistedOperations(manifest).get(operationHash(Q))).toBe(Q);
  });

  it('refuses a file whose hash does not match its text', () => {
    expect(() => parsePersistedOperations({ [operationHash('{ __typename }')]: Q })).toThrow(/not the SHA-256/);
    expect(() => parsePersistedOperations([Q])).toThrow(/expected a JSON object/);
  });

  it('hashes like Apollo\'s persisted-query extension (hex SHA-256 of the text)', () => {
    expect(operationHash('{ __typename }')).toBe('7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b');
  });
});
