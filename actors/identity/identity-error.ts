export type IdentityErrorCode =
  | 'NO_IDENTITY' // this store holds no user yet
  | 'ALREADY_EXISTS' // a user was already created in this store
  | 'WRONG_PASSPHRASE' // the passphrase does not unlock the key vault
  | 'KEY_MISMATCH' // stored secret keys do not match the published Keys object
  | 'CORRUPT_SECRET'; // a sealed secret is damaged or of an unknown version

export class IdentityError extends Error {
  override readonly name = 'IdentityError';
  constructor(
    readonly code: IdentityErrorCode,
    message: string,
  ) {
    super(message);
  }
}
