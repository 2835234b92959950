import type { CryptoProvider } from '../../crypto/crypto-provider.ts';
import { CipherState } from './cipher-state.ts';

/** HASHLEN for SHA256 (Noise §4.3). */
export const HASH_BYTES = 32;
const EMPTY = new Uint8Array(0);

/**
 * Noise §5.2 SymmetricState: the chaining key ck, the handshake hash h, and the CipherState whose
 * key MixKey sets. Everything a handshake message carries after the first DH is encrypted with h as
 * associated data, so each message authenticates the whole transcript before it.
 */
export class SymmetricState {
  readonly #crypto: CryptoProvider;
  #ck: Uint8Array;
  #h: Uint8Array;
  readonly cipher: CipherState;

  /** §5.2 InitializeSymmetric. */
  constructor(crypto: CryptoProvider, protocolName: string) {
    this.#crypto = crypto;
    const name = new TextEncoder().encode(protocolName);
    if (name.length <= HASH_BYTES) {
      this.#h = new Uint8Array(HASH_BYTES);
      this.#h.set(name);
    } else {
      this.#h = crypto.sha256(name);
    }
    this.#ck = this.#h.slice();
    this.cipher = new CipherState(crypto);
  }

  get handshakeHash(): Uint8Array {
    return this.#h.slice();
  }

  mixKey(inputKeyMaterial: Uint8Array): void {
    const [ck, key] = noiseHkdf(this.#crypto, this.#ck, inputKeyMaterial, 2);
    this.#ck = ck;
    this.cipher.initializeKey(key);
  }

  mixHash(data: Uint8Array): void {
    const input = new Uint8Array(this.#h.length + data.length);
    input.set(this.#h);
    input.set(data, this.#h.length);
    this.#h = this.#crypto.sha256(input);
  }

  /** For pre-shared keys (§9); none of LAMA's patterns has a psk token. */
  mixKeyAndHash(inputKeyMaterial: Uint8Array): void {
    const [ck, hashInput, key] = noiseHkdf(this.#crypto, this.#ck, inputKeyMaterial, 3);
    this.#ck = ck;
    this.mixHash(hashInput);
    this.cipher.initializeKey(key);
  }

  encryptAndHash(plaintext: Uint8Array): Uint8Array {
    const ciphertext = this.cipher.encryptWithAd(this.#h, plaintext);
    this.mixHash(ciphertext);
    return ciphertext;
  }

  decryptAndHash(ciphertext: Uint8Array): Uint8Array {
    const plaintext = this.cipher.decryptWithAd(this.#h, ciphertext);
    this.mixHash(ciphertext);
    return plaintext;
  }

  /** §5.2 Split: the initiator sends with the first CipherState, the responder with the second. */
  split(): [CipherState, CipherState] {
    const [first, second] = noiseHkdf(this.#crypto, this.#ck, EMPTY, 2);
    return [new CipherState(this.#crypto, first), new CipherState(this.#crypto, second)];
  }
}

/**
 * Noise §4.3 HKDF(chaining_key, input_key_material, num_outputs), written with HMAC-SHA256 as the
 * spec writes it: temp_key = HMAC(ck, ikm); output_i = HMAC(temp_key, output_{i-1} ‖ byte(i)).
 */
export function noiseHkdf(crypto: CryptoProvider, chainingKey: Uint8Array, inputKeyMaterial: Uint8Array, outputs: 2): [Uint8Array, Uint8Array];
export function noiseHkdf(crypto: CryptoProvider, chainingKey: Uint8Array, inputKeyMaterial: Uint8Array, outputs: 3): [Uint8Array, Uint8Array, Uint8Array];
export function noiseHkdf(crypto: CryptoProvider, chainingKey: Uint8Array, inputKeyMaterial: Uint8Array, outputs: 2 | 3): Uint8Array[] {
  const tempKey = crypto.hmacSha256(chainingKey, inputKeyMaterial);
  const result: Uint8Array[] = [];
  let previous: Uint8Array = EMPTY;
  for (let i = 1; i <= outputs; i++) {
    const input = new Uint8Array(previous.length + 1);
    input.set(previous);
    input[previous.length] = i;
    previous = crypto.hmacSha256(tempKey, input);
    result.push(previous);
  }
  return result;
}
