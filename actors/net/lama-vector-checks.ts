import * as dagCbor from '@ipld/dag-cbor';
import { describe, expect, it } from 'vitest';
import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import { bytesToHex, hexToBytes } from '../store/hash.ts';
import vector from './lama-vector.json' with { type: 'json' };
import { recordTranscript } from './lama-vector.ts';
import { HandshakeState } from './noise/handshake-state.ts';

/**
 * Two checks of the recorded LAMA/1 session (lama-vector.json). First, SecureChannel reproduces it
 * byte for byte. Second, the recording reads as specs/handshake.md says, decoded here from the spec
 * alone — the Noise layer (itself held to the cacophony vectors), DAG-CBOR and Ed25519, with the
 * signed message and frame layout written out literally — so the vector and the spec cannot drift
 * apart while the implementation drifts with them.
 */
export function lamaVectorChecks(crypto: CryptoProvider, label: string): void {
  describe(`recorded LAMA/1 session (${label})`, () => {
    it('SecureChannel reproduces every message byte for byte, and the events the receiver emits', async () => {
      const { prologue, handshakeHash, messages } = vector;
      expect(await recordTranscript(crypto, vector.inputs)).toEqual({ prologue, handshakeHash, messages });
    });

    it('reads as the spec says: Noise XX with prologue "LAMA/1", signed identity proofs, typed frames', () => {
      const bodies = vector.messages.map(({ wire }) => {
        const bytes = hexToBytes(wire);
        expect(new DataView(bytes.buffer).getUint32(0)).toBe(bytes.length - 4); // u32 big-endian length
        return bytes.subarray(4);
      });
      const { initiator: i, responder: r } = vector.inputs;
      const keyPair = (secret: string) => ({ secretKey: hexToBytes(secret), publicKey: crypto.x25519.publicKey(hexToBytes(secret)) });
      const prologue = new TextEncoder().encode('LAMA/1');
      expect(bytesToHex(prologue)).toBe(vector.prologue);
      const initiator = new HandshakeState(crypto, { pattern: 'XX', initiator: true, prologue, staticKeyPair: keyPair(i.staticSecret), ephemeralSecretKey: hexToBytes(i.ephemeralSecret) });
      const responder = new HandshakeState(crypto, { pattern: 'XX', initiator: false, prologue, staticKeyPair: keyPair(r.staticSecret), ephemeralSecretKey: hexToBytes(r.ephemeralSecret) });

      // Message 1: the initiator's ephemeral public key, empty payload.
      expect(bodies[0]).toEqual(crypto.x25519.publicKey(hexToBytes(i.ephemeralSecret)));
      expect(initiator.writeMessage(new Uint8Array(0))).toEqual(bodies[0]);
      expect(responder.readMessage(bodies[0]!).payload).toEqual(new Uint8Array(0));

      const checkProof = (role: string, party: typeof i, payload: Uint8Array, hash: Uint8Array) => {
        const proof = dagCbor.decode(payload) as { person: string; instance: string; signKey: Uint8Array; signature: Uint8Array };
        expect(Object.keys(proof).sort()).toEqual(['instance', 'person', 'signKey', 'signature']);
        expect([proof.person, proof.instance]).toEqual([party.personId, party.instanceId]);
        expect(proof.signKey).toEqual(crypto.ed25519.publicKey(hexToBytes(party.signSeed)));
        const signed = new Uint8Array([...new TextEncoder().encode(`lama/handshake/v1/${role}\n`), ...hash, ...hexToBytes(party.personId), ...hexToBytes(party.instanceId)]);
        expect(crypto.ed25519.verify(proof.signKey, signed, proof.signature)).toBe(true);
      };

      // Message 2: e, ee, s, es and the responder's proof; the responder rewrites it identically.
      const second = initiator.readMessage(bodies[1]!);
      checkProof('responder', r, second.payload, second.hashBeforePayload);
      expect(responder.writeMessage(second.payload)).toEqual(bodies[1]);
      expect(initiator.remoteStaticKey).toEqual(crypto.x25519.publicKey(hexToBytes(r.staticSecret)));

      // Message 3: s, se and the initiator's proof.
      const third = responder.readMessage(bodies[2]!);
      checkProof('initiator', i, third.payload, third.hashBeforePayload);
      expect(initiator.writeMessage(third.payload)).toEqual(bodies[2]);
      expect(bytesToHex(responder.handshakeHash)).toBe(vector.handshakeHash);

      // Frames: type byte ‖ body under the split keys, nonces counting from 0 in each direction.
      const ciphers = { initiator: initiator.split(), responder: responder.split() };
      const frames = vector.messages.slice(3).map(({ from }, k) => {
        const plaintext = ciphers[from === 'initiator' ? 'responder' : 'initiator'].receive.decryptWithAd(new Uint8Array(0), bodies[3 + k]!);
        return [from, plaintext[0], new TextDecoder().decode(plaintext.subarray(1))];
      });
      expect(frames).toEqual([
        ['initiator', 0x01, 'hello from the initiator'],
        ['responder', 0x01, 'and hello back'],
        ['initiator', 0x02, ''],
        ['responder', 0x03, 'done'],
      ]);
    });
  });
}
