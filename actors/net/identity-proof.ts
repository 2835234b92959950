import * as dagCbor from '@ipld/dag-cbor';
import { KEY_BYTES, SIGNATURE_BYTES, type CryptoProvider } from '../crypto/crypto-provider.ts';
import type { Identity, KeyPairs } from '../identity/identity.ts';
import { bytesToHex, hexToBytes, isSHA256Hash, type SHA256Hash } from '../store/hash.ts';
import { ChannelError } from './channel-error.ts';

/**
 * The identity proof each side puts in its XX handshake payload (specs/handshake.md §4): who it
 * claims to be, its Instance's Ed25519 key, and a signature by that key over the handshake hash at
 * the moment the payload is encrypted. That hash covers the prologue, both ephemeral keys and the
 * sender's static key, so the signature binds this Instance signing key to this session's keys and
 * cannot be replayed into any other session.
 */
export type Role = 'initiator' | 'responder';

/** What this side proves: an `Identity` from actors/identity serves as is. */
export type LocalInstance = Pick<Identity, 'personId' | 'instanceId'> & {
  readonly instance: Pick<KeyPairs, 'signer' | 'encryptionSecretKey' | 'encryptionPublicKey'>;
};

/** The peer as the handshake established it; authorize() decides whether these keys are trusted. */
export interface PeerIdentity {
  readonly personId: SHA256Hash;
  readonly instanceId: SHA256Hash;
  /** The Ed25519 key that signed the proof: must be the Instance's published publicSignKey. */
  readonly signKey: Uint8Array;
  /** The peer's Noise static key: must be the Instance's published publicEncryptionKey. */
  readonly staticKey: Uint8Array;
}

interface ProofPayload {
  person: string;
  instance: string;
  signKey: Uint8Array;
  signature: Uint8Array;
}

const PAYLOAD_FIELDS = ['instance', 'person', 'signKey', 'signature'];
const encoder = new TextEncoder();
const DOMAIN: Record<Role, Uint8Array> = {
  initiator: encoder.encode('lama/handshake/v1/initiator\n'),
  responder: encoder.encode('lama/handshake/v1/responder\n'),
};

/** The signed message: domain(role) ‖ handshake hash ‖ person id ‖ instance id (raw 32 bytes each). */
export function proofMessage(role: Role, handshakeHash: Uint8Array, personId: SHA256Hash, instanceId: SHA256Hash): Uint8Array {
  const domain = DOMAIN[role];
  const message = new Uint8Array(domain.length + 96);
  message.set(domain);
  message.set(handshakeHash, domain.length);
  message.set(hexToBytes(personId), domain.length + 32);
  message.set(hexToBytes(instanceId), domain.length + 64);
  return message;
}

export function encodeProof(role: Role, local: LocalInstance, handshakeHash: Uint8Array): Uint8Array {
  const { personId, instanceId, instance } = local;
  const payload: ProofPayload = {
    person: personId,
    instance: instanceId,
    signKey: instance.signer.publicKey,
    signature: instance.signer.sign(proofMessage(role, handshakeHash, personId, instanceId)),
  };
  return dagCbor.encode(payload);
}

/**
 * Decodes and verifies the peer's proof. PROTOCOL if it is not exactly the canonical DAG-CBOR map
 * of §4.1; WRONG_KEY if the signature does not verify under the key it names.
 */
export function checkProof(crypto: CryptoProvider, role: Role, payload: Uint8Array, handshakeHash: Uint8Array, staticKey: Uint8Array): PeerIdentity {
  const proof = decodeProof(payload);
  const message = proofMessage(role, handshakeHash, proof.person as SHA256Hash, proof.instance as SHA256Hash);
  if (!crypto.ed25519.verify(proof.signKey, message, proof.signature)) {
    throw new ChannelError('WRONG_KEY', `the ${role}'s identity proof does not verify under the key it names (${bytesToHex(proof.signKey)})`);
  }
  return { personId: proof.person as SHA256Hash, instanceId: proof.instance as SHA256Hash, signKey: proof.signKey, staticKey: staticKey.slice() };
}

function decodeProof(payload: Uint8Array): ProofPayload {
  let value: unknown;
  try {
    value = dagCbor.decode(payload);
  } catch (error) {
    throw new ChannelError('PROTOCOL', 'the identity proof is not DAG-CBOR', { cause: error });
  }
  const fields = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const wellFormed =
    fields !== undefined &&
    Object.keys(fields).sort().join() === PAYLOAD_FIELDS.join() &&
    isSHA256Hash(fields.person) &&
    isSHA256Hash(fields.instance) &&
    isBytes(fields.signKey, KEY_BYTES) &&
    isBytes(fields.signature, SIGNATURE_BYTES);
  if (!wellFormed) throw new ChannelError('PROTOCOL', 'the identity proof is not the map {person, instance, signKey, signature}');
  // One proof, one encoding: key order and integer widths are checked by re-encoding.
  if (!sameBytes(dagCbor.encode(fields), payload)) throw new ChannelError('PROTOCOL', 'the identity proof is not in canonical DAG-CBOR');
  return fields as unknown as ProofPayload;
}

function isBytes(value: unknown, length: number): value is Uint8Array {
  return value instanceof Uint8Array && value.length === length;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
