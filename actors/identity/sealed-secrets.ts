import { CryptoError } from '../crypto/crypto-error.ts';
import { NONCE_BYTES, type AeadKey, type CryptoProvider } from '../crypto/crypto-provider.ts';
import type { SecretEntry, StorageAdapter } from '../store/storage-adapter.ts';
import { IdentityError } from './identity-error.ts';
import type { Identity } from './identity.ts';

/**
 * Local secrets other than the identity's own keys — an LLM provider's API key, for one — sealed
 * at rest in the store's local-secret table (specs/llm-providers.md §7). The key comes from the
 * unlocked identity: HKDF-SHA256 over this Instance's X25519 secret key, which lives sealed in
 * the key vault, so these secrets open only after the passphrase has opened the vault, and only
 * on this instance (they are device settings and never sync). Each secret is ChaCha20-Poly1305
 * with a fresh random nonce and its name in the AAD, so a sealed value cannot be moved to another
 * name, and a wrong identity, a swapped slot and damaged bytes all fail the same way:
 * IdentityError CORRUPT_SECRET.
 *
 * Format: version (1 byte) ‖ nonce (12) ‖ ciphertext ‖ tag (16).
 */
const VERSION = 1;
const encoder = new TextEncoder();

export class SealedSecrets {
  private constructor(
    private readonly crypto: CryptoProvider,
    private readonly key: AeadKey,
  ) {}

  static forIdentity(crypto: CryptoProvider, identity: Identity): SealedSecrets {
    const key = crypto.hkdfSha256(identity.instance.encryptionSecretKey, encoder.encode(`lama/sealed-secrets/v${VERSION}`), encoder.encode(identity.instanceId), 32);
    return new SealedSecrets(crypto, crypto.aeadKey(key));
  }

  seal(name: string, plaintext: Uint8Array): Uint8Array {
    const nonce = this.crypto.randomBytes(NONCE_BYTES);
    const sealed = this.key.seal(nonce, plaintext, aadFor(name));
    const out = new Uint8Array(1 + NONCE_BYTES + sealed.byteLength);
    out[0] = VERSION;
    out.set(nonce, 1);
    out.set(sealed, 1 + NONCE_BYTES);
    return out;
  }

  open(name: string, sealed: Uint8Array): Uint8Array {
    if (sealed.byteLength < 1 + NONCE_BYTES || sealed[0] !== VERSION) throw new IdentityError('CORRUPT_SECRET', `sealed secret ${name} is damaged or of an unknown version`);
    try {
      return this.key.open(sealed.subarray(1, 1 + NONCE_BYTES), sealed.subarray(1 + NONCE_BYTES), aadFor(name));
    } catch (error) {
      if (error instanceof CryptoError) throw new IdentityError('CORRUPT_SECRET', `sealed secret ${name} is damaged or belongs elsewhere`);
      throw error;
    }
  }

  /** A secret-table entry holding `value` sealed under `name`, to write in a batch with others. */
  entry(name: string, value: string): SecretEntry {
    return { name, value: this.seal(name, encoder.encode(value)) };
  }

  /** The text stored under `name`, or undefined when there is none. */
  async read(adapter: StorageAdapter, name: string): Promise<string | undefined> {
    const sealed = await adapter.getSecret(name);
    return sealed === undefined ? undefined : new TextDecoder().decode(this.open(name, sealed));
  }
}

function aadFor(name: string): Uint8Array {
  return encoder.encode(`lama/sealed-secret/v${VERSION}/${name}`);
}
