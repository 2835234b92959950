/**
 * How the Noise layer refuses a message or a call, as one typed error. Authentication failures are
 * not here: they surface as the provider's CryptoError (AEAD_AUTH_FAILED, LOW_ORDER_POINT), which
 * callers already switch on.
 */
export type NoiseErrorCode =
  | 'MALFORMED' // a handshake message is shorter than its tokens need
  | 'TOO_LONG' // a handshake message over the 65535 bytes Noise allows (§3)
  | 'WRONG_TURN' // writeMessage/readMessage out of turn, or after the handshake completed
  | 'NONCE_EXHAUSTED'; // a CipherState used every nonce it may (§5.1)

export class NoiseError extends Error {
  override readonly name = 'NoiseError';
  constructor(
    readonly code: NoiseErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isNoiseError(error: unknown, code?: NoiseErrorCode): error is NoiseError {
  return error instanceof NoiseError && (code === undefined || error.code === code);
}
