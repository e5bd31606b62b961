/**
 * The JSON budget (issue 14, CPU bound for parsing): 8 MiB of `[[[…` or `{},{},…` cost 0.6–0.8 s of JSON.parse and
 * up to 8 s of zod (bench/answer-parse.ts). The shape check refuses such answers before parsing, counts only
 * structure outside strings, and yields to the event loop while it scans.
 */
import { describe, expect, it } from 'vitest';
import { checkJsonShape, DEFAULT_JSON_BUDGET } from './json-budget.ts';

const budget = { maxValues: 10, maxDepth: 3 };

describe('checkJsonShape', () => {
  it('counts containers and separators, not what is inside strings (escaped quotes included)', async () => {
    expect(await checkJsonShape('{"a":[1,2,3],"b":{"c":null}}', budget)).toEqual({ ok: true });
    expect(await checkJsonShape(JSON.stringify({ s: '[[[[[[,,,,,,,,,,,,{{{{{ \\" \\\\" ,,,, [[[[' }), budget)).toEqual({ ok: true });
    expect(await checkJsonShape('[1,2,3,4,5,6,7,8,9,10,11]', budget)).toEqual({ ok: false, reason: 'too-many-values' });
    expect(await checkJsonShape('[[[[]]]]', budget)).toEqual({ ok: false, reason: 'too-deep' });
    // A string ending in an escaped backslash closes at its quote: what follows is structure again.
    expect(await checkJsonShape('["\\\\",[[[[]]]]]', budget)).toEqual({ ok: false, reason: 'too-deep' });
  });

  it('leaves malformed text to JSON.parse (an unterminated string is not its concern)', async () => {
    expect(await checkJsonShape('{"a":"never closed', budget)).toEqual({ ok: true });
  });

  it('refuses 8 MiB of nesting or of empty objects, and passes a real-sized answer, with the default budget', async () => {
    const d = 4 * 1024 * 1024;
    expect(await checkJsonShape('['.repeat(d) + ']'.repeat(d))).toEqual({ ok: false, reason: 'too-deep' });
    expect(await checkJsonShape(`[${Array(2_700_000).fill('{}').join(',')}]`)).toEqual({ ok: false, reason: 'too-many-values' });
    const page = JSON.stringify({ items: Array.from({ length: 100 }, (_, i) => ({ itemNumber: `I-${i}`, title: 't', description: 'd'.repeat(2000), brand: null })) });
    expect(await checkJsonShape(page)).toEqual({ ok: true });
    expect(DEFAULT_JSON_BUDGET).toEqual({ maxValues: 10_000, maxDepth: 64 });
  });

  it('yields to the event loop while scanning a large answer', async () => {
    const big = JSON.stringify({ x: Array(2_000).fill('y'.repeat(4_000)) }); // 8 MB, 2,000 values: passes
    let ranBetween = false;
    setImmediate(() => (ranBetween = true));
    const verdict = checkJsonShape(big).then((v) => ({ v, ranBetween }));
    expect(await verdict).toEqual({ v: { ok: true }, ranBetween: true });
  });
});
