import { describe, expect, it } from 'vitest';
import { nobleCrypto as crypto } from '../crypto/noble-crypto.ts';
import { cryptoOps } from './crypto-ops.ts';
import { detachedTask } from './ops.ts';
import { BadRequestError } from './protocol.ts';

// The ops called directly (no worker): results match the provider's own, bulk results move back
// in as few buffers as possible, and bad payloads are refused as BAD_REQUEST material.
const ops = cryptoOps(crypto);
const bytes = (text: string) => new TextEncoder().encode(text);
const secretKey = crypto.ed25519.generateSecretKey();
const publicKey = crypto.ed25519.publicKey(secretKey);

function collect() {
  const moved: ArrayBuffer[] = [];
  return { moved, transfer: (buffer: ArrayBuffer) => void moved.push(buffer) };
}

describe('crypto worker ops', () => {
  it('sign and signBatch give the provider’s signatures; a batch moves back as one buffer', () => {
    const { moved, transfer } = collect();
    const messages = ['a', 'b', 'c'].map(bytes);
    const signatures = ops.signBatch({ secretKey, messages }, transfer, detachedTask) as Uint8Array[];
    expect(signatures).toEqual(messages.map((m) => crypto.ed25519.sign(secretKey, m)));
    expect(ops.sign({ secretKey, message: messages[0]! }, transfer, detachedTask)).toEqual(signatures[0]);
    expect(moved).toHaveLength(1);
    expect(signatures.every((s) => s.buffer === moved[0])).toBe(true);
  });

  it('signs under several keys alternately (the key cache keeps them apart)', () => {
    const other = crypto.ed25519.generateSecretKey();
    for (const key of [secretKey, other, secretKey, other]) {
      expect(ops.sign({ secretKey: key, message: bytes('m') }, () => {}, detachedTask)).toEqual(crypto.ed25519.sign(key, bytes('m')));
    }
  });

  it('verifyBatch answers per item, false for a forged or malformed signature', () => {
    const good = crypto.ed25519.sign(secretKey, bytes('m'));
    const items = [
      { publicKey, message: bytes('m'), signature: good },
      { publicKey, message: bytes('other'), signature: good },
      { publicKey, message: bytes('m'), signature: good.subarray(0, 10) },
    ];
    expect(ops.verifyBatch({ items }, () => {}, detachedTask)).toEqual([true, false, false]);
  });

  it('sealBatch and openBatch round-trip, and a tampered item opens as null, not as a failed batch', () => {
    const key = crypto.randomBytes(32);
    const nonce = (i: number) => Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, i);
    const { moved, transfer } = collect();
    const sealed = ops.sealBatch({ key, items: [0, 1].map((i) => ({ nonce: nonce(i), plaintext: bytes(`p${i}`), aad: bytes('aad') })) }, transfer, detachedTask) as Uint8Array[];
    expect(moved).toHaveLength(2);
    const tampered = sealed[1]!.slice();
    tampered[0]! ^= 1;
    const opened = ops.openBatch({ key, items: [{ nonce: nonce(0), sealed: sealed[0]!, aad: bytes('aad') }, { nonce: nonce(1), sealed: tampered, aad: bytes('aad') }] }, () => {}, detachedTask);
    expect(opened).toEqual([bytes('p0'), null]);
  });

  it('refuses malformed payloads with a BadRequestError naming the field', () => {
    expect(() => ops.sign(null as never, () => {}, detachedTask)).toThrow(BadRequestError);
    expect(() => ops.signBatch({ secretKey, messages: [bytes('ok'), 'no'] } as never, () => {}, detachedTask)).toThrow('messages[1] must be a Uint8Array');
    expect(() => ops.verifyBatch({ items: [{ publicKey }] } as never, () => {}, detachedTask)).toThrow('items[0].message must be a Uint8Array');
  });
});
