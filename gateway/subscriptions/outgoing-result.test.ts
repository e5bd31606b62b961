import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { createOutgoingResult, serverTextFrame } from './outgoing-result.ts';

/** ws's own framing of a server text message (what `socket.send(text)` puts on the wire), for comparison. */
const wsFrame = (message: Buffer): Buffer => {
  const { frame } = (ws as unknown as { Sender: { frame(data: Buffer, options: object): Buffer[] } }).Sender;
  return Buffer.concat(frame(message, { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false }));
};

describe('outgoing result', () => {
  it('frames a message exactly as ws would, for every length encoding (7, 16 and 64 bits)', () => {
    for (const length of [0, 1, 125, 126, 127, 65_535, 65_536, 70_000]) {
      const message = Buffer.alloc(length, 0x61);
      const frame = serverTextFrame(message);
      expect(frame.equals(wsFrame(message)), `length ${length}`).toBe(true);
    }
  });

  it('is the graphql-transport-ws next message graphql-ws would send, per id, framed once per id', () => {
    const result = { data: { stockChanged: { sku: 'S-ü' } }, errors: [new GraphQLError('supplier down', { path: ['stockChanged', 'sku'], extensions: { code: 'X' } })] };
    const outgoing = createOutgoingResult(result);
    for (const id of ['1', 'sub-ä"7']) {
      const expected = JSON.stringify({ id, type: 'next', payload: result });
      expect(outgoing.message(id).toString('utf8')).toBe(expected);
      expect(outgoing.frame(id).equals(wsFrame(Buffer.from(expected)))).toBe(true);
    }
    // Subscribers with the same id share one buffer.
    expect(outgoing.frame('1')).toBe(outgoing.frame('1'));
  });

  it('frames per-client ids (UUIDs, more than are cached) right around every length boundary', () => {
    for (const size of [60, 90, 65_480, 65_500, 70_000]) {
      const result = { data: { stockChanged: { sku: 'é'.repeat(size) } } };
      const outgoing = createOutgoingResult(result);
      for (let i = 0; i < 20; i += 1) {
        const id = `${i}-0d2c9a4e-5b1f-4c7e-9a3b-${'ü'.repeat(i % 3)}`;
        const expected = Buffer.from(JSON.stringify({ id, type: 'next', payload: result }));
        expect(outgoing.frame(id).equals(wsFrame(expected)), `size ${size}, id ${id}`).toBe(true);
      }
    }
  });
});
