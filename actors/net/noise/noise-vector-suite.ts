import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import vectorsFile from '../../../tests/vectors/noise-25519-sha256.json' with { type: 'json' };
import { isCryptoError } from '../../crypto/crypto-error.ts';
import type { CryptoProvider } from '../../crypto/crypto-provider.ts';
import { HandshakeState, type TransportCiphers } from './handshake-state.ts';
import { isNoiseError } from './noise-error.ts';
import { PATTERNS, type PatternName } from './patterns.ts';

/**
 * The cacophony vectors (tests/vectors/noise-25519-sha256.json) for the one suite LAMA implements,
 * 25519/ChaChaPoly/SHA256; the file's AESGCM vectors are skipped. Every vector is run from both
 * ends: each side writes its messages and must produce the listed ciphertext byte for byte, reads
 * the other side's and must recover the payload, and both must reach the listed handshake hash;
 * the messages after the handshake are transport messages under the split keys.
 */
interface NoiseVector {
  protocol_name: string;
  init_prologue: string;
  init_static?: string;
  init_ephemeral: string;
  init_remote_static?: string;
  resp_prologue: string;
  resp_static?: string;
  resp_ephemeral: string;
  handshake_hash: string;
  messages: { payload: string; ciphertext: string }[];
}

const SUITE = /^Noise_(NN|XX|IK)_25519_ChaChaPoly_SHA256$/;
const allVectors = vectorsFile.vectors as NoiseVector[];
export const CHACHAPOLY_VECTORS = allVectors.filter((vector) => SUITE.test(vector.protocol_name));

const EMPTY = new Uint8Array(0);

interface Parties {
  initiator: HandshakeState;
  responder: HandshakeState;
}

function parties(crypto: CryptoProvider, vector: NoiseVector): Parties {
  const pattern = SUITE.exec(vector.protocol_name)![1] as PatternName;
  const keyPair = (secret: string | undefined) => {
    if (secret === undefined) return undefined;
    const secretKey = hexToBytes(secret);
    return { secretKey, publicKey: crypto.x25519.publicKey(secretKey) };
  };
  return {
    initiator: new HandshakeState(crypto, {
      pattern,
      initiator: true,
      prologue: hexToBytes(vector.init_prologue),
      staticKeyPair: keyPair(vector.init_static),
      remoteStaticKey: vector.init_remote_static === undefined ? undefined : hexToBytes(vector.init_remote_static),
      ephemeralSecretKey: hexToBytes(vector.init_ephemeral),
    }),
    responder: new HandshakeState(crypto, {
      pattern,
      initiator: false,
      prologue: hexToBytes(vector.resp_prologue),
      staticKeyPair: keyPair(vector.resp_static),
      ephemeralSecretKey: hexToBytes(vector.resp_ephemeral),
    }),
  };
}

/** Cacophony alternates senders through the whole exchange: even messages are the initiator's. */
type Role = 'initiator' | 'responder';
const senderOf = (index: number): Role => (index % 2 === 0 ? 'initiator' : 'responder');
const receiverOf = (index: number): Role => (index % 2 === 0 ? 'responder' : 'initiator');

/** Delivers the vector's handshake messages, `mutate` altering one in transit; returns what was read. */
function deliverHandshake(crypto: CryptoProvider, vector: NoiseVector, mutate?: (index: number, message: Uint8Array) => Uint8Array): Parties {
  const sides = parties(crypto, vector);
  const handshakeLength = PATTERNS[SUITE.exec(vector.protocol_name)![1] as PatternName].messages.length;
  for (let i = 0; i < handshakeLength; i++) {
    const sent = sides[senderOf(i)].writeMessage(hexToBytes(vector.messages[i]!.payload));
    sides[receiverOf(i)].readMessage(mutate ? mutate(i, sent) : sent);
  }
  return sides;
}

