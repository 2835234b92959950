import { describe, expect, it } from 'vitest';
import { isCryptoError } from '../../crypto/crypto-error.ts';
import { nobleCrypto as crypto } from '../../crypto/noble-crypto.ts';
import { CipherState } from './cipher-state.ts';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i);
const EMPTY = new Uint8Array(0);
const text = (value: string) => new TextEncoder().encode(value);

/** Noise §12.3's ChaChaPoly nonce, written out independently: 4 zero bytes, then n as u64 little-endian. */
function rfcNonce(n: bigint): Uint8Array {
  const nonce = new Uint8Array(12);
  new DataView(nonce.buffer).setBigUint64(4, n, true);
  return nonce;
}

describe('CipherState (ChaChaPoly)', () => {
  it('without a key passes plaintext through, as §5.1 says', () => {
    const cipher = new CipherState(crypto);
    expect(cipher.hasKey()).toBe(false);
    expect(cipher.encryptWithAd(text('ad'), text('hello'))).toEqual(text('hello'));
    expect(cipher.nonce).toBe(0);
  });

  it('seals message n under the nonce 0x00000000 ‖ LE64(n), with the AD authenticated', () => {
    const cipher = new CipherState(crypto, KEY);
    for (let n = 0n; n < 3n; n++) {
      expect(cipher.encryptWithAd(text('ad'), text(`m${n}`))).toEqual(crypto.aead.seal(KEY, rfcNonce(n), text(`m${n}`), text('ad')));
    }
    expect(cipher.nonce).toBe(3);
  });

  it('encodes nonces past 2^32 in both 32-bit halves (checked through opensAt)', () => {
    const cipher = new CipherState(crypto, KEY);
    const n = 2 ** 32 + 5;
    const sealed = crypto.aead.seal(KEY, rfcNonce(BigInt(n)), text('far'));
    expect(cipher.opensAt(n, EMPTY, sealed)).toBe(true);
    expect(cipher.opensAt(5, EMPTY, sealed)).toBe(false);
    expect(cipher.opensAt(2 ** 32, EMPTY, sealed)).toBe(false);
    expect(cipher.nonce).toBe(0);
  });

  it('a message that does not authenticate throws AEAD_AUTH_FAILED and leaves n unchanged', () => {
    const sender = new CipherState(crypto, KEY);
    const receiver = new CipherState(crypto, KEY);
    const first = sender.encryptWithAd(EMPTY, text('one'));
    const tampered = first.slice();
    tampered[0]! ^= 1;
    expect(() => receiver.decryptWithAd(EMPTY, tampered)).toThrow(expect.objectContaining({ code: 'AEAD_AUTH_FAILED' }));
    expect(receiver.nonce).toBe(0);
    expect(receiver.decryptWithAd(EMPTY, first)).toEqual(text('one'));
    expect(receiver.nonce).toBe(1);
  });

  it('a replayed or reordered message fails: the counter is the nonce', () => {
    const sender = new CipherState(crypto, KEY);
    const receiver = new CipherState(crypto, KEY);
    const [a, b] = [sender.encryptWithAd(EMPTY, text('a')), sender.encryptWithAd(EMPTY, text('b'))];
    const attempt = (message: Uint8Array) => {
      try {
        return receiver.decryptWithAd(EMPTY, message);
      } catch (error) {
        return isCryptoError(error, 'AEAD_AUTH_FAILED') ? 'refused' : error;
      }
    };
    expect(attempt(b)).toBe('refused');
    expect(attempt(a)).toEqual(text('a'));
    expect(attempt(a)).toBe('refused');
    expect(attempt(b)).toEqual(text('b'));
  });
});
