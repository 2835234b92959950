import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import { hexToBytes, type SHA256Hash } from '../store/hash.ts';
import type { ObjectStore } from '../store/object-store.ts';
import { isStoreError } from '../store/store-error.ts';
import type { KeyPairs } from './identity.ts';
import type { Keys, Signature } from './identity-recipes.ts';

/**
 * Signatures over object hashes (specs/keys.md §5). The signed message is a fixed domain prefix
 * followed by the 32 raw bytes of the hash, so a LAMA signature can never be replayed as a
 * signature over anything else. Whether the signer's keys are *trusted* is a separate question
 * (trust certificates, specs/pairing.md); this layer checks that the keys belong to the issuer
 * and that the signature is valid under them.
 */
const DOMAIN = new TextEncoder().encode('lama/signature/v1\n');

export function signatureMessage(hash: SHA256Hash): Uint8Array {
  const message = new Uint8Array(DOMAIN.byteLength + 32);
  message.set(DOMAIN);
  message.set(hexToBytes(hash), DOMAIN.byteLength);
  return message;
}

/** Signs `data` as `issuer` (a Person or Instance id) with its key pairs and stores the Signature. */
export async function signHash(store: ObjectStore, issuer: SHA256Hash, keys: KeyPairs, data: SHA256Hash): Promise<SHA256Hash> {
  const signature: Signature = { $type$: 'Signature', issuer, keys: keys.keysHash, data, signature: keys.signer.sign(signatureMessage(data)) };
  return store.put(signature);
}

export type SignatureCheck =
  | { readonly valid: true; readonly issuer: SHA256Hash; readonly data: SHA256Hash }
  | { readonly valid: false; readonly reason: string };

/** Checks one stored Signature: its keys exist, belong to its issuer, and verify it. */
export async function verifySignature(store: ObjectStore, crypto: CryptoProvider, signatureHash: SHA256Hash): Promise<SignatureCheck> {
  const signature = await store.get<Signature>(signatureHash);
  if (signature.$type$ !== 'Signature') return { valid: false, reason: `${signatureHash} is a ${signature.$type$}, not a Signature` };
  let keys: Keys;
  try {
    keys = await store.get<Keys>(signature.keys);
  } catch (error) {
    if (isStoreError(error, 'NOT_FOUND')) return { valid: false, reason: `the signing keys ${signature.keys} are not in this store` };
    throw error;
  }
  if (keys.$type$ !== 'Keys' || keys.owner !== signature.issuer) {
    return { valid: false, reason: `the keys ${signature.keys} do not belong to the issuer ${signature.issuer}` };
  }
  if (!crypto.ed25519.verify(keys.publicSignKey, signatureMessage(signature.data), signature.signature)) {
    return { valid: false, reason: 'the signature does not verify under the issuer\'s key' };
  }
  return { valid: true, issuer: signature.issuer, data: signature.data };
}

/** Issuers with a valid signature over `data`, found through the reverse map. */
export async function signersOf(store: ObjectStore, crypto: CryptoProvider, data: SHA256Hash): Promise<SHA256Hash[]> {
  const issuers = new Set<SHA256Hash>();
  for (const hash of await store.referencing(data, 'Signature')) {
    const check = await verifySignature(store, crypto, hash);
    if (check.valid && check.data === data) issuers.add(check.issuer);
  }
  return [...issuers].sort();
}
