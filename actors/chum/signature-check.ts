import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import type { Keys, Signature } from '../identity/identity-recipes.ts';
import { signatureMessage } from '../identity/signatures.ts';
import type { SHA256Hash } from '../store/hash.ts';
import type { LamaObject } from '../store/recipes.ts';
import { ChumError } from './chum-error.ts';

/**
 * A Signature that arrives is stored only if it verifies (specs/keys.md §4): its Keys belong to
 * its issuer and the Ed25519 signature over the hash it names is valid. Whether those keys are
 * trusted is a separate question (pairing); an invalid signature is a peer sending forgeries.
 */
export function checkSignature(hash: SHA256Hash, signature: Signature, keys: LamaObject, crypto: Pick<CryptoProvider, 'ed25519'>): void {
  const k = keys as Keys;
  if (k.$type$ !== 'Keys' || k.owner !== signature.issuer) {
    throw new ChumError('BAD_SIGNATURE', `Signature ${hash}: the keys ${signature.keys} do not belong to its issuer ${signature.issuer}`);
  }
  let valid: boolean;
  try {
    valid = crypto.ed25519.verify(k.publicSignKey, signatureMessage(signature.data), signature.signature);
  } catch {
    valid = false; // a key of the wrong length
  }
  if (!valid) {
    throw new ChumError('BAD_SIGNATURE', `Signature ${hash} does not verify under the issuer's key`);
  }
}
