import { CryptoError, type CryptoErrorCode } from './crypto-error.ts';
import { HKDF_MAX_INFO_BYTES, HKDF_MAX_LENGTH, type ScryptParams } from './crypto-provider.ts';

/**
 * Input checks both providers run before calling their backend, so node:crypto and @noble refuse
 * exactly the same inputs with the same `CryptoError` instead of each library's own error.
 */

export function requireLength(bytes: Uint8Array, length: number, code: CryptoErrorCode, what: string): void {
  if (bytes.length !== length) throw new CryptoError(code, `${what} must be ${length} bytes, got ${bytes.length}`);
}

export function checkHkdfArgs(info: Uint8Array, length: number): void {
  if (!Number.isSafeInteger(length) || length < 1 || length > HKDF_MAX_LENGTH) {
    throw new CryptoError('BAD_LENGTH', `HKDF-SHA256 output length must be 1..${HKDF_MAX_LENGTH}, got ${length}`);
  }
  if (info.length > HKDF_MAX_INFO_BYTES) {
    throw new CryptoError('BAD_LENGTH', `HKDF info must be at most ${HKDF_MAX_INFO_BYTES} bytes, got ${info.length}`);
  }
}

/** Cap on scrypt's working memory: a hostile or corrupt key file must not make us allocate more. */
export const SCRYPT_MAX_MEMORY = 2 ** 30;

/**
 * scrypt's working memory as OpenSSL counts it (B: 128·r·p, V: 128·r·(N+2)); node:crypto needs
 * `maxmem` at least this large, and @noble's own count (128·r·(N+p+1)) never exceeds it.
 */
export function scryptMemory({ N, r, p }: ScryptParams): number {
  return 128 * r * (N + p + 2);
}

/** RFC 7914 §2 bounds (N a power of two below 2^(16r)), plus the memory cap. */
export function checkScryptParams(params: ScryptParams): void {
  const { N, r, p, dkLen } = params;
  const bad = (why: string): never => {
    throw new CryptoError('BAD_SCRYPT_PARAMS', `scrypt ${why} (N=${N}, r=${r}, p=${p}, dkLen=${dkLen})`);
  };
  if (![N, r, p, dkLen].every((n) => Number.isSafeInteger(n) && n >= 1)) bad('parameters must be positive integers');
  if (N < 2 || !Number.isInteger(Math.log2(N))) bad('N must be a power of two ≥ 2');
  if (N >= 2 ** (16 * r)) bad('N must be below 2^(16·r)');
  if (dkLen > SCRYPT_MAX_MEMORY) bad(`dkLen must be at most ${SCRYPT_MAX_MEMORY}`);
  if (scryptMemory(params) > SCRYPT_MAX_MEMORY) bad(`needs more than ${SCRYPT_MAX_MEMORY} bytes of memory`);
}
