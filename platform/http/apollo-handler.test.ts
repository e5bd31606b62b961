import { describe, expect, it } from 'vitest';
import { withRequestId } from './apollo-handler.ts';

describe('withRequestId', () => {
  it('adds the request id to every error of an answer with errors, keeping data and extensions', () => {
    const body = JSON.stringify({ errors: [{ message: 'a', extensions: { code: 'X' } }, { message: 'b' }], data: { a: 1 }, extensions: { e: 1 } });
    expect(JSON.parse(withRequestId(body, 'r-1'))).toEqual({
      errors: [
        { message: 'a', extensions: { code: 'X', requestId: 'r-1' } },
        { message: 'b', extensions: { requestId: 'r-1' } },
      ],
      data: { a: 1 },
      extensions: { e: 1 },
    });
  });

  it('returns an answer without errors as it is, even when its data mentions "errors"', () => {
    const body = '{"data":{"product":{"title":"\\"errors\\": a book","errors":[]}}}\n';
    expect(withRequestId(body, 'r-2')).toBe(body);
  });
});
