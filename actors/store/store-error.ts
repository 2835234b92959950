/**
 * Every way the object store refuses input or finds damage, as one typed error.
 * `code` is stable (callers and tests switch on it); the message names the offending type, field or hash.
 */
export type StoreErrorCode =
  | 'UNKNOWN_TYPE' // $type$ has no registered recipe
  | 'RECIPE_CONFLICT' // a different recipe registered under a taken name
  | 'INVALID_RECIPE' // the recipe itself is malformed
  | 'MISSING_FIELD' // a required field is absent
  | 'UNKNOWN_FIELD' // a field the recipe does not name
  | 'FIELD_TYPE' // a field holds a value of the wrong type
  | 'TOO_LARGE' // the encoded object exceeds MAX_OBJECT_BYTES
  | 'NOT_FOUND' // no object, version or BLOB under that hash
  | 'HASH_MISMATCH' // stored bytes do not hash to their address: corruption
  | 'CORRUPT' // stored bytes do not decode, or decode to an invalid object
  | 'NOT_VERSIONED' // a versioned operation on a type without identity fields
  | 'CLOSED'; // the store was closed

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  return error instanceof StoreError && (code === undefined || error.code === code);
}
