import * as dagCbor from '@ipld/dag-cbor';
import { describe, expect, it } from 'vitest';
import { nobleCrypto as crypto } from '../crypto/noble-crypto.ts';
import { hexToBytes } from '../store/hash.ts';
import { testInstance } from './channel-test-kit.ts';
import { checkProof, encodeProof, proofMessage } from './identity-proof.ts';

const local = testInstance(crypto);
const HASH = crypto.sha256(new TextEncoder().encode('transcript'));
const STATIC = local.instance.encryptionPublicKey;

const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
};

describe('identity proof', () => {
  it('is the canonical DAG-CBOR map {person, instance, signKey, signature}, signed over domain ‖ h ‖ ids', () => {
    const payload = encodeProof('responder', local, HASH);
    const decoded = dagCbor.decode(payload) as Record<string, unknown>;
    expect(Object.keys(decoded).sort()).toEqual(['instance', 'person', 'signKey', 'signature']);
    expect(decoded.person).toBe(local.personId);
    expect(decoded.instance).toBe(local.instanceId);
    expect(decoded.signKey).toEqual(local.instance.signer.publicKey);
    const message = new Uint8Array([...new TextEncoder().encode('lama/handshake/v1/responder\n'), ...HASH, ...hexToBytes(local.personId), ...hexToBytes(local.instanceId)]);
    expect(proofMessage('responder', HASH, local.personId, local.instanceId)).toEqual(message);
    expect(crypto.ed25519.verify(local.instance.signer.publicKey, message, decoded.signature as Uint8Array)).toBe(true);
  });

  it('checks out, naming the peer with the static key Noise authenticated', () => {
    expect(checkProof(crypto, 'initiator', encodeProof('initiator', local, HASH), HASH, STATIC)).toEqual({
      personId: local.personId,
      instanceId: local.instanceId,
      signKey: local.instance.signer.publicKey,
      staticKey: STATIC,
    });
  });

  it('WRONG_KEY in another session (another handshake hash) or the other role', () => {
    const payload = encodeProof('initiator', local, HASH);
    const otherHash = HASH.slice();
    otherHash[0]! ^= 1;
    expect(codeOf(() => checkProof(crypto, 'initiator', payload, otherHash, STATIC))).toBe('WRONG_KEY');
    expect(codeOf(() => checkProof(crypto, 'responder', payload, HASH, STATIC))).toBe('WRONG_KEY');
  });

  it('WRONG_KEY when the claimed ids are changed under the signature', () => {
    const proof = dagCbor.decode(encodeProof('initiator', local, HASH)) as Record<string, unknown>;
    const claimed = dagCbor.encode({ ...proof, instance: testInstance(crypto).instanceId });
    expect(codeOf(() => checkProof(crypto, 'initiator', claimed, HASH, STATIC))).toBe('WRONG_KEY');
  });

  it.for([
    ['not CBOR', new Uint8Array([0xff])],
    ['a list', dagCbor.encode([1, 2])],
    ['a missing field', dagCbor.encode({ person: local.personId, instance: local.instanceId, signKey: new Uint8Array(32) })],
    ['an extra field', dagCbor.encode({ ...(dagCbor.decode(encodeProof('initiator', local, HASH)) as object), extra: 1 })],
    ['an id that is not lowercase hex', dagCbor.encode({ ...(dagCbor.decode(encodeProof('initiator', local, HASH)) as object), person: local.personId.toUpperCase() })],
    ['a short key', dagCbor.encode({ ...(dagCbor.decode(encodeProof('initiator', local, HASH)) as object), signKey: new Uint8Array(31) })],
  ] as const)('PROTOCOL for a payload that is %s', ([, payload]) => {
    expect(codeOf(() => checkProof(crypto, 'initiator', payload, HASH, STATIC))).toBe('PROTOCOL');
  });

  it('PROTOCOL for the right fields in a non-canonical key order (caught by re-encoding)', () => {
    const proof = dagCbor.decode(encodeProof('initiator', local, HASH)) as Record<string, unknown>;
    // DAG-CBOR sorts keys by length first (person, signKey, instance, signature); write them alphabetically.
    const entries = ['instance', 'person', 'signKey', 'signature'].map((key) => dagCbor.encode({ [key]: proof[key] }).subarray(1));
    const alphabetical = new Uint8Array([0xa4, ...entries.flatMap((entry) => [...entry])]);
    let thrown: unknown;
    try {
      checkProof(crypto, 'initiator', alphabetical, HASH, STATIC);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'PROTOCOL', message: expect.stringContaining('canonical') });
  });
});
