import { describe, expect, it } from 'vitest';
import { createIdentity } from '../identity/identity.ts';
import { TEST_KDF } from '../identity/identity-test-kit.ts';
import { setAccess } from '../store/access.ts';
import type { SHA256Hash } from '../store/hash.ts';
import type { LamaObject } from '../store/recipes.ts';
import { crypto, fakeId, message, testStore, topic } from './chum-test-kit.ts';
import { Closure } from './closure.ts';
import { rootsFor } from './grants.ts';

const reader = fakeId('reader');

async function visible(store: ReturnType<typeof testStore>, person = reader): Promise<Closure> {
  return Closure.of(store, crypto, await rootsFor(store, person));
}

describe('the closure a peer is offered', () => {
  it('follows refs and BLOBs, takes every version of a granted ID, and an idref only to its ID object', async () => {
    const store = testStore();
    const blob = await store.writeBlob([new Uint8Array([1, 2, 3])]);
    const other = await store.putVersioned(topic('not granted', []));
    const [m1, m2] = await store.putMany([message('one', { attachment: blob }), message('two', { author: other.idHash })]);
    const v1 = await store.putVersioned(topic('granted', [m1!]));
    const v2 = await store.putVersioned(topic('granted', [m1!, m2!]));
    await setAccess(store, { id: v1.idHash }, { persons: [reader] });
    const closure = await visible(store);
    expect(new Set(closure.present)).toEqual(new Set([v1.idHash, v1.versionHash, v2.versionHash, v1.hash, v2.hash, m1, m2, other.idHash]));
    expect([...closure.blobs]).toEqual([blob]);
    // Its versions are not: the idref names the thing, it does not grant it.
    expect(closure.objects.has(other.versionHash)).toBe(false);
    // Nor the grant.
    expect((await visible(store, fakeId('someone else'))).present).toEqual([]);
  });

  it('brings an author\'s versions, keys and the signatures over them — and no signature over anything else', async () => {
    const store = testStore();
    const me = await createIdentity(store, crypto, { name: 'Ada', instanceName: 'laptop', passphrase: 'pw', kdf: TEST_KDF });
    const [signed] = await store.putMany([message('hello', { author: me.personId })]);
    await setAccess(store, { object: signed! }, { persons: [reader] });
    const closure = await visible(store);
    const person = (await store.getLatest(me.personId))!;
    const keys = (await store.getLatest(store.idHashOf({ $type$: 'Keys', owner: me.personId } as LamaObject)))!;
    for (const hash of [me.personId, person.hash, person.versionHash, keys.hash, keys.versionHash, me.person.keysHash]) expect(closure.objects.has(hash)).toBe(true);
    const signatures = await store.referencing(me.person.keysHash, 'Signature');
    const over = async (s: SHA256Hash) => (await store.get<{ data: SHA256Hash } & LamaObject>(s)).data;
    for (const s of signatures) expect(closure.objects.has(s)).toBe((await over(s)) === me.person.keysHash);
    expect(signatures).toHaveLength(2);
    // The Person also signed its Instance's keys with the same keys: that signature, the Instance
    // and its keys are not part of it, nor is the Profile that names the person.
    expect(closure.objects.has(me.instance.keysHash)).toBe(false);
    expect(closure.objects.has(me.instanceId)).toBe(false);
    const [profile] = await store.referencing(me.personId, 'Profile');
    expect(closure.objects.has(profile!)).toBe(false);
  });

  it('grants through a group while its current version lists the person, and stops when it does not', async () => {
    const store = testStore();
    const [m] = await store.putMany([message('for the team')]);
    const team = await store.putVersioned({ $type$: 'Group', owner: fakeId('owner'), name: 'team', members: [reader] } as LamaObject);
    await setAccess(store, { object: m! }, { groups: [team.idHash] });
    expect((await visible(store)).present).toEqual([m]);
    await store.putVersioned({ $type$: 'Group', owner: fakeId('owner'), name: 'team', members: [] } as LamaObject);
    expect((await visible(store)).present).toEqual([]);
  });

  it('takes a revoked grant away', async () => {
    const store = testStore();
    const [m] = await store.putMany([message('briefly')]);
    await setAccess(store, { object: m! }, { persons: [reader] });
    expect((await visible(store)).present).toEqual([m]);
    await setAccess(store, { object: m! }, { persons: [] });
    expect((await visible(store)).present).toEqual([]);
  });

  it('admits what arrives later when it attaches to what is visible', async () => {
    const store = testStore();
    const v1 = await store.putVersioned(topic('t', []));
    await setAccess(store, { id: v1.idHash }, { persons: [reader] });
    const closure = await visible(store);
    const [m] = await store.putMany([message('later')]);
    const v2 = await store.putVersioned(topic('t', [m!]));
    const unrelated = await store.putVersioned(topic('u', [m!]));
    expect(await closure.admit(unrelated.versionHash, 'VersionNode')).toEqual([]);
    expect(new Set(await closure.admit(v2.versionHash, 'VersionNode'))).toEqual(new Set([v2.versionHash, v2.hash, m]));
    expect(await closure.admit(m!, 'TestMessage')).toEqual([]);
  });
});
