import { expect } from 'vitest';
import { CryptoError, type CryptoErrorCode } from '../crypto-error.ts';

/** Asserts that `run` throws a CryptoError carrying exactly `code` (not some library's own error). */
export function expectCryptoError(run: () => unknown, code: CryptoErrorCode): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expectCode(thrown, code);
}

/** The same for async primitives (scrypt): the promise must reject with that code. */
export async function expectCryptoRejection(run: () => Promise<unknown>, code: CryptoErrorCode): Promise<void> {
  let thrown: unknown;
  try {
    await run();
  } catch (error) {
    thrown = error;
  }
  expectCode(thrown, code);
}

function expectCode(thrown: unknown, code: CryptoErrorCode): void {
  expect(thrown, `expected CryptoError ${code}`).toBeInstanceOf(CryptoError);
  expect((thrown as CryptoError).code).toBe(code);
}
