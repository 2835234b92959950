import { describe, expect, it } from 'vitest';
import { nobleCrypto } from '../crypto/noble-crypto.ts';
import { createIdentity } from '../identity/identity.ts';
import { identityStore, TEST_KDF } from '../identity/identity-test-kit.ts';
import { createInvitation, InvitationBook, InvitationError, readInvitation } from './invitation.ts';

const crypto = nobleCrypto;
const identity = await createIdentity(identityStore(crypto), crypto, { name: 'Ada', instanceName: 'node', passphrase: 'pass phrase', kdf: TEST_KDF });
const NOW = 1_800_000_000_000;

function expectCode(action: () => unknown, code: InvitationError['code']) {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(InvitationError);
    expect((error as InvitationError).code).toBe(code);
    return;
  }
  throw new Error(`expected InvitationError ${code}`);
}

describe('invitations', () => {
  it('round-trips a signed token naming the inviter and where to dial', () => {
    const { invitation, token } = createInvitation(crypto, identity, { url: 'ws://127.0.0.1:8765', now: NOW });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    const read = readInvitation(crypto, token, NOW + 1000);
    expect(read).toEqual(invitation);
    expect(read.expiresAt).toBe(NOW + 15 * 60_000);
    expect(read.signKey).toEqual(identity.instance.signer.publicKey);
  });

  it('refuses a malformed, altered or expired token', () => {
    const { token } = createInvitation(crypto, identity, { url: 'ws://127.0.0.1:8765', now: NOW, ttlMs: 60_000 });
    expectCode(() => readInvitation(crypto, 'not a token!', NOW), 'MALFORMED');
    expectCode(() => readInvitation(crypto, token.slice(0, 40), NOW), 'MALFORMED');
    // Change one character in the middle (the URL's region): still decodes, no longer verifies.
    const i = Math.floor(token.length / 2);
    const altered = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
    expect(() => readInvitation(crypto, altered, NOW)).toThrow(InvitationError);
    expectCode(() => readInvitation(crypto, token, NOW + 60_000), 'EXPIRED');
  });

  it('lets each invitation be redeemed once, before it expires', () => {
    let now = NOW;
    const book = new InvitationBook(() => now);
    const first = createInvitation(crypto, identity, { url: 'ws://x', now, ttlMs: 10_000 }).invitation;
    const second = createInvitation(crypto, identity, { url: 'ws://x', now, ttlMs: 10_000 }).invitation;
    book.add(first);
    book.add(second);
    expect(book.redeem(first.secret)).toEqual(first);
    expectCode(() => book.redeem(first.secret), 'UNKNOWN');
    now += 10_000;
    // Said as it is: the invitation expired (not "unknown"); and it is gone afterwards.
    expectCode(() => book.redeem(second.secret), 'EXPIRED');
    expectCode(() => book.redeem(second.secret), 'UNKNOWN');
    book.add(createInvitation(crypto, identity, { url: 'ws://x', now: now - 20_000, ttlMs: 10_000 }).invitation);
    expect(book.size).toBe(0);
  });
});
