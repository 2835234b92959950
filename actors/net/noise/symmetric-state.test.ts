import { describe, expect, it } from 'vitest';
import { nobleCrypto as crypto } from '../../crypto/noble-crypto.ts';
import { noiseHkdf, SymmetricState } from './symmetric-state.ts';

const bytes = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);
const EMPTY = new Uint8Array(0);
const ZERO_NONCE = new Uint8Array(12);

describe('SymmetricState', () => {
  // Noise's HKDF is written with HMAC; it coincides with RFC 5869 HKDF (salt = ck, empty info).
  // The provider's RFC 5869 implementation is an independent check of the HMAC construction.
  it.for([0, 1, 32, 100])('HKDF(ck, ikm of %i bytes) equals RFC 5869 HKDF with an empty info', (length) => {
    const ck = bytes(32, 7);
    const ikm = bytes(length, 3);
    const expected = crypto.hkdfSha256(ikm, ck, EMPTY, 96);
    expect(noiseHkdf(crypto, ck, ikm, 2)).toEqual([expected.subarray(0, 32), expected.subarray(32, 64)]);
    expect(noiseHkdf(crypto, ck, ikm, 3)).toEqual([expected.subarray(0, 32), expected.subarray(32, 64), expected.subarray(64, 96)]);
  });

  it('a protocol name of at most 32 bytes is zero-padded into h; a longer one is hashed', () => {
    const short = new SymmetricState(crypto, 'Noise_XX_25519_ChaChaPoly_SHA256');
    const padded = new Uint8Array(32);
    padded.set(new TextEncoder().encode('Noise_XX_25519_ChaChaPoly_SHA256'));
    expect(short.handshakeHash).toEqual(padded);
    const long = 'Noise_XXfallback+psk0_25519_ChaChaPoly_SHA256';
    expect(new SymmetricState(crypto, long).handshakeHash).toEqual(crypto.sha256(new TextEncoder().encode(long)));
  });

  it('MixKeyAndHash: ck, then h mixed with the second output, then the third as key (§5.2)', () => {
    const state = new SymmetricState(crypto, 'Noise_NNpsk0_25519_ChaChaPoly_SHA256');
    const h0 = state.handshakeHash;
    const psk = bytes(32, 9);
    const [, hashInput, key] = noiseHkdf(crypto, h0, psk, 3); // ck starts equal to h
    state.mixKeyAndHash(psk);
    const h1 = crypto.sha256(new Uint8Array([...h0, ...hashInput]));
    expect(state.handshakeHash).toEqual(h1);
    const plaintext = new TextEncoder().encode('payload');
    expect(state.encryptAndHash(plaintext)).toEqual(crypto.aead.seal(key, ZERO_NONCE, plaintext, h1));
  });

  it('EncryptAndHash before any key sends the plaintext but still hashes it', () => {
    const state = new SymmetricState(crypto, 'Noise_NN_25519_ChaChaPoly_SHA256');
    const h0 = state.handshakeHash;
    const plaintext = bytes(5, 1);
    expect(state.encryptAndHash(plaintext)).toEqual(plaintext);
    expect(state.handshakeHash).toEqual(crypto.sha256(new Uint8Array([...h0, ...plaintext])));
  });
});
