import { describe, expect, it } from 'vitest';
import { createBodyEncoder } from './encoded-body.ts';

const big = (fill: string) => `{"data":{"x":"${fill.repeat(5_000)}"}}\n`;

describe('response body encoder', () => {
  it('re-uses the bytes of an equal text, even another string instance of it', () => {
    const encode = createBodyEncoder();
    const text = big('a');
    const first = encode(text);
    const again = encode([...text].join(''));
    expect(again).toBe(first);
    expect(first.toString('utf8')).toBe(text);
  });

  it('never hands a text the bytes of another one, of the same length or not', () => {
    const encode = createBodyEncoder();
    const a = big('a');
    const b = `${a.slice(0, -5)}b"}}\n`;
    expect(b.length).toBe(a.length);
    encode(a);
    expect(encode(b).toString('utf8')).toBe(b);
    const c = big('ü');
    expect(encode(c).toString('utf8')).toBe(c);
    expect(encode(a).toString('utf8')).toBe(a);
  });

  it('keeps only a few recent bodies', () => {
    const encode = createBodyEncoder(2);
    const texts = ['a', 'b', 'c'].map(big);
    const first = encode(texts[0]!);
    encode(texts[1]!);
    encode(texts[2]!);
    expect(encode(texts[0]!)).not.toBe(first);
    expect(encode(texts[0]!).equals(first)).toBe(true);
  });

  it('encodes small bodies afresh', () => {
    const encode = createBodyEncoder();
    expect(encode('{"data":{}}')).not.toBe(encode('{"data":{}}'));
  });
});
