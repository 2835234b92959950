import { describe, expect, it } from 'vitest';
import { isCryptoError } from '../../crypto/crypto-error.ts';
import { nobleCrypto as crypto } from '../../crypto/noble-crypto.ts';
import { HandshakeState, MAX_NOISE_MESSAGE_BYTES, type KeyPair } from './handshake-state.ts';

const EMPTY = new Uint8Array(0);
const PROLOGUE = new TextEncoder().encode('test');

function keyPair(): KeyPair {
  const secretKey = crypto.x25519.generateSecretKey();
  return { secretKey, publicKey: crypto.x25519.publicKey(secretKey) };
}

function xx() {
  const [s1, s2] = [keyPair(), keyPair()];
  return {
    s1,
    s2,
    initiator: new HandshakeState(crypto, { pattern: 'XX', initiator: true, prologue: PROLOGUE, staticKeyPair: s1 }),
    responder: new HandshakeState(crypto, { pattern: 'XX', initiator: false, prologue: PROLOGUE, staticKeyPair: s2 }),
  };
}

describe('HandshakeState', () => {
  it('XX with fresh keys: both learn the other static key, agree on h, and the split keys pair up', () => {
    const { s1, s2, initiator, responder } = xx();
    responder.readMessage(initiator.writeMessage(EMPTY));
    initiator.readMessage(responder.writeMessage(EMPTY));
    responder.readMessage(initiator.writeMessage(EMPTY));
    expect(initiator.remoteStaticKey).toEqual(s2.publicKey);
    expect(responder.remoteStaticKey).toEqual(s1.publicKey);
    expect(initiator.handshakeHash).toEqual(responder.handshakeHash);
    const [i, r] = [initiator.split(), responder.split()];
    expect(r.receive.decryptWithAd(EMPTY, i.send.encryptWithAd(EMPTY, Uint8Array.of(1)))).toEqual(Uint8Array.of(1));
    expect(i.receive.decryptWithAd(EMPTY, r.send.encryptWithAd(EMPTY, Uint8Array.of(2)))).toEqual(Uint8Array.of(2));
  });

  it('a payload function sees h as it stands when the payload is encrypted; the reader gets the same h', () => {
    const { initiator, responder } = xx();
    responder.readMessage(initiator.writeMessage(EMPTY));
    let seen: Uint8Array | undefined;
    const message = responder.writeMessage((hash) => ((seen = hash), Uint8Array.of(7)));
    const { payload, hashBeforePayload } = initiator.readMessage(message);
    expect(payload).toEqual(Uint8Array.of(7));
    expect(hashBeforePayload).toEqual(seen);
  });

  it('refuses messages out of turn, and split before the end', () => {
    const { initiator, responder } = xx();
    expect(() => responder.writeMessage(EMPTY)).toThrow(expect.objectContaining({ code: 'WRONG_TURN' }));
    expect(() => initiator.readMessage(new Uint8Array(32))).toThrow(expect.objectContaining({ code: 'WRONG_TURN' }));
    expect(() => initiator.split()).toThrow(expect.objectContaining({ code: 'WRONG_TURN' }));
  });

  it('refuses payloads that would exceed 65535 bytes', () => {
    const { initiator } = xx();
    expect(() => initiator.writeMessage(new Uint8Array(MAX_NOISE_MESSAGE_BYTES - 31))).toThrow(expect.objectContaining({ code: 'TOO_LONG' }));
  });

  it('a low-order ephemeral key from the peer is refused (LOW_ORDER_POINT), not used', () => {
    const { responder } = xx();
    responder.readMessage(new Uint8Array(32)); // u = 0
    let thrown: unknown;
    try {
      responder.writeMessage(EMPTY);
    } catch (error) {
      thrown = error;
    }
    expect(isCryptoError(thrown, 'LOW_ORDER_POINT')).toBe(true);
  });

  it('needs the keys its pattern uses', () => {
    expect(() => new HandshakeState(crypto, { pattern: 'XX', initiator: true, prologue: EMPTY })).toThrow(TypeError);
    expect(() => new HandshakeState(crypto, { pattern: 'IK', initiator: true, prologue: EMPTY, staticKeyPair: keyPair() })).toThrow(TypeError);
    expect(() => new HandshakeState(crypto, { pattern: 'NN', initiator: false, prologue: EMPTY })).not.toThrow();
  });
});
