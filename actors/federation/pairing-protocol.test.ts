import { describe, expect, it } from 'vitest';
import { nobleCrypto } from '../crypto/noble-crypto.ts';
import { knownInstanceKeys, type CardClaim } from '../identity/contacts.ts';
import { createIdentity, type Identity } from '../identity/identity.ts';
import { identityStore, TEST_KDF } from '../identity/identity-test-kit.ts';
import { createInvitation, InvitationBook } from './invitation.ts';
import { answerPairing, PairingError, requestPairing, type PairingSession } from './pairing-protocol.ts';

const crypto = nobleCrypto;

async function device(name: string) {
  const store = identityStore(crypto);
  const identity = await createIdentity(store, crypto, { name, instanceName: name, passphrase: 'pass phrase', kdf: TEST_KDF });
  return { store, identity };
}

const claim = (identity: Identity): CardClaim => ({
  personId: identity.personId,
  instanceId: identity.instanceId,
  signKey: identity.instance.signer.publicKey,
  staticKey: identity.instance.encryptionPublicKey,
});

/** Two sessions joined back to back, delivering asynchronously like a socket. */
function sessionPair(): [PairingSession, PairingSession] {
  const listeners: [Set<(b: Uint8Array) => void>, Set<(b: Uint8Array) => void>] = [new Set(), new Set()];
  const side = (me: 0 | 1): PairingSession => ({
    send: (body) => setTimeout(() => listeners[1 - me]!.forEach((l) => l(body.slice())), 0),
    on: (_type, listener) => {
      listeners[me].add(listener);
      return () => listeners[me].delete(listener);
    },
  });
  return [side(0), side(1)];
}

describe('pairing', () => {
  it('makes each side the other\'s contact with one invitation', async () => {
    const node = await device('node');
    const browser = await device('browser');
    const book = new InvitationBook();
    const { invitation } = createInvitation(crypto, node.identity, { url: 'ws://127.0.0.1:8765' });
    book.add(invitation);
    const [dialer, listener] = sessionPair();
    const [fromBrowser, fromNode] = await Promise.all([
      requestPairing(dialer, { ...browser, crypto, peer: claim(node.identity), invitation }),
      answerPairing(listener, { ...node, crypto, peer: claim(browser.identity), book }),
    ]);
    expect(fromBrowser).toMatch(/^[0-9a-f]{64}$/);
    expect(fromNode).toMatch(/^[0-9a-f]{64}$/);
    expect((await knownInstanceKeys(node.store, browser.identity.instanceId))?.publicSignKey).toEqual(browser.identity.instance.signer.publicKey);
    expect((await knownInstanceKeys(browser.store, node.identity.instanceId))?.publicSignKey).toEqual(node.identity.instance.signer.publicKey);
    expect(book.size).toBe(0);
  });

  it('refuses a used or unknown invitation, and both sides keep nothing', async () => {
    const node = await device('node');
    const browser = await device('browser');
    const book = new InvitationBook();
    const { invitation } = createInvitation(crypto, node.identity, { url: 'ws://127.0.0.1:8765' });
    const [dialer, listener] = sessionPair();
    const results = await Promise.allSettled([
      requestPairing(dialer, { ...browser, crypto, peer: claim(node.identity), invitation }),
      answerPairing(listener, { ...node, crypto, peer: claim(browser.identity), book }),
    ]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(PairingError);
      expect(((result as PromiseRejectedResult).reason as PairingError).code).toBe('INVITATION_UNKNOWN');
    }
    expect(await knownInstanceKeys(node.store, browser.identity.instanceId)).toBeUndefined();
    expect(await knownInstanceKeys(browser.store, node.identity.instanceId)).toBeUndefined();
  });

  it('refuses a card that is not the handshake\'s peer', async () => {
    const node = await device('node');
    const browser = await device('browser');
    const eve = await device('eve');
    const book = new InvitationBook();
    const { invitation } = createInvitation(crypto, node.identity, { url: 'ws://x' });
    book.add(invitation);
    const [dialer, listener] = sessionPair();
    const results = await Promise.allSettled([
      requestPairing(dialer, { ...browser, crypto, peer: claim(node.identity), invitation }),
      // The listener saw Eve's keys in the handshake, but the card is the browser's.
      answerPairing(listener, { ...node, crypto, peer: claim(eve.identity), book }),
    ]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as PairingError).code : 'ok'))).toEqual(['CARD_REFUSED', 'CARD_REFUSED']);
  });

  it('gives up on a silent peer', async () => {
    const node = await device('node');
    const [, listener] = sessionPair();
    await expect(answerPairing(listener, { ...node, crypto, peer: claim(node.identity), book: new InvitationBook(), timeoutMs: 20 })).rejects.toMatchObject({ code: 'TIMEOUT' });
  });
});
