/**
 * The fast executor's leaf check (gateway/plan-executor/shape-response.ts, compiled once per field) answers exactly
 * as federation-internals' isValidLeafValue, which Apollo's shaper calls for every value: for every built-in scalar,
 * a custom scalar and an enum, over values of every JSON kind and the edge cases (issue 15).
 */
import { buildSchema, isValidLeafValue, type Type } from '@apollo/federation-internals';
import { describe, expect, it } from 'vitest';
import { compileLeafCheck } from '../../gateway/plan-executor/shape-response.ts';

const schema = buildSchema(`
  scalar Money
  enum Colour { RED GREEN }
  type Query { a: Int b: Float c: String d: Boolean e: ID f: Money g: Colour }
`);
const TYPES = ['Int', 'Float', 'String', 'Boolean', 'ID', 'Money', 'Colour'];
const VALUES: unknown[] = [0, -0, 1, -12, 1.5, 1e21, 2 ** 53, NaN, Infinity, -Infinity, '', '1', '-1', '01', '1.0', 'RED', 'red', 'BLUE', true, false, null, undefined, {}, [], [1]];

describe('compiled leaf check', () => {
  for (const name of TYPES) {
    it(`answers as isValidLeafValue for ${name}`, () => {
      const type = schema.type(name) as Type;
      const check = compileLeafCheck(schema, type);
      for (const value of VALUES) expect([name, value, check(value)]).toEqual([name, value, isValidLeafValue(schema, value, type as never)]);
    });
  }
});
