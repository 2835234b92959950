import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nobleCrypto as crypto } from '../crypto/noble-crypto.ts';
import { channelPair, run } from './channel-test-kit.ts';
import { LENGTH_PREFIX_BYTES } from './length-prefixed-reader.ts';
import { MAX_TRANSPORT_MESSAGE_BYTES, MISPLACEMENT_WINDOW } from './transport-frames.ts';

/**
 * For random message sequences and one random fault on the wire — a frame dropped, duplicated
 * (re-sent a little later), swapped with the next, or one bit flipped anywhere, length prefix
 * included — the receiver delivers exactly the messages before the fault and then closes with a
 * typed error; with no fault it delivers everything and the goodbye. Never a wrong message. The
 * expected outcome comes from a model written from the spec (specs/handshake.md §6), not from the
 * implementation. Seeded, so a failure reproduces.
 */
type Fault =
  | { kind: 'none' }
  | { kind: 'drop'; frame: number }
  | { kind: 'duplicate'; frame: number; delay: number }
  | { kind: 'swap'; frame: number }
  | { kind: 'flip'; frame: number; bit: number };

type Outcome = { delivered: number; end: { goodbye: string } | { error: string } };

/** One frame as it crosses the wire: which frame the sender sealed, and whether a bit of it was flipped. */
interface Sent {
  index: number;
  bytes: Uint8Array;
  flippedBit?: number;
}

function applyFault(frames: Uint8Array[], fault: Fault): Sent[] {
  const wire: Sent[] = frames.map((bytes, index) => ({ index, bytes }));
  switch (fault.kind) {
    case 'none':
      return wire;
    case 'drop':
      return wire.filter((sent) => sent.index !== fault.frame);
    case 'duplicate':
      wire.splice(Math.min(fault.frame + 1 + fault.delay, wire.length), 0, { ...wire[fault.frame]!, bytes: wire[fault.frame]!.bytes.slice() });
      return wire;
    case 'swap':
      [wire[fault.frame], wire[fault.frame + 1]] = [wire[fault.frame + 1]!, wire[fault.frame]!];
      return wire;
    case 'flip': {
      const bytes = wire[fault.frame]!.bytes.slice();
      bytes[fault.bit >> 3]! ^= 1 << (fault.bit & 7);
      wire[fault.frame] = { index: fault.frame, bytes, flippedBit: fault.bit };
      return wire;
    }
  }
}

/** What the spec says the receiver must do with this wire, frames 0..n−1 data and frame n a goodbye. */
function expectedOutcome(wire: Sent[], goodbyeIndex: number): Outcome {
  let next = 0;
  let offset = 0; // where the current frame starts in the byte stream
  const total = wire.reduce((sum, sent) => sum + sent.bytes.length, 0);
  for (const sent of wire) {
    if (sent.flippedBit !== undefined) {
      if (sent.flippedBit >= 8 * LENGTH_PREFIX_BYTES) return { delivered: next, end: { error: 'TAMPERED' } };
      const length = new DataView(sent.bytes.buffer, sent.bytes.byteOffset).getUint32(0);
      if (length > MAX_TRANSPORT_MESSAGE_BYTES) return { delivered: next, end: { error: 'OVERSIZED' } };
      if (offset + LENGTH_PREFIX_BYTES + length > total) return { delivered: next, end: { error: 'TRUNCATED' } };
      return { delivered: next, end: { error: 'TAMPERED' } };
    }
    if (sent.index !== next) {
      return { delivered: next, end: { error: Math.abs(sent.index - next) <= MISPLACEMENT_WINDOW ? 'REPLAYED_OR_REORDERED' : 'TAMPERED' } };
    }
    if (sent.index === goodbyeIndex) return { delivered: next, end: { goodbye: 'done' } };
    next++;
    offset += sent.bytes.length;
  }
  return { delivered: next, end: { error: 'CLOSED' } }; // the stream ended at a frame boundary without a goodbye
}

const scenario = fc
  .record({
    messages: fc.array(fc.uint8Array({ maxLength: 80 }), { minLength: 1, maxLength: 12 }),
    faultKind: fc.constantFrom('none', 'drop', 'duplicate', 'swap', 'flip'),
    where: fc.nat(),
    delay: fc.nat({ max: 3 }),
    bit: fc.nat(),
    cuts: fc.array(fc.nat(), { maxLength: 12 }),
  })
  .map(({ messages, faultKind, where, delay, bit, cuts }) => {
    const frameCount = messages.length + 1; // the data frames, then the goodbye
    const frame = where % frameCount;
    const fault: Fault =
      faultKind === 'none' ? { kind: 'none' }
      : faultKind === 'drop' ? { kind: 'drop', frame }
      : faultKind === 'duplicate' ? { kind: 'duplicate', frame, delay }
      : faultKind === 'swap' ? { kind: 'swap', frame: where % (frameCount - 1) }
      : { kind: 'flip', frame, bit }; // bit is reduced to the frame's size once its length is known
    return { messages, fault, cuts };
  });

describe('SecureChannel under one random fault (fast-check, seeded)', () => {
  it('delivers exactly the messages before the fault, then a typed error; everything without one', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ messages, fault, cuts }) => {
        const { a, b } = channelPair(crypto);
        await run(a, b);
        b.events.length = 0;
        for (const message of messages) a.channel.send(message);
        a.channel.goodbye('done');
        const frames = a.outbox.splice(0);
        const concrete: Fault = fault.kind === 'flip' ? { ...fault, bit: fault.bit % (8 * frames[fault.frame]!.length) } : fault;
        const wire = applyFault(frames, concrete);
        const expected = expectedOutcome(wire, messages.length);

        const stream = new Uint8Array(wire.flatMap((sent) => [...sent.bytes]));
        const points = [...new Set(cuts.map((cut) => cut % (stream.length + 1))), stream.length].sort((x, y) => x - y);
        let from = 0;
        for (const point of points) {
          b.channel.receive(stream.subarray(from, point));
          from = point;
        }
        b.channel.end();

        const delivered = b.events.flatMap((event) => (event.type === 'data' ? [event.body] : []));
        expect(delivered).toEqual(messages.slice(0, expected.delivered));
        const last = b.events.at(-1);
        expect(b.events.filter((event) => event.type === 'goodbye' || event.type === 'error')).toHaveLength(1);
        expect(last?.type === 'goodbye' ? { goodbye: last.reason } : last?.type === 'error' ? { error: last.error.code } : last).toEqual(expected.end);
      }),
      { seed: 20_240_601, numRuns: 150 },
    );
  });
});
