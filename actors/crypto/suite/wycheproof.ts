import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import aeadFile from '../../../tests/vectors/wycheproof-chacha20_poly1305.json' with { type: 'json' };
import ed25519File from '../../../tests/vectors/wycheproof-ed25519.json' with { type: 'json' };
import hkdfFile from '../../../tests/vectors/wycheproof-hkdf_sha256.json' with { type: 'json' };
import x25519File from '../../../tests/vectors/wycheproof-x25519.json' with { type: 'json' };
import type { CryptoProvider } from '../crypto-provider.ts';
import { expectCryptoError } from './expect-crypto-error.ts';

/**
 * Every test of the Wycheproof files in tests/vectors (C2SP/wycheproof, testvectors_v1), one
 * vitest case each, so a failure names its tcId. Wycheproof's rule: accept every `valid` case,
 * reject every `invalid` one; `acceptable` cases are allowed either way, but both providers are
 * held to one outcome for them too (see the X25519 block).
 */
export function wycheproofTests(provider: CryptoProvider): void {
  describe(`Wycheproof ${ed25519File.algorithm}`, () => {
    const cases = ed25519File.testGroups.flatMap((group) => group.tests.map((test) => ({ ...test, pk: group.publicKey.pk })));
    it.for(cases)('tcId $tcId $result $comment', (test) => {
      expect(['valid', 'invalid']).toContain(test.result);
      const [publicKey, message, signature] = [hexToBytes(test.pk), hexToBytes(test.msg), hexToBytes(test.sig)];
      const expected = test.result === 'valid';
      expect(provider.ed25519.verify(publicKey, message, signature)).toBe(expected);
      expect(provider.ed25519.verifier(publicKey).verify(message, signature)).toBe(expected);
    });
  });

  describe(`Wycheproof ${x25519File.algorithm} (${x25519File.testGroups.map((group) => group.curve).join(', ')})`, () => {
    const ZERO = '00'.repeat(32);
    const cases = x25519File.testGroups.flatMap((group) => group.tests);
    // Stricter than Wycheproof: an all-zero shared secret must raise LOW_ORDER_POINT (RFC 7748
    // §6.1), and every other case — `acceptable` ones included (twist points, non-canonical u) —
    // must produce exactly the listed secret, since RFC 7748 defines those results too.
    it.for(cases)('tcId $tcId $result $comment', (test) => {
      const derive = () => provider.x25519.sharedSecret(hexToBytes(test.private), hexToBytes(test.public));
      if (test.shared === ZERO) expectCryptoError(derive, 'LOW_ORDER_POINT');
      else expect(bytesToHex(derive())).toBe(test.shared);
    });
  });

  describe(`Wycheproof ${aeadFile.algorithm}`, () => {
    const groups = aeadFile.testGroups.map(({ tests, ...group }) => tests.map((test) => ({ ...test, ...group })));
    // Our contract is RFC 8439's 96-bit nonce and 128-bit tag with a 256-bit key.
    const rfc8439 = groups.flat().filter((test) => test.ivSize === 96 && test.tagSize === 128 && test.keySize === 256);
    const otherNonceSizes = groups.flat().filter((test) => test.ivSize !== 96);

    it.for(rfc8439)('tcId $tcId $result $comment', (test) => {
      const { key, nonce, aad, message } = aeadInputs(test);
      const sealed = hexToBytes(test.ct + test.tag);
      if (test.result === 'valid') {
        expect(bytesToHex(provider.aead.seal(key, nonce, message, aad))).toBe(test.ct + test.tag);
        expect(bytesToHex(provider.aead.open(key, nonce, sealed, aad))).toBe(test.msg);
        expect(bytesToHex(provider.aeadKey(key).open(nonce, sealed, aad))).toBe(test.msg);
      } else {
        expect(test.result).toBe('invalid');
        expectCryptoError(() => provider.aead.open(key, nonce, sealed, aad), 'AEAD_AUTH_FAILED');
        expectCryptoError(() => provider.aeadKey(key).open(nonce, sealed, aad), 'AEAD_AUTH_FAILED');
      }
    });

    it.for(otherNonceSizes)('tcId $tcId: a $ivSize-bit nonce is refused', (test) => {
      const { key, nonce, aad, message } = aeadInputs(test);
      expectCryptoError(() => provider.aead.seal(key, nonce, message, aad), 'BAD_NONCE_LENGTH');
      expectCryptoError(() => provider.aead.open(key, nonce, hexToBytes(test.ct + test.tag), aad), 'BAD_NONCE_LENGTH');
    });
  });

  describe(`Wycheproof ${hkdfFile.algorithm}`, () => {
    const cases = hkdfFile.testGroups.flatMap((group) => group.tests);
    it.for(cases)('tcId $tcId $result $comment', (test) => {
      const derive = () => provider.hkdfSha256(hexToBytes(test.ikm), hexToBytes(test.salt), hexToBytes(test.info), test.size);
      if (test.result === 'valid') {
        expect(bytesToHex(derive())).toBe(test.okm);
      } else {
        // The only invalid HKDF cases ask for more than 255 · 32 bytes.
        expect(test.flags).toEqual(['SizeTooLarge']);
        expectCryptoError(derive, 'BAD_LENGTH');
      }
    });
  });
}

function aeadInputs(test: { key: string; iv: string; aad: string; msg: string }) {
  return { key: hexToBytes(test.key), nonce: hexToBytes(test.iv), aad: hexToBytes(test.aad), message: hexToBytes(test.msg) };
}
