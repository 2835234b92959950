import { TAG_BYTES } from '../crypto/crypto-provider.ts';
import { isCryptoError } from '../crypto/crypto-error.ts';
import { ChannelError } from './channel-error.ts';
import { lengthPrefixed } from './length-prefixed-reader.ts';
import type { CipherState } from './noise/cipher-state.ts';

/**
 * Transport frames after the handshake (specs/handshake.md §5): on the wire a 4-byte big-endian
 * length, then one Noise transport message (ChaCha20-Poly1305 with empty associated data, nonce =
 * the implicit per-direction counter) whose plaintext is `type (1 byte) ‖ body`.
 */
export const FRAME_TYPE = { data: 0x01, heartbeat: 0x02, goodbye: 0x03 } as const;
export type FrameTypeByte = (typeof FRAME_TYPE)[keyof typeof FRAME_TYPE];

/**
 * Largest body of one frame: 2 MiB, so one object at the store's 1 MiB limit (specs/objects.md §3)
 * plus any envelope CHUM puts around it fits in a frame, while a peer can make us buffer at most
 * this much for one message.
 */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** The largest length prefix accepted after the handshake: type byte, body, tag. */
export const MAX_TRANSPORT_MESSAGE_BYTES = 1 + MAX_BODY_BYTES + TAG_BYTES;

export type Frame = { readonly type: 'data'; readonly body: Uint8Array } | { readonly type: 'heartbeat' } | { readonly type: 'goodbye'; readonly reason: string };

const EMPTY = new Uint8Array(0);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * How far either side of its expected place a failed frame is tried (specs/handshake.md §6.2): an
 * authentic frame of this stream that is at most this far out of place is reported as
 * REPLAYED_OR_REORDERED rather than TAMPERED.
 */
export const MISPLACEMENT_WINDOW = 16;

/** Seals one frame and returns its wire bytes, length prefix included. */
export function sealFrame(cipher: CipherState, type: FrameTypeByte, body: Uint8Array): Uint8Array {
  const plaintext = new Uint8Array(1 + body.length);
  plaintext[0] = type;
  plaintext.set(body, 1);
  return lengthPrefixed(cipher.encryptWithAd(EMPTY, plaintext));
}

/** Opens the next frame (without its length prefix); the body of a data frame is a view, not a copy. */
export function openFrame(cipher: CipherState, message: Uint8Array): Frame {
  let plaintext: Uint8Array;
  try {
    plaintext = cipher.decryptWithAd(EMPTY, message);
  } catch (error) {
    if (isCryptoError(error, 'AEAD_AUTH_FAILED')) throw diagnoseFailure(cipher, message);
    throw error;
  }
  return parsePlaintext(plaintext);
}

function parsePlaintext(plaintext: Uint8Array): Frame {
  if (plaintext.length === 0) throw new ChannelError('PROTOCOL', 'a frame without a type byte');
  const body = plaintext.subarray(1);
  switch (plaintext[0]) {
    case FRAME_TYPE.data:
      return { type: 'data', body };
    case FRAME_TYPE.heartbeat:
      if (body.length > 0) throw new ChannelError('PROTOCOL', `a heartbeat frame with a ${body.length}-byte body`);
      return { type: 'heartbeat' };
    case FRAME_TYPE.goodbye:
      try {
        return { type: 'goodbye', reason: utf8.decode(body) };
      } catch (error) {
        throw new ChannelError('PROTOCOL', 'a goodbye reason that is not UTF-8', { cause: error });
      }
    default:
      throw new ChannelError('PROTOCOL', `unknown frame type 0x${plaintext[0]!.toString(16).padStart(2, '0')}`);
  }
}

/**
 * A frame that fails at nonce n is tried at the nonces around n. If it opens at an earlier one it is
 * a copy of a frame already delivered (replay); at a later one, it was sent after a frame that has
 * not arrived (lost, or swapped with this one). Either way it is authentic and out of place. If it
 * opens nowhere in the window it was altered or forged — or, undetectably, comes from farther away.
 * This costs up to 2 × MISPLACEMENT_WINDOW decryptions, only on a channel that is closing anyway.
 */
function diagnoseFailure(cipher: CipherState, message: Uint8Array): ChannelError {
  const expected = cipher.nonce;
  for (let distance = 1; distance <= MISPLACEMENT_WINDOW; distance++) {
    if (cipher.opensAt(expected - distance, EMPTY, message)) {
      return new ChannelError('REPLAYED_OR_REORDERED', `frame ${expected} is a copy of frame ${expected - distance}: replayed`);
    }
    if (cipher.opensAt(expected + distance, EMPTY, message)) {
      return new ChannelError('REPLAYED_OR_REORDERED', `frame ${expected + distance} arrived where frame ${expected} was due: reordered, or a frame was lost`);
    }
  }
  return new ChannelError('TAMPERED', `frame ${expected} does not authenticate: altered in transit or forged`);
}
