import { isStoreError } from '../store/store-error.ts';

/**
 * Why a CHUM session failed (specs/chum.md §8). `code` is stable; the same codes travel in an
 * `error` message, so both ends can say what went wrong.
 */
export type ChumErrorCode =
  | 'PROTOCOL' // a message that is malformed, out of order or outside the windows
  | 'VERSION' // the peer speaks another protocol version
  | 'OVERSIZED' // a message over MAX_MESSAGE_BYTES
  | 'UNSOLICITED' // an object or chunk that was never asked for
  | 'HASH_MISMATCH' // bytes that do not hash to the hash they were sent for
  | 'CORRUPT' // an object that does not decode in canonical form
  | 'INVALID_OBJECT' // an object that does not fit its recipe (or has no recipe here)
  | 'TOO_LARGE' // an object over the 1 MiB limit
  | 'BAD_SIGNATURE' // a Signature that does not verify under its keys
  | 'UNVERIFIABLE' // a Signature whose keys the peer cannot supply
  | 'TIMEOUT' // the peer left a request unanswered too long
  | 'REMOTE' // the peer reported an error (its code is in the message)
  | 'STORE'; // the local store failed

export class ChumError extends Error {
  override readonly name = 'ChumError';
  constructor(
    readonly code: ChumErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isChumError(error: unknown, code?: ChumErrorCode): error is ChumError {
  return error instanceof ChumError && (code === undefined || error.code === code);
}

const RECIPE_CODES = new Set(['UNKNOWN_TYPE', 'MISSING_FIELD', 'UNKNOWN_FIELD', 'FIELD_TYPE', 'NOT_VERSIONED']);

/** What a store refusal of received bytes means on the wire; anything else is a local failure. */
export function chumErrorOf(error: unknown): ChumError {
  if (error instanceof ChumError) return error;
  if (isStoreError(error)) {
    if (error.code === 'CORRUPT' || error.code === 'HASH_MISMATCH' || error.code === 'TOO_LARGE') return new ChumError(error.code, error.message);
    if (RECIPE_CODES.has(error.code)) return new ChumError('INVALID_OBJECT', `${error.code}: ${error.message}`);
  }
  return new ChumError('STORE', error instanceof Error ? error.message : String(error));
}