export function runNoiseVectorSuite(crypto: CryptoProvider, label: string): void {
  describe(`Noise cacophony vectors, 25519/ChaChaPoly/SHA256 (${label})`, () => {
    it('runs every ChaChaPoly vector in the file: NN, XX and IK, skipping only the AESGCM ones', () => {
      expect(CHACHAPOLY_VECTORS.map((vector) => vector.protocol_name).sort()).toEqual([
        'Noise_IK_25519_ChaChaPoly_SHA256',
        'Noise_NN_25519_ChaChaPoly_SHA256',
        'Noise_XX_25519_ChaChaPoly_SHA256',
      ]);
      const skipped = allVectors.filter((vector) => !CHACHAPOLY_VECTORS.includes(vector));
      expect(skipped.every((vector) => vector.protocol_name.includes('_AESGCM_'))).toBe(true);
    });

    it.for(CHACHAPOLY_VECTORS)('$protocol_name: every message byte for byte, then the handshake hash', (vector) => {
      const sides = parties(crypto, vector);
      let transport: Record<Role, TransportCiphers> | undefined;
      vector.messages.forEach(({ payload, ciphertext }, i) => {
        const [sender, receiver] = [senderOf(i), receiverOf(i)];
        if (!transport) {
          const written = sides[sender].writeMessage(hexToBytes(payload));
          expect(bytesToHex(written), `message ${i}`).toBe(ciphertext);
          expect(bytesToHex(sides[receiver].readMessage(written).payload), `payload ${i}`).toBe(payload);
          if (sides.initiator.isComplete && sides.responder.isComplete) {
            expect(bytesToHex(sides.initiator.handshakeHash)).toBe(vector.handshake_hash);
            expect(bytesToHex(sides.responder.handshakeHash)).toBe(vector.handshake_hash);
            transport = { initiator: sides.initiator.split(), responder: sides.responder.split() };
          }
        } else {
          const written = transport[sender].send.encryptWithAd(EMPTY, hexToBytes(payload));
          expect(bytesToHex(written), `transport message ${i}`).toBe(ciphertext);
          expect(bytesToHex(transport[receiver].receive.decryptWithAd(EMPTY, written)), `transport payload ${i}`).toBe(payload);
        }
      });
      expect(transport, 'the handshake completed').toBeDefined();
    });

    // One bit of one handshake message flipped in transit, at every byte position: a reader must
    // refuse that message or a later one (a flip in an unencrypted first message surfaces when the
    // next message's associated data, the transcript hash, no longer matches). Bit p mod 8 of byte p
    // is flipped, so byte 31 of an ephemeral key gets bit 7, which X25519 itself ignores (RFC 7748
    // §5): the transcript hash must still catch it.
    const cases = CHACHAPOLY_VECTORS.flatMap((vector) => {
      const lengths = vector.messages.slice(0, PATTERNS[SUITE.exec(vector.protocol_name)![1] as PatternName].messages.length).map((m) => m.ciphertext.length / 2);
      return lengths.map((length, index) => ({ name: vector.protocol_name, vector, message: index, ordinal: `#${index + 1}`, length }));
    });
    it.for(cases)('$name: a flipped bit anywhere in handshake message $ordinal ($length bytes) fails the handshake', ({ vector, message, length }) => {
      for (let byte = 0; byte < length; byte++) {
        let thrown: unknown;
        try {
          deliverHandshake(crypto, vector, (index, sent) => {
            if (index !== message) return sent;
            const altered = sent.slice();
            altered[byte]! ^= 1 << byte % 8;
            return altered;
          });
        } catch (error) {
          thrown = error;
        }
        expect(isCryptoError(thrown, 'AEAD_AUTH_FAILED'), `byte ${byte}: ${String(thrown)}`).toBe(true);
      }
    });

    it.for(cases)('$name: handshake message $ordinal cut short is refused', ({ vector, message }) => {
      let thrown: unknown;
      try {
        deliverHandshake(crypto, vector, (index, sent) => (index === message ? sent.subarray(0, 31) : sent));
      } catch (error) {
        thrown = error;
      }
      // 31 bytes cannot even hold the leading ephemeral key, or, in XX's third message, the encrypted static key.
      expect(isNoiseError(thrown, 'MALFORMED'), String(thrown)).toBe(true);
    });
  });
}
