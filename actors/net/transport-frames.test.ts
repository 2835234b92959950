import { describe, expect, it } from 'vitest';
import { nobleCrypto as crypto } from '../crypto/noble-crypto.ts';
import { LengthPrefixedReader } from './length-prefixed-reader.ts';
import { CipherState } from './noise/cipher-state.ts';
import { FRAME_TYPE, MISPLACEMENT_WINDOW, openFrame, sealFrame } from './transport-frames.ts';

const KEY = crypto.randomBytes(32);
const EMPTY = new Uint8Array(0);
const text = (value: string) => new TextEncoder().encode(value);

/** A sender and a receiver CipherState under one key, as Split leaves one direction. */
function direction() {
  return { sender: new CipherState(crypto, KEY), receiver: new CipherState(crypto, KEY) };
}

/** The frame's ciphertext without its length prefix, as the reader hands it to openFrame. */
function unprefixed(wire: Uint8Array): Uint8Array {
  const reader = new LengthPrefixedReader();
  reader.push(wire);
  return reader.next(Infinity)!;
}

/** A frame whose plaintext is exactly `plaintext`: what a buggy or hostile peer with the key could send. */
function rawFrame(sender: CipherState, plaintext: Uint8Array): Uint8Array {
  return sender.encryptWithAd(EMPTY, plaintext);
}

describe('transport frames', () => {
  it('a data frame is length ‖ ChaCha20-Poly1305(type 0x01 ‖ body) with an empty AD and nonce = frame count', () => {
    const { sender } = direction();
    sealFrame(sender, FRAME_TYPE.data, text('skip')); // frame 0
    const wire = sealFrame(sender, FRAME_TYPE.data, text('hello')); // frame 1
    const nonce = new Uint8Array(12);
    nonce[4] = 1;
    const expected = crypto.aead.seal(KEY, nonce, new Uint8Array([0x01, ...text('hello')]));
    expect(wire).toEqual(new Uint8Array([0, 0, 0, expected.length, ...expected]));
  });

  it('opens data, heartbeat and goodbye frames', () => {
    const { sender, receiver } = direction();
    const frames = [sealFrame(sender, FRAME_TYPE.data, text('body')), sealFrame(sender, FRAME_TYPE.heartbeat, EMPTY), sealFrame(sender, FRAME_TYPE.goodbye, text('bye ✓'))];
    expect(frames.map((wire) => openFrame(receiver, unprefixed(wire)))).toEqual([
      { type: 'data', body: text('body') },
      { type: 'heartbeat' },
      { type: 'goodbye', reason: 'bye ✓' },
    ]);
  });

  it.for([
    ['an unknown type', [0x04]],
    ['type 0x00', [0x00, 1]],
    ['an empty plaintext', []],
    ['a heartbeat with a body', [0x02, 0]],
    ['a goodbye whose reason is not UTF-8', [0x03, 0xff, 0xfe]],
  ] as const)('PROTOCOL for an authentic frame with %s', ([, plaintext]) => {
    const { sender, receiver } = direction();
    expect(() => openFrame(receiver, rawFrame(sender, Uint8Array.from(plaintext)))).toThrow(expect.objectContaining({ name: 'ChannelError', code: 'PROTOCOL' }));
  });

  it(`tells a frame up to ${MISPLACEMENT_WINDOW} places early or late from a forged one`, () => {
    const { sender, receiver } = direction();
    const frames = Array.from({ length: 2 * MISPLACEMENT_WINDOW + 4 }, (_, i) => unprefixed(sealFrame(sender, FRAME_TYPE.data, text(`${i}`))));
    const code = (at: number, frame: Uint8Array) => {
      const probe = new CipherState(crypto, KEY);
      for (let i = 0; i < at; i++) openFrame(probe, frames[i]!);
      try {
        openFrame(probe, frame);
        return 'opened';
      } catch (error) {
        return (error as { code: string }).code;
      }
    };
    expect(code(MISPLACEMENT_WINDOW + 1, frames[1]!)).toBe('REPLAYED_OR_REORDERED'); // 16 back
    expect(code(MISPLACEMENT_WINDOW + 1, frames[0]!)).toBe('TAMPERED'); // 17 back: outside the window
    expect(code(0, frames[MISPLACEMENT_WINDOW]!)).toBe('REPLAYED_OR_REORDERED'); // 16 ahead
    expect(code(0, frames[MISPLACEMENT_WINDOW + 1]!)).toBe('TAMPERED');
    const forged = frames[3]!.slice();
    forged[0]! ^= 1;
    expect(code(3, forged)).toBe('TAMPERED');
    expect(code(3, frames[3]!)).toBe('opened');
    expect(receiver.nonce).toBe(0);
  });

  it('a failed frame leaves the counter where it was', () => {
    const { sender, receiver } = direction();
    const [first, second] = [unprefixed(sealFrame(sender, FRAME_TYPE.data, text('a'))), unprefixed(sealFrame(sender, FRAME_TYPE.data, text('b')))];
    expect(() => openFrame(receiver, second)).toThrow(expect.objectContaining({ code: 'REPLAYED_OR_REORDERED' }));
    expect(receiver.nonce).toBe(0);
    expect(openFrame(receiver, first)).toEqual({ type: 'data', body: text('a') });
  });
});
