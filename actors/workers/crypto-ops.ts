import { isCryptoError } from '../crypto/crypto-error.ts';
import { SIGNATURE_BYTES, type CryptoProvider } from '../crypto/crypto-provider.ts';
import type { OpHandlers, WorkerOps } from './ops.ts';
import { bytes, list, optionalBytes, record } from './protocol.ts';

/**
 * The crypto worker's ops (ops.ts `crypto`) over any CryptoProvider: the Node entry passes
 * node:crypto, tests may pass @noble. Key errors from the provider (a CryptoError such as
 * BAD_KEY_LENGTH) reach the caller as TASK_FAILED with the CryptoError code in `detail`.
 */
export function cryptoOps(crypto: CryptoProvider): OpHandlers<WorkerOps['crypto']> {
  // Importing a key costs about as much as one signature (node-crypto.node.ts), and callers sign
  // many small messages under few keys, so each worker keeps its recently used keys imported.
  const signers = new KeyCache((key) => crypto.ed25519.signer(key));
  const verifiers = new KeyCache((key) => crypto.ed25519.verifier(key));
  const aeadKeys = new KeyCache((key) => crypto.aeadKey(key));

  return {
    sign: (payload) => {
      const p = record(payload);
      return signers.get(bytes(p.secretKey, 'secretKey')).sign(bytes(p.message, 'message'));
    },
    signBatch: (payload, transfer) => {
      const p = record(payload);
      const signer = signers.get(bytes(p.secretKey, 'secretKey'));
      const messages = list(p.messages, 'messages').map((m, i) => bytes(m, `messages[${i}]`));
      // One buffer for all signatures: one transfer back instead of one per signature.
      const packed = new Uint8Array(messages.length * SIGNATURE_BYTES);
      const signatures = messages.map((message, i) => {
        packed.set(signer.sign(message), i * SIGNATURE_BYTES);
        return packed.subarray(i * SIGNATURE_BYTES, (i + 1) * SIGNATURE_BYTES);
      });
      transfer(packed.buffer);
      return signatures;
    },
    verifyBatch: (payload) =>
      list(record(payload).items, 'items').map((item, i) => {
        const it = record(item, `items[${i}]`);
        return verifiers.get(bytes(it.publicKey, `items[${i}].publicKey`)).verify(bytes(it.message, `items[${i}].message`), bytes(it.signature, `items[${i}].signature`));
      }),
    sealBatch: (payload, transfer) => {
      const p = record(payload);
      const key = aeadKeys.get(bytes(p.key, 'key'));
      return list(p.items, 'items').map((item, i) => {
        const it = record(item, `items[${i}]`);
        const sealed = key.seal(bytes(it.nonce, `items[${i}].nonce`), bytes(it.plaintext, `items[${i}].plaintext`), optionalBytes(it.aad, `items[${i}].aad`));
        return movable(sealed, transfer);
      });
    },
    openBatch: (payload, transfer) => {
      const p = record(payload);
      const key = aeadKeys.get(bytes(p.key, 'key'));
      return list(p.items, 'items').map((item, i) => {
        const it = record(item, `items[${i}]`);
        try {
          const opened = key.open(bytes(it.nonce, `items[${i}].nonce`), bytes(it.sealed, `items[${i}].sealed`), optionalBytes(it.aad, `items[${i}].aad`));
          return movable(opened, transfer);
        } catch (error) {
          // A tag that does not verify is an answer about that item, not a failure of the batch.
          if (isCryptoError(error, 'AEAD_AUTH_FAILED')) return null;
          throw error;
        }
      });
    },
  };
}

/**
 * Moves `data` back to the caller rather than copying it. Only a buffer the array owns whole may be
 * moved: a view into a larger buffer (a provider's scratch space, say) is copied out first, since
 * transferring would detach memory someone else still uses.
 */
function movable(data: Uint8Array, transfer: (buffer: ArrayBuffer) => void): Uint8Array {
  const own = data.buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
  transfer(own.buffer as ArrayBuffer);
  return own;
}

/** The few most recently used imported keys, by key bytes. */
class KeyCache<T> {
  static readonly SIZE = 16;
  readonly #entries = new Map<string, T>();
  // Bursts use one key: comparing 32 bytes with the last key is cheaper than building the map key.
  #last: { key: Uint8Array; entry: T } | undefined;
  constructor(private readonly importKey: (key: Uint8Array) => T) {}

  get(key: Uint8Array): T {
    if (this.#last && sameBytes(this.#last.key, key)) return this.#last.entry;
    const id = String.fromCharCode(...key);
    let entry = this.#entries.get(id);
    if (entry === undefined) {
      entry = this.importKey(key);
      if (this.#entries.size >= KeyCache.SIZE) this.#entries.delete(this.#entries.keys().next().value!);
    } else {
      this.#entries.delete(id); // re-inserted below as the most recent
    }
    this.#entries.set(id, entry);
    this.#last = { key: key.slice(), entry };
    return entry;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
