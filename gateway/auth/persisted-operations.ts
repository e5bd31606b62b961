import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The safelist (docs/security.md): operations partners may run when `PERSISTED_OPERATIONS_PATH` is set, by the
 * SHA-256 of their text — the hash Apollo's persisted-query extension carries. Accepted files: a JSON object
 * `{ "<sha256>": "<operation text>" }`, or Apollo's persisted query manifest
 * (`{ "format": "apollo-persisted-query-manifest", "operations": [{ "id", "body" }] }`).
 */
export type PersistedOperations = ReadonlyMap<string, string>;

export const operationHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export function parsePersistedOperations(json: unknown): PersistedOperations {
  const entries: [string, string][] = [];
  if (typeof json === 'object' && json !== null && (json as { format?: unknown }).format === 'apollo-persisted-query-manifest') {
    for (const op of (json as { operations?: unknown }).operations as { id?: unknown; body?: unknown }[] ?? []) {
      if (typeof op.id !== 'string' || typeof op.body !== 'string') throw new Error('persisted operations: every operation needs a string id and body');
      entries.push([op.id, op.body]);
    }
  } else if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    for (const [hash, text] of Object.entries(json)) {
      if (typeof text !== 'string') throw new Error(`persisted operations: ${hash} is not an operation text`);
      entries.push([hash, text]);
    }
  } else {
    throw new Error('persisted operations: expected a JSON object');
  }
  // A wrong hash would let a partner run text nobody reviewed under a reviewed name: refuse the whole file.
  for (const [hash, text] of entries) {
    if (operationHash(text) !== hash.toLowerCase()) throw new Error(`persisted operations: ${hash} is not the SHA-256 of its operation`);
  }
  return new Map(entries.map(([hash, text]) => [hash.toLowerCase(), text]));
}

export function loadPersistedOperations(path: string): PersistedOperations {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read persisted operations ${path}: ${(error as Error).message}`);
  }
  return parsePersistedOperations(json);
}
