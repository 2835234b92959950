import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, concatBytes, equalBytes } from '@noble/curves/utils.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { checkHkdfArgs, checkScryptParams, requireLength, scryptMemory } from './crypto-checks.ts';
import { CryptoError } from './crypto-error.ts';
import {
  KEY_BYTES,
  NONCE_BYTES,
  SIGNATURE_BYTES,
  TAG_BYTES,
  type AeadKey,
  type CryptoProvider,
  type Ed25519Signer,
  type Ed25519Verifier,
} from './crypto-provider.ts';
import { isSmallOrderEncoding } from './ed25519-small-order.ts';

/**
 * The portable provider: audited pure-JS @noble/* only, so it runs in the browser and in Node
 * alike. Randomness comes from WebCrypto's `getRandomValues`, present in both runtimes.
 */

/** `getRandomValues` refuses more than 64 KiB per call. */
const RANDOM_CHUNK = 65_536;

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += RANDOM_CHUNK) globalThis.crypto.getRandomValues(bytes.subarray(at, at + RANDOM_CHUNK));
  return bytes;
}

function ed25519Signer(secretKey: Uint8Array): Ed25519Signer {
  requireLength(secretKey, KEY_BYTES, 'BAD_KEY_LENGTH', 'Ed25519 secret key');
  const seed = secretKey.slice(); // a handle must not change when the caller reuses its buffer
  return { publicKey: ed25519.getPublicKey(seed), sign: (message) => ed25519.sign(message, seed) };
}

const { Point } = ed25519;

/**
 * RFC 8032 §5.1.7 with the cofactorless equation [S]B = R + [k]A, checked as OpenSSL does: encode
 * [S]B − [k]A and compare it with R's bytes. @noble's own `verify` checks the cofactored equation,
 * which also accepts signatures whose R carries a small-order component; OpenSSL refuses those, so
 * using noble's would let a crafted signature verify in the browser and fail in Node.
 */
function ed25519Verifier(publicKey: Uint8Array): Ed25519Verifier {
  requireLength(publicKey, KEY_BYTES, 'BAD_KEY_LENGTH', 'Ed25519 public key');
  const encodedA = publicKey.slice();
  const A = isSmallOrderEncoding(encodedA) ? undefined : decodePoint(encodedA);
  if (!A) return { verify: () => false };
  return {
    verify(message, signature) {
      if (signature.length !== SIGNATURE_BYTES) return false;
      const R = signature.subarray(0, 32);
      const S = bytesToNumberLE(signature.subarray(32));
      if (S >= Point.Fn.ORDER) return false; // non-canonical S: the malleability check
      const k = Point.Fn.create(bytesToNumberLE(sha512(concatBytes(R, encodedA, message))));
      return equalBytes(Point.BASE.multiplyUnsafe(S).subtract(A.multiplyUnsafe(k)).toBytes(), R);
    },
  };
}

/** Strict RFC 8032 decoding (canonical y, on the curve); undefined for anything else. */
function decodePoint(encoded: Uint8Array): InstanceType<typeof Point> | undefined {
  try {
    return Point.fromBytes(encoded);
  } catch {
    return undefined;
  }
}

function x25519SharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  requireLength(secretKey, KEY_BYTES, 'BAD_KEY_LENGTH', 'X25519 secret key');
  requireLength(publicKey, KEY_BYTES, 'BAD_KEY_LENGTH', 'X25519 public key');
  try {
    return x25519.getSharedSecret(secretKey, publicKey);
  } catch (error) {
    // With both lengths checked, noble throws only for the low-order u values it screens out
    // before the ladder: exactly the inputs whose RFC 7748 result is all zeros.
    throw new CryptoError('LOW_ORDER_POINT', 'X25519 shared secret is all zeros: low-order public key', { cause: error });
  }
}

function seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array {
  requireLength(key, KEY_BYTES, 'BAD_KEY_LENGTH', 'ChaCha20-Poly1305 key');
  requireLength(nonce, NONCE_BYTES, 'BAD_NONCE_LENGTH', 'ChaCha20-Poly1305 nonce');
  return chacha20poly1305(key, nonce, aad).encrypt(plaintext);
}

function open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array {
  requireLength(key, KEY_BYTES, 'BAD_KEY_LENGTH', 'ChaCha20-Poly1305 key');
  requireLength(nonce, NONCE_BYTES, 'BAD_NONCE_LENGTH', 'ChaCha20-Poly1305 nonce');
  if (sealed.length < TAG_BYTES) throw new CryptoError('AEAD_AUTH_FAILED', `sealed message of ${sealed.length} bytes is shorter than its tag`);
  try {
    return chacha20poly1305(key, nonce, aad).decrypt(sealed);
  } catch (error) {
    throw new CryptoError('AEAD_AUTH_FAILED', 'ChaCha20-Poly1305 tag does not verify', { cause: error });
  }
}

function aeadKey(key: Uint8Array): AeadKey {
  requireLength(key, KEY_BYTES, 'BAD_KEY_LENGTH', 'ChaCha20-Poly1305 key');
  const copy = key.slice();
  return {
    seal: (nonce, plaintext, aad) => seal(copy, nonce, plaintext, aad),
    open: (nonce, sealed, aad) => open(copy, nonce, sealed, aad),
  };
}

export const nobleCrypto: CryptoProvider = {
  name: '@noble',
  sha256: (data) => sha256(data),
  sha256Hex: (data) => bytesToHex(sha256(data)),
  createSha256() {
    const hash = sha256.create();
    return { update: (chunk) => void hash.update(chunk), digestHex: () => bytesToHex(hash.digest()) };
  },
  randomBytes,
  ed25519: {
    generateSecretKey: () => randomBytes(KEY_BYTES),
    publicKey: (secretKey) => ed25519Signer(secretKey).publicKey,
    signer: ed25519Signer,
    verifier: ed25519Verifier,
    sign: (secretKey, message) => ed25519Signer(secretKey).sign(message),
    verify: (publicKey, message, signature) => ed25519Verifier(publicKey).verify(message, signature),
  },
  x25519: {
    generateSecretKey: () => randomBytes(KEY_BYTES),
    publicKey(secretKey) {
      requireLength(secretKey, KEY_BYTES, 'BAD_KEY_LENGTH', 'X25519 secret key');
      return x25519.getPublicKey(secretKey);
    },
    sharedSecret: x25519SharedSecret,
  },
  hkdfSha256(ikm, salt, info, length) {
    checkHkdfArgs(info, length);
    return hkdf(sha256, ikm, salt, info, length);
  },
  hmacSha256: (key, data) => hmac(sha256, key, data),
  aead: { seal, open },
  aeadKey,
  async scrypt(passphrase, salt, params) {
    checkScryptParams(params);
    const { N, r, p, dkLen } = params;
    return scryptAsync(passphrase, salt, { N, r, p, dkLen, maxmem: scryptMemory(params) });
  },
};
