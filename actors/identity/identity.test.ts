import { describe, expect, it } from 'vitest';
import { nobleCrypto } from '../crypto/noble-crypto.ts';
import type { SHA256Hash } from '../store/hash.ts';
import { createIdentity, hasIdentity, openIdentity } from './identity.ts';
import { IdentityError } from './identity-error.ts';
import type { Keys, Person, Profile, Signature } from './identity-recipes.ts';
import { identityStore, TEST_KDF } from './identity-test-kit.ts';
import { signersOf, signHash, verifySignature } from './signatures.ts';

const crypto = nobleCrypto;
const options = { name: 'Ada', instanceName: 'node archive', passphrase: 'correct horse battery staple', kdf: TEST_KDF };

async function expectIdentityError(promise: Promise<unknown>, code: IdentityError['code']) {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(IdentityError);
  expect((error as IdentityError).code).toBe(code);
}

describe('identity', () => {
  it('creates Person, Instance, Keys and Profile, with the keys signed by the Person', async () => {
    const store = identityStore(crypto);
    expect(await hasIdentity(store)).toBe(false);
    const me = await createIdentity(store, crypto, options);
    expect(await hasIdentity(store)).toBe(true);

    const person = await store.getLatest<Person>(me.personId);
    expect(person?.object).toMatchObject({ $type$: 'Person', name: 'Ada' });
    expect(person?.object.email).toMatch(/^[0-9a-f]{32}@lama\.local$/);
    expect((await store.getLatest(me.instanceId))?.object).toMatchObject({ $type$: 'Instance', owner: me.personId });
    const profile = await store.getLatest<Profile>(store.idHashOf({ $type$: 'Profile', profileId: 'default', personId: me.personId, owner: me.personId } as Profile));
    expect(profile?.object.nickname).toBe('Ada');

    for (const [owner, pairs] of [[me.personId, me.person], [me.instanceId, me.instance]] as const) {
      const keys = await store.getLatest<Keys>(store.idHashOf({ $type$: 'Keys', owner } as Keys));
      expect(keys?.hash).toBe(pairs.keysHash);
      expect(keys?.object.publicSignKey).toEqual(pairs.signer.publicKey);
      expect(await signersOf(store, crypto, pairs.keysHash)).toEqual([me.personId]);
    }
  });

  it('makes a different Person for every user, even with the same name', async () => {
    const a = await createIdentity(identityStore(crypto), crypto, options);
    const b = await createIdentity(identityStore(crypto), crypto, options);
    expect(a.personId).not.toBe(b.personId);
  });

  it('reopens with the passphrase to the same keys', async () => {
    const store = identityStore(crypto);
    const created = await createIdentity(store, crypto, options);
    const opened = await openIdentity(store, crypto, options.passphrase);
    expect(opened.personId).toBe(created.personId);
    expect(opened.instanceId).toBe(created.instanceId);
    expect(opened.person.signer.publicKey).toEqual(created.person.signer.publicKey);
    expect(opened.instance.encryptionPublicKey).toEqual(created.instance.encryptionPublicKey);
  });

  it('treats the passphrase in Unicode normal form', async () => {
    const store = identityStore(crypto);
    await createIdentity(store, crypto, { ...options, passphrase: 'caf\u00e9' });
    await expect(openIdentity(store, crypto, 'cafe\u0301')).resolves.toBeDefined();
  });

  it('refuses a wrong passphrase, a store without a user and a second user', async () => {
    const store = identityStore(crypto);
    await expectIdentityError(openIdentity(store, crypto, 'anything'), 'NO_IDENTITY');
    await createIdentity(store, crypto, options);
    await expectIdentityError(openIdentity(store, crypto, 'wrong horse'), 'WRONG_PASSPHRASE');
    await expectIdentityError(createIdentity(store, crypto, options), 'ALREADY_EXISTS');
  });

  it('creates the user in one atomic commit: nothing is left when it fails', async () => {
    const store = identityStore(crypto);
    await expect(createIdentity(store, crypto, { ...options, name: 'lone \ud800 surrogate' })).rejects.toMatchObject({ code: 'FIELD_TYPE' });
    expect(await hasIdentity(store)).toBe(false);
    await expect(createIdentity(store, crypto, options)).resolves.toBeDefined();
  });

  it('refuses sealed keys moved to another slot or damaged', async () => {
    const store = identityStore(crypto);
    const me = await createIdentity(store, crypto, options);
    const personSlot = `identity/keys/${me.personId}`;
    const instanceSlot = `identity/keys/${me.instanceId}`;
    const sealedInstance = (await store.adapter.getSecret(instanceSlot))!;
    await store.adapter.write({ secrets: [{ name: personSlot, value: sealedInstance }] });
    await expectIdentityError(openIdentity(store, crypto, options.passphrase), 'CORRUPT_SECRET');
  });

  it('refuses secret keys that do not match the published Keys', async () => {
    const store = identityStore(crypto);
    const me = await createIdentity(store, crypto, options);
    await store.putVersioned({ $type$: 'Keys', owner: me.instanceId, publicSignKey: new Uint8Array(32).fill(1), publicEncryptionKey: new Uint8Array(32).fill(2) } as Keys);
    await expectIdentityError(openIdentity(store, crypto, options.passphrase), 'KEY_MISMATCH');
  });
});

