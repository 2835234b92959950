import * as dagCbor from '@ipld/dag-cbor';
import { CryptoError } from '../crypto/crypto-error.ts';
import { DEFAULT_SCRYPT_PARAMS, NONCE_BYTES, type CryptoProvider, type ScryptParams } from '../crypto/crypto-provider.ts';
import { IdentityError } from './identity-error.ts';

/**
 * Secret keys at rest (specs/keys.md §4): one vault key is derived from the passphrase with scrypt;
 * each secret is sealed with ChaCha20-Poly1305 under it, bound by its AAD to the name it is stored
 * under, so a sealed secret cannot be swapped into another slot. The header (scrypt parameters,
 * salt and a sealed check value) tells a wrong passphrase from a damaged secret.
 */
const VERSION = 1;
const CHECK = new TextEncoder().encode('lama key vault');

interface VaultHeader {
  v: number;
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: Uint8Array;
  check: Uint8Array;
}

export class KeyVault {
  private constructor(
    private readonly crypto: CryptoProvider,
    private readonly key: Uint8Array,
  ) {}

  /** A new vault under `passphrase`; store `header` beside the sealed secrets. */
  static async create(crypto: CryptoProvider, passphrase: string, params: Omit<ScryptParams, 'dkLen'> = DEFAULT_SCRYPT_PARAMS): Promise<{ vault: KeyVault; header: Uint8Array }> {
    const salt = crypto.randomBytes(16);
    const vault = new KeyVault(crypto, await deriveKey(crypto, passphrase, salt, params));
    const header: VaultHeader = { v: VERSION, kdf: 'scrypt', N: params.N, r: params.r, p: params.p, salt, check: vault.seal('check', CHECK) };
    return { vault, header: dagCbor.encode(header) };
  }

  static async unlock(crypto: CryptoProvider, headerBytes: Uint8Array, passphrase: string): Promise<KeyVault> {
    const header = decodeHeader(headerBytes);
    const vault = new KeyVault(crypto, await deriveKey(crypto, passphrase, header.salt, header));
    try {
      vault.#openRaw('check', header.check);
    } catch {
      throw new IdentityError('WRONG_PASSPHRASE', 'the passphrase does not unlock this identity');
    }
    return vault;
  }

  /** nonce ‖ ciphertext ‖ tag, with a fresh random nonce (one key seals only a handful of secrets). */
  seal(name: string, plaintext: Uint8Array): Uint8Array {
    const nonce = this.crypto.randomBytes(NONCE_BYTES);
    const sealed = this.crypto.aead.seal(this.key, nonce, plaintext, aadFor(name));
    const out = new Uint8Array(nonce.byteLength + sealed.byteLength);
    out.set(nonce);
    out.set(sealed, nonce.byteLength);
    return out;
  }

  open(name: string, sealed: Uint8Array): Uint8Array {
    try {
      return this.#openRaw(name, sealed);
    } catch (error) {
      if (error instanceof CryptoError) throw new IdentityError('CORRUPT_SECRET', `sealed secret ${name} is damaged or belongs elsewhere`);
      throw error;
    }
  }

  #openRaw(name: string, sealed: Uint8Array): Uint8Array {
    if (sealed.byteLength < NONCE_BYTES) throw new CryptoError('AEAD_AUTH_FAILED', 'sealed secret is too short');
    return this.crypto.aead.open(this.key, sealed.subarray(0, NONCE_BYTES), sealed.subarray(NONCE_BYTES), aadFor(name));
  }
}

function aadFor(name: string): Uint8Array {
  return new TextEncoder().encode(`lama/vault/v${VERSION}/${name}`);
}

function deriveKey(crypto: CryptoProvider, passphrase: string, salt: Uint8Array, params: Omit<ScryptParams, 'dkLen'>): Promise<Uint8Array> {
  // NFC, so the same passphrase typed on two keyboards yields the same bytes.
  const bytes = new TextEncoder().encode(passphrase.normalize('NFC'));
  return crypto.scrypt(bytes, salt, { N: params.N, r: params.r, p: params.p, dkLen: 32 });
}

function decodeHeader(bytes: Uint8Array): VaultHeader {
  let header: Partial<VaultHeader>;
  try {
    header = dagCbor.decode(bytes) as Partial<VaultHeader>;
  } catch {
    throw new IdentityError('CORRUPT_SECRET', 'the key vault header does not decode');
  }
  if (header.v !== VERSION || header.kdf !== 'scrypt') {
    throw new IdentityError('CORRUPT_SECRET', `key vault version ${String(header.v)} with kdf ${String(header.kdf)} is not supported`);
  }
  const ok = [header.N, header.r, header.p].every((n) => Number.isSafeInteger(n) && (n as number) > 0) && header.salt instanceof Uint8Array && header.check instanceof Uint8Array;
  if (!ok) throw new IdentityError('CORRUPT_SECRET', 'the key vault header is malformed');
  return header as VaultHeader;
}
