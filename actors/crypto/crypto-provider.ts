/**
 * The one crypto interface LAMA code calls (specs/keys.md §1). Two providers implement it:
 * node:crypto in Node (fastest there) and @noble/* in the browser (WebCrypto is async only and has
 * neither ChaCha20-Poly1305 nor scrypt). Both must return identical bytes for identical
 * input and refuse the same input with the same `CryptoError` code; the shared vector suite and
 * the cross-provider property test hold them to that.
 *
 * Primitives are synchronous because both backends are; only scrypt is async, so a 128 MiB
 * derivation runs on libuv's pool in Node and yields to the event loop in the browser.
 * Every returned byte array is a plain `Uint8Array` (never a Node `Buffer`), so code behaves the
 * same in both runtimes (`Buffer#slice` shares memory, `Uint8Array#slice` copies).
 */

/** Raw key size for Ed25519 seeds/public keys, X25519 keys and ChaCha20-Poly1305 keys. */
export const KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
/** RFC 5869: at most 255 blocks of the hash output. */
export const HKDF_MAX_LENGTH = 255 * 32;
/** node:crypto's hkdf refuses longer `info`; the browser provider applies the same bound. */
export const HKDF_MAX_INFO_BYTES = 1024;

/** Incremental SHA-256 for streamed BLOBs. */
export interface Sha256Stream {
  update(chunk: Uint8Array): void;
  digestHex(): string;
}

/** An imported signing key: the hot path signs without re-importing the key per call. */
export interface Ed25519Signer {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** An imported public key. `verify` returns false, never throws, for any malformed signature. */
export interface Ed25519Verifier {
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

export interface Ed25519 {
  /** A random 32-byte seed (RFC 8032 §5.1.5 "private key"). */
  generateSecretKey(): Uint8Array;
  publicKey(secretKey: Uint8Array): Uint8Array;
  signer(secretKey: Uint8Array): Ed25519Signer;
  /** Throws BAD_KEY_LENGTH for a key that is not 32 bytes; any 32 bytes are accepted here. */
  verifier(publicKey: Uint8Array): Ed25519Verifier;
  sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

export interface X25519 {
  generateSecretKey(): Uint8Array;
  publicKey(secretKey: Uint8Array): Uint8Array;
  /** Throws LOW_ORDER_POINT when the result would be all zeros (RFC 7748 §6.1). */
  sharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array;
}

/** ChaCha20-Poly1305 under one imported key; the output is ciphertext ‖ 16-byte tag. */
export interface AeadKey {
  seal(nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array;
  /** Throws AEAD_AUTH_FAILED when the tag does not verify. */
  open(nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array;
}

/** One-shot ChaCha20-Poly1305 (RFC 8439), for callers that use a key once. */
export interface Aead {
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array;
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array;
}

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  dkLen: number;
}

/** OWASP's scrypt recommendation: 128 MiB, roughly 0.2–0.5 s on a laptop core. */
export const DEFAULT_SCRYPT_PARAMS: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 17, r: 8, p: 1, dkLen: 32 });

export interface CryptoProvider {
  /** Which implementation this is, for test names and diagnostics. */
  readonly name: string;
  sha256(data: Uint8Array): Uint8Array;
  /** Lowercase hex, the form object addresses take (specs/objects.md). */
  sha256Hex(data: Uint8Array): string;
  createSha256(): Sha256Stream;
  randomBytes(length: number): Uint8Array;
  readonly ed25519: Ed25519;
  readonly x25519: X25519;
  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  readonly aead: Aead;
  aeadKey(key: Uint8Array): AeadKey;
  scrypt(passphrase: Uint8Array, salt: Uint8Array, params: ScryptParams): Promise<Uint8Array>;
}