describe('signatures over object hashes', () => {
  it('verifies a signature and names its issuer', async () => {
    const store = identityStore(crypto);
    const me = await createIdentity(store, crypto, options);
    const data = await store.put({ $type$: 'Person', email: 'someone@example.org' } as Person);
    const signature = await signHash(store, me.instanceId, me.instance, data);
    expect(await verifySignature(store, crypto, signature)).toEqual({ valid: true, issuer: me.instanceId, data });
    expect(await signersOf(store, crypto, data)).toEqual([me.instanceId]);
  });

  it('rejects a forged signature, keys of someone else and missing keys', async () => {
    const store = identityStore(crypto);
    const me = await createIdentity(store, crypto, options);
    const other = await createIdentity(identityStore(crypto), crypto, options);
    const data = 'd'.repeat(64) as SHA256Hash;
    const forged = await store.put({ $type$: 'Signature', issuer: me.personId, keys: me.person.keysHash, data, signature: new Uint8Array(64).fill(7) } as Signature);
    const stolen = await store.put({ $type$: 'Signature', issuer: other.personId, keys: me.person.keysHash, data, signature: me.person.signer.sign(new Uint8Array([1])) } as Signature);
    const missing = await store.put({ $type$: 'Signature', issuer: other.personId, keys: other.person.keysHash, data, signature: new Uint8Array(64) } as Signature);
    expect(await verifySignature(store, crypto, forged)).toMatchObject({ valid: false, reason: expect.stringMatching(/does not verify/) });
    expect(await verifySignature(store, crypto, stolen)).toMatchObject({ valid: false, reason: expect.stringMatching(/do not belong/) });
    expect(await verifySignature(store, crypto, missing)).toMatchObject({ valid: false, reason: expect.stringMatching(/not in this store/) });
    expect(await signersOf(store, crypto, data)).toEqual([]);
  });

  it('does not accept a signature over one hash as a signature over another', async () => {
    const store = identityStore(crypto);
    const me = await createIdentity(store, crypto, options);
    const a = 'a'.repeat(64) as SHA256Hash;
    const b = 'b'.repeat(64) as SHA256Hash;
    const real = await store.get<{ $type$: 'Signature'; signature: Uint8Array }>(await signHash(store, me.personId, me.person, a));
    const replayed = await store.put({ $type$: 'Signature', issuer: me.personId, keys: me.person.keysHash, data: b, signature: real.signature } as Signature);
    expect((await verifySignature(store, crypto, replayed)).valid).toBe(false);
  });
});
