import { NONCE_BYTES, type AeadKey, type CryptoProvider } from '../../crypto/crypto-provider.ts';
import { NoiseError } from './noise-error.ts';

/**
 * Noise §5.1 CipherState for ChaChaPoly: a key k (or none) and a 64-bit message counter n that is
 * the AEAD nonce. §12.3 encodes n for ChaChaPoly as 32 zero bits then n little-endian in 64 bits.
 *
 * The key lives in an `AeadKey` handle, imported once per key rather than once per message, and
 * one 12-byte nonce buffer is rewritten per message (both providers read it synchronously and keep
 * no reference), so the transport path allocates nothing here beyond the ciphertext.
 * Rekey (§11.3) is optional and LAMA does not use it.
 */

/**
 * §5.1 reserves n = 2^64 − 1 and forbids using it; a JavaScript number counts exactly only to
 * 2^53 − 1, so that value is the reserved one here instead. No connection gets near either.
 */
const MAX_NONCE = Number.MAX_SAFE_INTEGER;
const TWO_POW_32 = 2 ** 32;

export class CipherState {
  readonly #crypto: CryptoProvider;
  #key: AeadKey | undefined;
  #n = 0;
  readonly #nonce = new Uint8Array(NONCE_BYTES);
  readonly #nonceView = new DataView(this.#nonce.buffer);

  constructor(crypto: CryptoProvider, key?: Uint8Array) {
    this.#crypto = crypto;
    if (key) this.initializeKey(key);
  }

  /** §5.1 InitializeKey: a new key restarts the counter. */
  initializeKey(key: Uint8Array): void {
    this.#key = this.#crypto.aeadKey(key);
    this.#n = 0;
  }

  hasKey(): boolean {
    return this.#key !== undefined;
  }

  /** The nonce the next message will use: the count of messages this state has sealed or opened. */
  get nonce(): number {
    return this.#n;
  }

  /** §5.1 EncryptWithAd: without a key the plaintext passes through unchanged. */
  encryptWithAd(ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    if (!this.#key) return plaintext;
    const sealed = this.#key.seal(this.#encodeNonce(this.#nextNonce()), plaintext, optionalAd(ad));
    this.#n++;
    return sealed;
  }

  /**
   * §5.1 DecryptWithAd. A tag that does not verify throws CryptoError AEAD_AUTH_FAILED and leaves
   * n unchanged, as the spec requires.
   */
  decryptWithAd(ad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    if (!this.#key) return ciphertext;
    const plaintext = this.#key.open(this.#encodeNonce(this.#nextNonce()), ciphertext, optionalAd(ad));
    this.#n++;
    return plaintext;
  }

  /**
   * Whether `ciphertext` authenticates under nonce `n`, without touching the counter. Not a Noise
   * operation: the secure channel uses it after a failure to tell a frame that belongs elsewhere in
   * the stream (replayed, reordered) from one that belongs nowhere (tampered).
   */
  opensAt(n: number, ad: Uint8Array, ciphertext: Uint8Array): boolean {
    if (!this.#key || !Number.isSafeInteger(n) || n < 0 || n >= MAX_NONCE) return false;
    try {
      this.#key.open(this.#encodeNonce(n), ciphertext, optionalAd(ad));
      return true;
    } catch {
      return false;
    }
  }

  #encodeNonce(n: number): Uint8Array {
    this.#nonceView.setUint32(4, n % TWO_POW_32, true);
    this.#nonceView.setUint32(8, Math.floor(n / TWO_POW_32), true);
    return this.#nonce;
  }

  #nextNonce(): number {
    if (this.#n >= MAX_NONCE) throw new NoiseError('NONCE_EXHAUSTED', 'this CipherState has used every nonce');
    return this.#n;
  }
}

/** An empty AD authenticates exactly like no AD; passing none skips a setAAD call per frame. */
function optionalAd(ad: Uint8Array): Uint8Array | undefined {
  return ad.length > 0 ? ad : undefined;
}
