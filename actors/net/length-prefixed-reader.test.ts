import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LengthPrefixedReader, lengthPrefixed } from './length-prefixed-reader.ts';

function drain(reader: LengthPrefixedReader, max = 1 << 20): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let message = reader.next(max); message; message = reader.next(max)) out.push(message);
  return out;
}

describe('LengthPrefixedReader', () => {
  it('returns nothing until a message is whole, then exactly it', () => {
    const reader = new LengthPrefixedReader();
    const wire = lengthPrefixed(new Uint8Array([1, 2, 3]));
    reader.push(wire.subarray(0, 3));
    expect(reader.next(10)).toBeUndefined();
    reader.push(wire.subarray(3, 6));
    expect(reader.next(10)).toBeUndefined();
    expect(reader.buffered).toBe(6);
    reader.push(wire.subarray(6));
    expect(reader.next(10)).toEqual(new Uint8Array([1, 2, 3]));
    expect(reader.buffered).toBe(0);
  });

  it('a message inside one chunk is a view of it, not a copy', () => {
    const reader = new LengthPrefixedReader();
    const wire = lengthPrefixed(new Uint8Array(100));
    reader.push(wire);
    const message = reader.next(100)!;
    expect(message.buffer).toBe(wire.buffer);
  });

  it('refuses an oversized length from the prefix alone, before the body arrives', () => {
    const reader = new LengthPrefixedReader();
    reader.push(new Uint8Array([0xff, 0xff, 0xff, 0xff]));
    expect(() => reader.next(1 << 21)).toThrow(expect.objectContaining({ code: 'OVERSIZED' }));
  });

  it('handles zero-length messages', () => {
    const reader = new LengthPrefixedReader();
    reader.push(new Uint8Array([0, 0, 0, 0, 0, 0, 0, 1, 7]));
    expect(drain(reader)).toEqual([new Uint8Array(0), new Uint8Array([7])]);
  });

  it('any cut of any message sequence gives back the same messages (seeded)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 10 }), fc.array(fc.nat(), { maxLength: 20 }), (messages, cuts) => {
        const wire = new Uint8Array(messages.flatMap((message) => [...lengthPrefixed(message)]));
        const points = [...new Set(cuts.map((cut) => cut % (wire.length + 1)))].sort((x, y) => x - y);
        const reader = new LengthPrefixedReader();
        const out: Uint8Array[] = [];
        let from = 0;
        for (const point of [...points, wire.length]) {
          reader.push(wire.subarray(from, point));
          from = point;
          out.push(...drain(reader));
        }
        expect(out).toEqual(messages);
        expect(reader.buffered).toBe(0);
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});
