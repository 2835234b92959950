import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { isSmallOrderEncoding } from './ed25519-small-order.ts';

const { Point } = ed25519;

describe('isSmallOrderEncoding', () => {
  // The 8-torsion subgroup is cyclic: the multiples of one point of order 8 are all of it.
  const order8 = Point.fromBytes(hexToBytes('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'));
  const torsion = Array.from({ length: 8 }, (_, i) => order8.multiplyUnsafe(BigInt(i + 1)));

  it('recognises all eight small-order points in their canonical encoding', () => {
    expect(new Set(torsion.map((point) => point.toHex())).size).toBe(8);
    for (const point of torsion) expect(isSmallOrderEncoding(point.toBytes()), point.toHex()).toBe(true);
  });

  it('recognises the non-canonical encodings y = p and y = p + 1, and x = 0 with the sign bit set', () => {
    for (const hex of [
      'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      '0100000000000000000000000000000000000000000000000000000000000080',
      'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    ]) {
      expect(Point.fromBytes(hexToBytes(hex), true).isSmallOrder(), hex).toBe(true); // zip215 decoding admits them
      expect(isSmallOrderEncoding(hexToBytes(hex)), hex).toBe(true);
    }
  });

  it('does not flag ordinary public keys or their prime-order-plus-torsion neighbours', () => {
    for (let i = 0; i < 32; i++) {
      const publicKey = ed25519.getPublicKey(new Uint8Array(32).fill(i));
      expect(isSmallOrderEncoding(publicKey), bytesToHex(publicKey)).toBe(false);
      const mixed = Point.fromBytes(publicKey).add(order8).toBytes();
      expect(isSmallOrderEncoding(mixed), bytesToHex(mixed)).toBe(false);
    }
  });
});
