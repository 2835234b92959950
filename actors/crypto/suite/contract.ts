import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { SCRYPT_MAX_MEMORY } from '../crypto-checks.ts';
import { DEFAULT_SCRYPT_PARAMS, HKDF_MAX_INFO_BYTES, HKDF_MAX_LENGTH, type CryptoProvider } from '../crypto-provider.ts';
import { expectCryptoError, expectCryptoRejection } from './expect-crypto-error.ts';

/**
 * The parts of the CryptoProvider contract no published vector covers: which inputs are refused
 * with which error code, the Ed25519 verification policy on crafted edge cases, and the promise
 * that handles and outputs behave the same in both runtimes.
 */
export function contractTests(provider: CryptoProvider): void {
  const { ed25519, x25519 } = provider;
  const bytes = (length: number, fill = 7) => new Uint8Array(length).fill(fill);

  describe('Ed25519 verification policy (specs/keys.md §1.2)', () => {
    const RFC_TEST_1_PUBLIC = hexToBytes('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    const message = utf8ToBytes('LAMA mixed-order R');
    // Both signed with RFC 8032 TEST 1's key and nonce r = SHA-512("LAMA nonce") mod L; the second
    // uses R = rB + T for a point T of order 8. The cofactored equation accepts it, the cofactorless
    // one (OpenSSL, and our policy) refuses it.
    const torsionFreeR =
      'd9ee13971bebe397659db5c0d4787d66c5b7b6da1bcc95756fd811aa0d0dfece2d45a1b2c4f0f67bd63dd2ca4359ba11d6512f14ec125c91e1b1b70741d9dd0c';
    const mixedOrderR =
      '11658f18a3cd84d02624da09542698dd7664fe085e63ab7ba6f5d0483619207334fe0766513c893e1f50cf34789452f406cb0f6b318bfcedc3320f0d74adbb0e';

    it('accepts the hand-made signature whose R has no small-order part (the control)', () => {
      expect(ed25519.verify(RFC_TEST_1_PUBLIC, message, hexToBytes(torsionFreeR))).toBe(true);
    });
    it('refuses the same construction with a small-order component added to R', () => {
      expect(ed25519.verify(RFC_TEST_1_PUBLIC, message, hexToBytes(mixedOrderR))).toBe(false);
    });

    const smallOrderKeys = [
      '0100000000000000000000000000000000000000000000000000000000000000',
      '0100000000000000000000000000000000000000000000000000000000000080',
      '0000000000000000000000000000000000000000000000000000000000000000',
      '0000000000000000000000000000000000000000000000000000000000000080',
      'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
      '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
      'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
      'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
      'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    ];
    // R = the identity, S = 0 satisfies [S]B = R + [k]A for the identity key and every message.
    const universalSignature = hexToBytes('01'.padEnd(128, '0'));
    it.for(smallOrderKeys)('refuses every signature under the small-order key %s', (publicKey) => {
      for (const text of ['', 'pay 100 to mallory', 'anything at all']) {
        expect(ed25519.verify(hexToBytes(publicKey), utf8ToBytes(text), universalSignature)).toBe(false);
      }
    });
  });

  describe('Ed25519 inputs', () => {
    const secret = bytes(32, 1);
    const message = utf8ToBytes('hello');
    it('refuses keys of the wrong length with BAD_KEY_LENGTH', () => {
      for (const key of [bytes(0), bytes(31), bytes(33), bytes(64)]) {
        expectCryptoError(() => ed25519.publicKey(key), 'BAD_KEY_LENGTH');
        expectCryptoError(() => ed25519.signer(key), 'BAD_KEY_LENGTH');
        expectCryptoError(() => ed25519.sign(key, message), 'BAD_KEY_LENGTH');
        expectCryptoError(() => ed25519.verifier(key), 'BAD_KEY_LENGTH');
        expectCryptoError(() => ed25519.verify(key, message, bytes(64)), 'BAD_KEY_LENGTH');
      }
    });
    it('returns false, never throws, for malformed signatures and off-curve keys', () => {
      const publicKey = ed25519.publicKey(secret);
      const signature = ed25519.sign(secret, message);
      for (const bad of [bytes(0), signature.subarray(0, 63), new Uint8Array([...signature, 0]), bytes(64, 0xff)]) {
        expect(ed25519.verify(publicKey, message, bad)).toBe(false);
      }
      const flipped = signature.slice();
      flipped[10]! ^= 1;
      expect(ed25519.verify(publicKey, message, flipped)).toBe(false);
      expect(ed25519.verify(publicKey, utf8ToBytes('hellO'), signature)).toBe(false);
      // y = 2 is not the y-coordinate of any curve point.
      expect(ed25519.verify(hexToBytes('02'.padEnd(64, '0')), message, signature)).toBe(false);
    });
    it('gives handles that sign and verify like the one-shot calls and keep their own key copy', () => {
      const mutable = secret.slice();
      const signer = ed25519.signer(mutable);
      mutable.fill(0);
      expect(signer.publicKey).toEqual(ed25519.publicKey(secret));
      expect(signer.sign(message)).toEqual(ed25519.sign(secret, message));
      expect(ed25519.verifier(signer.publicKey).verify(message, signer.sign(message))).toBe(true);
    });
    it('generates distinct 32-byte seeds that sign and verify', () => {
      const [a, b] = [ed25519.generateSecretKey(), ed25519.generateSecretKey()];
      expect(a).toHaveLength(32);
      expect(a).not.toEqual(b);
      expect(ed25519.verify(ed25519.publicKey(a), message, ed25519.sign(a, message))).toBe(true);
    });
  });

  describe('X25519 inputs', () => {
    it('refuses keys of the wrong length with BAD_KEY_LENGTH', () => {
      expectCryptoError(() => x25519.publicKey(bytes(31)), 'BAD_KEY_LENGTH');
      expectCryptoError(() => x25519.sharedSecret(bytes(33), bytes(32)), 'BAD_KEY_LENGTH');
      expectCryptoError(() => x25519.sharedSecret(bytes(32), bytes(31)), 'BAD_KEY_LENGTH');
    });
    it('agrees on one secret from both sides of a fresh exchange', () => {
      const [a, b] = [x25519.generateSecretKey(), x25519.generateSecretKey()];
      const shared = x25519.sharedSecret(a, x25519.publicKey(b));
      expect(shared).toEqual(x25519.sharedSecret(b, x25519.publicKey(a)));
      expect(shared).not.toEqual(bytes(32, 0));
    });
  });

  describe('ChaCha20-Poly1305 inputs', () => {
    const key = bytes(32, 3);
    const nonce = bytes(12, 4);
    const sealed = provider.aead.seal(key, nonce, utf8ToBytes('attack at dawn'), utf8ToBytes('header'));
    it('refuses wrong key and nonce lengths', () => {
      expectCryptoError(() => provider.aeadKey(bytes(16)), 'BAD_KEY_LENGTH');
      expectCryptoError(() => provider.aead.seal(bytes(31), nonce, bytes(1)), 'BAD_KEY_LENGTH');
      expectCryptoError(() => provider.aead.open(bytes(33), nonce, sealed), 'BAD_KEY_LENGTH');
      for (const badNonce of [bytes(8), bytes(11), bytes(13), bytes(24)]) {
        expectCryptoError(() => provider.aead.seal(key, badNonce, bytes(1)), 'BAD_NONCE_LENGTH');
        expectCryptoError(() => provider.aeadKey(key).open(badNonce, sealed), 'BAD_NONCE_LENGTH');
      }
    });
    it('fails authentication for any flipped bit, other AAD, missing AAD, other nonce, or a cut tag', () => {
      for (let bit = 0; bit < sealed.length * 8; bit++) {
        const tampered = sealed.slice();
        tampered[bit >> 3]! ^= 1 << (bit & 7);
        expectCryptoError(() => provider.aead.open(key, nonce, tampered, utf8ToBytes('header')), 'AEAD_AUTH_FAILED');
      }
      expectCryptoError(() => provider.aead.open(key, nonce, sealed, utf8ToBytes('headeR')), 'AEAD_AUTH_FAILED');
      expectCryptoError(() => provider.aead.open(key, nonce, sealed), 'AEAD_AUTH_FAILED');
      expectCryptoError(() => provider.aead.open(key, bytes(12, 5), sealed, utf8ToBytes('header')), 'AEAD_AUTH_FAILED');
      expectCryptoError(() => provider.aead.open(key, nonce, sealed.subarray(0, 15)), 'AEAD_AUTH_FAILED');
    });
    it('seals the empty message to a bare tag, and the handle keeps its own key copy', () => {
      const mutable = key.slice();
      const handle = provider.aeadKey(mutable);
      mutable.fill(0);
      const tagOnly = handle.seal(nonce, new Uint8Array(0));
      expect(tagOnly).toEqual(provider.aead.seal(key, nonce, new Uint8Array(0)));
      expect(tagOnly).toHaveLength(16);
      expect(handle.open(nonce, tagOnly)).toEqual(new Uint8Array(0));
    });
  });

  describe('HKDF-SHA256 bounds', () => {
    const ikm = bytes(32);
    it(`derives 1..${HKDF_MAX_LENGTH} bytes with up to ${HKDF_MAX_INFO_BYTES} bytes of info`, () => {
      expect(provider.hkdfSha256(ikm, bytes(0), bytes(HKDF_MAX_INFO_BYTES), HKDF_MAX_LENGTH)).toHaveLength(HKDF_MAX_LENGTH);
      expect(provider.hkdfSha256(ikm, bytes(0), bytes(0), 1)).toHaveLength(1);
    });
    it('refuses other lengths with BAD_LENGTH', () => {
      for (const length of [0, -1, 1.5, HKDF_MAX_LENGTH + 1]) {
        expectCryptoError(() => provider.hkdfSha256(ikm, bytes(0), bytes(0), length), 'BAD_LENGTH');
      }
      expectCryptoError(() => provider.hkdfSha256(ikm, bytes(0), bytes(HKDF_MAX_INFO_BYTES + 1), 32), 'BAD_LENGTH');
    });
  });

  describe('scrypt parameters', () => {
    it('derives with the default N=2^17, r=8, p=1 (128 MiB, above node:crypto’s default maxmem)', async () => {
      // Not a published vector: the value both providers computed independently.
      const key = await provider.scrypt(utf8ToBytes('pw'), bytes(16, 0), DEFAULT_SCRYPT_PARAMS);
      expect(bytesToHex(key)).toBe('82836770acd97afac228d7c4032c732247a233a6198fa97c7a74d4c1365a1428');
    });
    it('refuses parameters outside RFC 7914 or the memory cap with BAD_SCRYPT_PARAMS', async () => {
      const refused = [
        { N: 1, r: 1, p: 1, dkLen: 32 },
        { N: 3, r: 1, p: 1, dkLen: 32 },
        { N: 16, r: 0, p: 1, dkLen: 32 },
        { N: 16, r: 1, p: 0, dkLen: 32 },
        { N: 16, r: 1, p: 1, dkLen: 0 },
        { N: 16, r: 1.5, p: 1, dkLen: 32 },
        { N: 2 ** 16, r: 1, p: 1, dkLen: 32 }, // N must be below 2^(16·r)
        { N: SCRYPT_MAX_MEMORY / 1024, r: 8, p: 1, dkLen: 32 }, // just over the 1 GiB cap
      ];
      for (const params of refused) {
        await expectCryptoRejection(() => provider.scrypt(bytes(1), bytes(1), params), 'BAD_SCRYPT_PARAMS');
      }
    });
  });

  describe('outputs', () => {
    it('are plain Uint8Arrays, never Node Buffers', async () => {
      const key = bytes(32, 9);
      const signature = ed25519.sign(key, bytes(3));
      const outputs = [
        provider.sha256(bytes(1)),
        provider.randomBytes(8),
        provider.hmacSha256(key, bytes(1)),
        provider.hkdfSha256(key, bytes(0), bytes(0), 16),
        ed25519.publicKey(key),
        signature,
        ed25519.signer(key).publicKey,
        x25519.publicKey(key),
        x25519.sharedSecret(key, x25519.publicKey(bytes(32, 8))),
        provider.aead.seal(key, bytes(12), bytes(5)),
        provider.aeadKey(key).open(bytes(12), provider.aead.seal(key, bytes(12), bytes(5))),
        await provider.scrypt(bytes(1), bytes(1), { N: 16, r: 1, p: 1, dkLen: 16 }),
      ];
      for (const output of outputs) expect(Object.getPrototypeOf(output)).toBe(Uint8Array.prototype);
    });
    it('draws randomness of any length, in more than one 64 KiB chunk', () => {
      expect(provider.randomBytes(0)).toHaveLength(0);
      const large = provider.randomBytes(200_000);
      expect(large).toHaveLength(200_000);
      // Each 64 KiB chunk was filled: no chunk of the tail is left all zero.
      expect(large.subarray(196_608).some((byte) => byte !== 0)).toBe(true);
      expect(provider.randomBytes(32)).not.toEqual(provider.randomBytes(32));
    });
  });
}
