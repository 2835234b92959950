import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, concatBytes } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCryptoError } from './crypto-error.ts';
import { HKDF_MAX_INFO_BYTES, HKDF_MAX_LENGTH } from './crypto-provider.ts';
import { nobleCrypto as noble } from './noble-crypto.ts';
import { nodeCrypto as node } from './node-crypto.node.ts';

/**
 * Random inputs give identical bytes — and identical refusals — from node:crypto and @noble, so a
 * signature, key or ciphertext made in Node is accepted in the browser and vice versa.
 * Seeded, so a failure reproduces; fast-check shrinks it to a minimal counterexample.
 */
const RUNS = { seed: 42, numRuns: 200 };

const key32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const nonce12 = fc.uint8Array({ minLength: 12, maxLength: 12 });
const message = fc.uint8Array({ maxLength: 2048 });

/** The bytes a call returns, or the CryptoError code it throws: what both providers must agree on. */
function outcome(run: () => Uint8Array): Uint8Array | string {
  try {
    return run();
  } catch (error) {
    if (isCryptoError(error)) return error.code;
    throw error;
  }
}

describe('node:crypto and @noble give identical results', () => {
  it('SHA-256, one-shot and streamed in arbitrary chunks', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 8 }), (chunks) => {
        const streams = [node.createSha256(), noble.createSha256()];
        for (const chunk of chunks) for (const stream of streams) stream.update(chunk);
        const whole = new Uint8Array(chunks.flatMap((chunk) => [...chunk]));
        const expected = noble.sha256Hex(whole);
        expect(streams.map((stream) => stream.digestHex())).toEqual([expected, expected]);
        expect(node.sha256Hex(whole)).toBe(expected);
        expect(node.sha256(whole)).toEqual(noble.sha256(whole));
      }),
      RUNS,
    );
  });

  it('HMAC-SHA256 and HKDF-SHA256, including empty salt and the length bounds', () => {
    fc.assert(
      fc.property(
        message,
        fc.uint8Array({ maxLength: 100 }),
        fc.uint8Array({ maxLength: HKDF_MAX_INFO_BYTES + 8 }),
        fc.integer({ min: 0, max: HKDF_MAX_LENGTH + 8 }),
        (ikm, salt, info, length) => {
          expect(node.hmacSha256(salt, ikm)).toEqual(noble.hmacSha256(salt, ikm));
          expect(outcome(() => node.hkdfSha256(ikm, salt, info, length))).toEqual(outcome(() => noble.hkdfSha256(ikm, salt, info, length)));
        },
      ),
      RUNS,
    );
  });

  it('Ed25519 public keys and signatures, each provider verifying the other’s', () => {
    fc.assert(
      fc.property(key32, message, (secret, msg) => {
        const publicKey = node.ed25519.publicKey(secret);
        expect(publicKey).toEqual(noble.ed25519.publicKey(secret));
        const signature = node.ed25519.signer(secret).sign(msg);
        expect(signature).toEqual(noble.ed25519.signer(secret).sign(msg));
        expect(node.ed25519.verifier(publicKey).verify(msg, signature)).toBe(true);
        expect(noble.ed25519.verifier(publicKey).verify(msg, signature)).toBe(true);
      }),
      RUNS,
    );
  });

  it('Ed25519 verdicts on damaged signatures, random keys and random signatures', () => {
    fc.assert(
      fc.property(key32, message, fc.nat(511), key32, fc.uint8Array({ minLength: 64, maxLength: 64 }), (secret, msg, bit, randomKey, randomSig) => {
        const publicKey = node.ed25519.publicKey(secret);
        const damaged = node.ed25519.sign(secret, msg);
        damaged[bit >> 3]! ^= 1 << (bit & 7);
        const cases: [Uint8Array, Uint8Array][] = [
          [publicKey, damaged],
          [randomKey, damaged],
          [publicKey, randomSig],
          [randomKey, randomSig],
        ];
        for (const [key, sig] of cases) expect(node.ed25519.verify(key, msg, sig)).toBe(noble.ed25519.verify(key, msg, sig));
      }),
      RUNS,
    );
  });

  it('Ed25519 verdicts on signatures crafted with small-order parts in R and A', () => {
    // R = rB + T_i, A = aB + T_j, S = r + k·a with k = H(R ‖ A ‖ M): the cofactored equation
    // accepts every such signature, the cofactorless one only when T_i + k·T_j is the identity.
    // OpenSSL (node) and our noble verifier must agree case by case.
    const { Point } = ed25519;
    const order8 = Point.fromBytes(Buffer.from('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', 'hex'));
    const scalar = key32.map((bytes) => Point.Fn.create(bytesToNumberLE(bytes)) || 1n);
    const torsion = fc.integer({ min: 0, max: 7 }).map((i) => order8.multiplyUnsafe(BigInt(i)));
    let accepted = 0;
    fc.assert(
      fc.property(scalar, scalar, torsion, torsion, message, (a, r, tR, tA, msg) => {
        const publicKey = Point.BASE.multiply(a).add(tA).toBytes();
        const R = Point.BASE.multiply(r).add(tR).toBytes();
        const k = Point.Fn.create(bytesToNumberLE(sha512(concatBytes(R, publicKey, msg))));
        const signature = concatBytes(R, Point.Fn.toBytes(Point.Fn.create(r + k * a)));
        const verdict = node.ed25519.verify(publicKey, msg, signature);
        expect(noble.ed25519.verify(publicKey, msg, signature)).toBe(verdict);
        if (verdict) accepted++;
      }),
      { ...RUNS, numRuns: 400 },
    );
    expect(accepted).toBeGreaterThan(0); // both verdicts occurred
    expect(accepted).toBeLessThan(400);
  });

  it('X25519 public keys and shared secrets, for honest and arbitrary (possibly low-order) peers', () => {
    const lowOrder = fc.constantFrom(
      ...[
        '0000000000000000000000000000000000000000000000000000000000000000',
        '0100000000000000000000000000000000000000000000000000000000000000',
        'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
        'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
        'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
      ].map((hex) => Uint8Array.from(Buffer.from(hex, 'hex'))),
    );
    fc.assert(
      fc.property(key32, key32, fc.oneof(key32, lowOrder), (a, b, arbitrary) => {
        const publicB = node.x25519.publicKey(b);
        expect(publicB).toEqual(noble.x25519.publicKey(b));
        const shared = node.x25519.sharedSecret(a, publicB);
        expect(shared).toEqual(noble.x25519.sharedSecret(a, publicB));
        expect(shared).toEqual(noble.x25519.sharedSecret(b, noble.x25519.publicKey(a)));
        expect(outcome(() => node.x25519.sharedSecret(a, arbitrary))).toEqual(outcome(() => noble.x25519.sharedSecret(a, arbitrary)));
      }),
      RUNS,
    );
  });

  it('ChaCha20-Poly1305 ciphertexts, each provider opening the other’s, and both refusing a damaged one', () => {
    fc.assert(
      fc.property(key32, nonce12, message, fc.option(message, { nil: undefined }), fc.nat(), (key, nonce, plaintext, aad, flip) => {
        const sealed = node.aeadKey(key).seal(nonce, plaintext, aad);
        expect(sealed).toEqual(noble.aeadKey(key).seal(nonce, plaintext, aad));
        expect(node.aead.seal(key, nonce, plaintext, aad)).toEqual(sealed);
        expect(noble.aead.open(key, nonce, sealed, aad)).toEqual(plaintext);
        expect(node.aead.open(key, nonce, sealed, aad)).toEqual(plaintext);
        const damaged = sealed.slice();
        damaged[flip % damaged.length]! ^= 0x80;
        expect(outcome(() => node.aead.open(key, nonce, damaged, aad))).toBe('AEAD_AUTH_FAILED');
        expect(outcome(() => noble.aead.open(key, nonce, damaged, aad))).toBe('AEAD_AUTH_FAILED');
      }),
      RUNS,
    );
  });

  it('scrypt with small costs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 64 }),
        fc.uint8Array({ maxLength: 32 }),
        fc.record({ N: fc.constantFrom(2, 4, 16, 64, 256), r: fc.integer({ min: 1, max: 8 }), p: fc.integer({ min: 1, max: 3 }), dkLen: fc.integer({ min: 1, max: 96 }) }),
        async (passphrase, salt, params) => {
          expect(await node.scrypt(passphrase, salt, params)).toEqual(await noble.scrypt(passphrase, salt, params));
        },
      ),
      { ...RUNS, numRuns: 50 },
    );
  });
});
