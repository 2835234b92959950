import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import type { CryptoProvider } from '../crypto-provider.ts';

/**
 * The published test vectors of each primitive's defining document, copied as literals so the
 * suite checks "identical bytes" against the standards themselves, not against another library.
 */
export function rfcVectorTests(provider: CryptoProvider): void {
  const { ed25519, x25519 } = provider;

  describe('SHA-256 (FIPS 180-2 appendix B)', () => {
    it('hashes "abc" and the empty string', () => {
      expect(provider.sha256Hex(utf8ToBytes('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
      expect(bytesToHex(provider.sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    });
    it('streams one million "a" in uneven chunks', () => {
      const hash = provider.createSha256();
      const chunk = new Uint8Array(999_999).fill(0x61);
      hash.update(chunk.subarray(0, 1));
      hash.update(chunk.subarray(0, 65_535));
      hash.update(chunk.subarray(0, 999_999 - 65_535));
      hash.update(new Uint8Array(0));
      expect(hash.digestHex()).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
    });
  });

  describe('HMAC-SHA256 (RFC 4231 §4.2, §4.3)', () => {
    it('matches test cases 1 and 2', () => {
      const case1 = provider.hmacSha256(new Uint8Array(20).fill(0x0b), utf8ToBytes('Hi There'));
      expect(bytesToHex(case1)).toBe('b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
      const case2 = provider.hmacSha256(utf8ToBytes('Jefe'), utf8ToBytes('what do ya want for nothing?'));
      expect(bytesToHex(case2)).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    });
  });

  describe('HKDF-SHA256 (RFC 5869 appendix A.1, A.3)', () => {
    const ikm = new Uint8Array(22).fill(0x0b);
    it('matches A.1 (salt and info)', () => {
      const okm = provider.hkdfSha256(ikm, hexToBytes('000102030405060708090a0b0c'), hexToBytes('f0f1f2f3f4f5f6f7f8f9'), 42);
      expect(bytesToHex(okm)).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
    });
    it('matches A.3 (empty salt and info)', () => {
      const okm = provider.hkdfSha256(ikm, new Uint8Array(0), new Uint8Array(0), 42);
      expect(bytesToHex(okm)).toBe('8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');
    });
  });

  describe('Ed25519 (RFC 8032 §7.1)', () => {
    const tests = [
      {
        name: 'TEST 1',
        secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
        publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
        message: '',
        signature:
          'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
      },
      {
        name: 'TEST 2',
        secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
        publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
        message: '72',
        signature:
          '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
      },
      {
        name: 'TEST 3',
        secret: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
        publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
        message: 'af82',
        signature:
          '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
      },
    ];
    it.for(tests)('$name: public key, signature and verification', (test) => {
      const secret = hexToBytes(test.secret);
      const message = hexToBytes(test.message);
      expect(bytesToHex(ed25519.publicKey(secret))).toBe(test.publicKey);
      expect(bytesToHex(ed25519.sign(secret, message))).toBe(test.signature);
      const signer = ed25519.signer(secret);
      expect(bytesToHex(signer.publicKey)).toBe(test.publicKey);
      expect(bytesToHex(signer.sign(message))).toBe(test.signature);
      expect(ed25519.verify(hexToBytes(test.publicKey), message, hexToBytes(test.signature))).toBe(true);
    });
  });

  describe('X25519 (RFC 7748 §5.2, §6.1)', () => {
    it('matches the two §5.2 scalar-multiplication vectors (the second u has its top bit set)', () => {
      const first = x25519.sharedSecret(
        hexToBytes('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4'),
        hexToBytes('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c'),
      );
      expect(bytesToHex(first)).toBe('c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552');
      const second = x25519.sharedSecret(
        hexToBytes('4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d'),
        hexToBytes('e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493'),
      );
      expect(bytesToHex(second)).toBe('95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957');
    });
    it('matches the §5.2 iteration after 1 and 1,000 rounds', () => {
      let k: Uint8Array = hexToBytes('09'.padEnd(64, '0'));
      let u = k;
      const after: string[] = [];
      for (let round = 1; round <= 1000; round++) {
        [k, u] = [x25519.sharedSecret(k, u), k];
        if (round === 1 || round === 1000) after.push(bytesToHex(k));
      }
      expect(after).toEqual([
        '422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079',
        '684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51',
      ]);
    });
    it('matches the §6.1 Diffie-Hellman exchange', () => {
      const alice = hexToBytes('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
      const bob = hexToBytes('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
      const alicePublic = x25519.publicKey(alice);
      const bobPublic = x25519.publicKey(bob);
      expect(bytesToHex(alicePublic)).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
      expect(bytesToHex(bobPublic)).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
      const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
      expect(bytesToHex(x25519.sharedSecret(alice, bobPublic))).toBe(shared);
      expect(bytesToHex(x25519.sharedSecret(bob, alicePublic))).toBe(shared);
    });
  });

  describe('ChaCha20-Poly1305 (RFC 8439 §2.8.2)', () => {
    const key = hexToBytes('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
    const nonce = hexToBytes('070000004041424344454647');
    const aad = hexToBytes('50515253c0c1c2c3c4c5c6c7');
    const plaintext = utf8ToBytes(
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
    );
    const sealed =
      'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116' +
      '1ae10b594f09e26a7e902ecbd0600691'; // the tag, appended
    it('seals to ciphertext ‖ tag and opens it again, one-shot and through a key handle', () => {
      expect(bytesToHex(provider.aead.seal(key, nonce, plaintext, aad))).toBe(sealed);
      expect(provider.aead.open(key, nonce, hexToBytes(sealed), aad)).toEqual(plaintext);
      const handle = provider.aeadKey(key);
      expect(bytesToHex(handle.seal(nonce, plaintext, aad))).toBe(sealed);
      expect(handle.open(nonce, hexToBytes(sealed), aad)).toEqual(plaintext);
    });
  });

  describe('scrypt (RFC 7914 §12)', () => {
    const vectors = [
      {
        name: 'N=16, r=1, p=1, empty passphrase and salt',
        passphrase: '',
        salt: '',
        params: { N: 16, r: 1, p: 1, dkLen: 64 },
        key: '77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906',
      },
      {
        name: 'N=1024, r=8, p=16',
        passphrase: 'password',
        salt: 'NaCl',
        params: { N: 1024, r: 8, p: 16, dkLen: 64 },
        key: 'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640',
      },
      {
        name: 'N=16384, r=8, p=1',
        passphrase: 'pleaseletmein',
        salt: 'SodiumChloride',
        params: { N: 16384, r: 8, p: 1, dkLen: 64 },
        key: '7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887',
      },
    ];
    it.for(vectors)('$name', async (vector) => {
      const key = await provider.scrypt(utf8ToBytes(vector.passphrase), utf8ToBytes(vector.salt), vector.params);
      expect(bytesToHex(key)).toBe(vector.key);
    });
  });
}
