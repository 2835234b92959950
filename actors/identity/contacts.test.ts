import { describe, expect, it } from 'vitest';
import { nobleCrypto } from '../crypto/noble-crypto.ts';
import type { SHA256Hash } from '../store/hash.ts';
import type { LamaObject } from '../store/recipes.ts';
import { acceptCard, knownInstanceKeys, myCard, type CardClaim } from './contacts.ts';
import { createIdentity, type Identity } from './identity.ts';
import { IdentityError } from './identity-error.ts';
import type { Profile } from './identity-recipes.ts';
import { identityStore, TEST_KDF } from './identity-test-kit.ts';

const crypto = nobleCrypto;

async function user(name: string) {
  const store = identityStore(crypto);
  const identity = await createIdentity(store, crypto, { name, instanceName: `${name}'s laptop`, passphrase: 'pass phrase', kdf: TEST_KDF });
  return { store, identity };
}

function claimOf(identity: Identity): CardClaim {
  return { personId: identity.personId, instanceId: identity.instanceId, signKey: identity.instance.signer.publicKey, staticKey: identity.instance.encryptionPublicKey };
}

async function expectRefused(promise: Promise<unknown>, reason: RegExp) {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(IdentityError);
  expect((error as IdentityError).code).toBe('KEY_MISMATCH');
  expect((error as Error).message).toMatch(reason);
}

describe('contact cards', () => {
  it('makes a paired peer a contact: its objects kept, a Someone for it, its Instance keys known', async () => {
    const ada = await user('Ada');
    const bob = await user('Bob');
    const card = await myCard(ada.store, ada.identity);
    expect(await knownInstanceKeys(bob.store, ada.identity.instanceId)).toBeUndefined();

    const someone = await acceptCard(bob.store, crypto, card, claimOf(ada.identity));
    const contact = await bob.store.getLatest<LamaObject & { mainProfile: SHA256Hash }>(someone);
    const profile = await bob.store.getLatest<Profile>(contact!.object.mainProfile);
    expect(profile?.object.nickname).toBe('Ada');
    const keys = await knownInstanceKeys(bob.store, ada.identity.instanceId);
    expect(keys?.publicSignKey).toEqual(ada.identity.instance.signer.publicKey);
    // The same history as on Ada's device: her version nodes, not new local ones.
    expect(await bob.store.getHeads(ada.identity.personId)).toEqual(await ada.store.getHeads(ada.identity.personId));
  });

  it('refuses a card that does not match the keys proved in the handshake, and keeps nothing', async () => {
    const ada = await user('Ada');
    const eve = await user('Eve');
    const bob = await user('Bob');
    const card = await myCard(ada.store, ada.identity);
    await expectRefused(acceptCard(bob.store, crypto, card, { ...claimOf(ada.identity), signKey: eve.identity.instance.signer.publicKey }), /Instance keys/);
    await expectRefused(acceptCard(bob.store, crypto, card, claimOf(eve.identity)), /no version|not the one/);
    expect(await bob.store.has([ada.identity.personId])).toEqual([false]);
  });

  it('refuses a card whose keys the Person did not sign, or that smuggles other objects', async () => {
    const ada = await user('Ada');
    const bob = await user('Bob');
    const card = await myCard(ada.store, ada.identity);
    const signatureHashes = new Set(await ada.store.referencing(ada.identity.instance.keysHash, 'Signature'));
    const unsigned = card.filter((bytes) => !signatureHashes.has(crypto.sha256Hex(bytes) as SHA256Hash));
    await expectRefused(acceptCard(bob.store, crypto, unsigned, claimOf(ada.identity)), /no valid signature/);

    const note = ada.store.prepare({ $type$: 'Group', owner: ada.identity.personId, name: 'friends', members: [] } as LamaObject);
    await expectRefused(acceptCard(bob.store, crypto, [...card, note.bytes], claimOf(ada.identity)), /carries a Group/);
    expect(await knownInstanceKeys(bob.store, ada.identity.instanceId)).toBeUndefined();
  });
});
