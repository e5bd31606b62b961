/**
 * Every error code a client (or a supplier posting a webhook) can see is in the registry, kernel/errors.ts (issue 17).
 * The compiler checks `CODE.X` and `registryError('X', …)`; this scan catches what it cannot: a code spelled as a
 * string literal where an answer is built — `code: 'X'` in GraphQL extensions, a JSON error body or a log line —
 * in the production code of every layer. Supplier simulators (sandboxes/) speak the suppliers' own vocabularies and
 * tests build whatever they assert, so neither is scanned.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERRORS, isErrorCode } from '../../kernel/errors.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCANNED = ['kernel', 'platform', 'adapters', 'gateway', 'subgraphs', 'stack', 'bin'];

/** Code-like literals in positions a client sees: an object's `code`, a registry error's first argument, `CODE.X`. */
const POSITIONS: readonly RegExp[] = [
  /\bcode:\s*['"`]([A-Z][A-Z0-9_]*)['"`]/g,
  /\b(?:registryError|RegistryError)\(\s*['"`]([A-Z][A-Z0-9_]*)['"`]/g,
  /\bCODE\.([A-Za-z0-9_]+)/g,
];

export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly code: string;
}

/** The code literals of one source text that are not in the registry. */
export function unregisteredCodes(file: string, text: string): Finding[] {
  const found: Finding[] = [];
  for (const pattern of POSITIONS) {
    for (const match of text.matchAll(pattern)) {
      const code = match[1]!;
      if (isErrorCode(code)) continue;
      found.push({ file, line: text.slice(0, match.index).split('\n').length, code });
    }
  }
  return found;
}

function* productionSources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'generated') yield* productionSources(path);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      yield path;
    }
  }
}

describe('error codes in the source', () => {
  it('names only registered codes wherever an answer is built', () => {
    const findings: Finding[] = [];
    let files = 0;
    for (const folder of SCANNED) {
      for (const path of productionSources(join(ROOT, folder))) {
        files += 1;
        findings.push(...unregisteredCodes(relative(ROOT, path), readFileSync(path, 'utf8')));
      }
    }
    expect(files).toBeGreaterThan(300);
    expect(findings, 'register these in kernel/errors.ts (class, HTTP status, refusal) and docs/errors.md, or use a registered code').toEqual([]);
  });

  it('finds an unregistered code in each position (the scan can fail)', () => {
    const source = [
      "throw new GraphQLError('no', { extensions: { code: 'NOT_A_REGISTERED_CODE' } });",
      "sendJson(res, 503, { error: { code: \"UNAVAILABLE\", message: 'later' } });",
      "throw registryError('SOMETHING_NEW', 'x');",
      'const c = CODE.MISSING_ONE;',
      "extensions: { code: 'FORBIDDEN' }, registryError('OUT_OF_STOCK', 'x'), CODE.INTERNAL",
    ].join('\n');
    expect(unregisteredCodes('example.ts', source).map((f) => [f.line, f.code])).toEqual([
      [1, 'NOT_A_REGISTERED_CODE'],
      [2, 'UNAVAILABLE'],
      [3, 'SOMETHING_NEW'],
      [4, 'MISSING_ONE'],
    ]);
  });

  it('gives every registered code a class, an HTTP status, a meaning and a refusal flag that fit together', () => {
    for (const [code, d] of Object.entries(ERRORS)) {
      expect(code, 'codes are SCREAMING_SNAKE').toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(d.description.length, code).toBeGreaterThan(10);
      expect(Number.isInteger(d.httpStatus) && d.httpStatus >= 200 && d.httpStatus <= 599, code).toBe(true);
      // Only a logical code can be a refusal: a transient one is worth retrying, a critical one is our failure.
      if (d.refusal) expect(d.errorClass, `${code} is a refusal`).toBe('logical');
      // A refusal refuses the request: a 4xx, never a 2xx or 5xx.
      if (d.refusal) expect(d.httpStatus >= 400 && d.httpStatus < 500, `${code} is a refusal with HTTP ${d.httpStatus}`).toBe(true);
      if (d.errorClass === 'critical') expect(d.httpStatus >= 500, `${code} is critical with HTTP ${d.httpStatus}`).toBe(true);
    }
  });
});
