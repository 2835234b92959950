/**
 * Ed25519 public keys of small order (the 8-torsion points), in every encoding that decodes to one.
 *
 * Under such a key a signature made of a small-order R and S = 0 verifies for arbitrary messages
 * (OpenSSL accepts it; @noble's strict mode refuses it), so it binds the key to nothing. Both
 * providers refuse these keys, which keeps verification identical across runtimes and gives
 * strong binding (a signature names one key and one message). Same list as libsodium's
 * `has_small_order`: compared with the sign bit cleared, it covers both signs of each point and the
 * non-canonical encodings y = p and y = p + 1.
 */
const SMALL_ORDER_Y = [
  '0000000000000000000000000000000000000000000000000000000000000000', // y = 0, order 4
  '0100000000000000000000000000000000000000000000000000000000000000', // y = 1, the identity
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // y = p − 1, order 2
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // y = p ≡ 0, non-canonical
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // y = p + 1 ≡ 1, non-canonical
].map((hex) => Uint8Array.from(hex.match(/../g) ?? [], (byte) => parseInt(byte, 16)));

/** True when `publicKey` (32 bytes) encodes a point of order 1, 2, 4 or 8. */
export function isSmallOrderEncoding(publicKey: Uint8Array): boolean {
  const y = Uint8Array.from(publicKey);
  y[31] = (y[31] ?? 0) & 0x7f; // the sign bit picks ±x, which has the same order
  return SMALL_ORDER_Y.some((candidate) => candidate.every((byte, i) => byte === y[i]));
}
