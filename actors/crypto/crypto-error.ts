/**
 * Every way a crypto primitive refuses its input, as one typed error.
 * Both providers throw the same code for the same input, so callers (handshake, key store) switch
 * on `code` and never on a library's message text, which differs between node:crypto and @noble.
 */
export type CryptoErrorCode =
  | 'LOW_ORDER_POINT' // X25519 produced the all-zero shared secret (RFC 7748 §6.1)
  | 'AEAD_AUTH_FAILED' // the tag does not match: wrong key, nonce, AAD, or tampered bytes
  | 'BAD_KEY_LENGTH' // a key is not the fixed size its algorithm takes
  | 'BAD_NONCE_LENGTH' // an AEAD nonce is not 12 bytes
  | 'BAD_LENGTH' // an HKDF output or info length outside the contract's bounds
  | 'BAD_SCRYPT_PARAMS'; // scrypt cost parameters outside RFC 7914 or our memory cap

export class CryptoError extends Error {
  override readonly name = 'CryptoError';
  constructor(
    readonly code: CryptoErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isCryptoError(error: unknown, code?: CryptoErrorCode): error is CryptoError {
  return error instanceof CryptoError && (code === undefined || error.code === code);
}
