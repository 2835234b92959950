import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, isSHA256Hash } from './hash.ts';

describe('hash helpers', () => {
  it('round-trips hex', () => {
    const bytes = new Uint8Array([0, 1, 127, 128, 255]);
    expect(bytesToHex(bytes)).toBe('00017f80ff');
    expect(hexToBytes('00017f80ff')).toEqual(bytes);
  });
  it('recognises only lowercase 64-digit hex as a hash', () => {
    expect(isSHA256Hash('a'.repeat(64))).toBe(true);
    expect(isSHA256Hash('A'.repeat(64))).toBe(false);
    expect(isSHA256Hash('a'.repeat(63))).toBe(false);
    expect(isSHA256Hash(42)).toBe(false);
  });
  it('refuses malformed hex', () => {
    expect(() => hexToBytes('abc')).toThrow(TypeError);
    expect(() => hexToBytes('zz')).toThrow(TypeError);
  });
});
