import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { CODE } from '../kernel/errors.ts';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

function stringScalar(name: string, description: string, valid: (value: string) => boolean): GraphQLScalarType {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !valid(value)) {
      throw new GraphQLError(`${name} cannot represent ${JSON.stringify(value)}`, { extensions: { code: CODE.BAD_USER_INPUT } });
    }
    return value;
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize: check,
    parseValue: check,
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING) throw new GraphQLError(`${name} must be a string literal`, { extensions: { code: CODE.BAD_USER_INPUT } });
      return check(ast.value);
    },
  });
}

export const DateTime = stringScalar('DateTime', 'ISO 8601 date-time with offset, e.g. 2026-11-26T20:00:00Z', (v) => ISO_DATE_TIME.test(v) && !Number.isNaN(Date.parse(v)));
export const Decimal = stringScalar('Decimal', 'Decimal number as a string, e.g. "12.50"', (v) => DECIMAL.test(v));

export const scalarResolvers = { DateTime, Decimal };
