/** A lowercase hex SHA-256 digest: the address of an object, an ID object or a BLOB (specs/objects.md §3). */
export type SHA256Hash = string & { readonly __sha256: unique symbol };

const HASH_PATTERN = /^[0-9a-f]{64}$/;

export function isSHA256Hash(value: unknown): value is SHA256Hash {
  return typeof value === 'string' && HASH_PATTERN.test(value);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += HEX[byte];
  return out;
}

export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new TypeError(`not a hex string: ${hex.slice(0, 16)}…`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
