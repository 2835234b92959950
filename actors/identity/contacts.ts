import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import { decodeObject } from '../store/encoding.ts';
import type { SHA256Hash } from '../store/hash.ts';
import type { ObjectStore } from '../store/object-store.ts';
import type { LamaObject } from '../store/recipes.ts';
import type { VersionNode } from '../store/store-recipes.ts';
import type { Identity } from './identity.ts';
import { IdentityError } from './identity-error.ts';
import type { Instance, Keys, Person, Profile, Signature } from './identity-recipes.ts';
import { signatureMessage } from './signatures.ts';

/**
 * Contacts (specs/keys.md §5): what two users exchange when they pair — each one's *card*, the
 * objects that say who they are (Person, Instance, both Keys, the default Profile, with their ID
 * objects and version histories, and the Person's signatures over both Keys) — and how a card is
 * checked and kept. A kept card makes the peer a Contact: a Someone whose profile is theirs, whose
 * Instance keys later connections are checked against.
 */
export interface CardClaim {
  readonly personId: SHA256Hash;
  readonly instanceId: SHA256Hash;
  /** The keys the peer proved in the handshake: they must be the card's Instance keys. */
  readonly signKey: Uint8Array;
  readonly staticKey: Uint8Array;
}

const VERSIONED = ['Person', 'Instance', 'Keys', 'Profile'] as const;

/** The encoded objects of this store's user, ready to send. */
export async function myCard(store: ObjectStore, identity: Identity): Promise<Uint8Array[]> {
  const ids = [
    identity.personId,
    identity.instanceId,
    store.idHashOf({ $type$: 'Keys', owner: identity.personId } as Keys),
    store.idHashOf({ $type$: 'Keys', owner: identity.instanceId } as Keys),
    store.idHashOf({ $type$: 'Profile', profileId: 'default', personId: identity.personId, owner: identity.personId } as Profile),
  ];
  const hashes = new Set<SHA256Hash>();
  for (const id of ids) {
    hashes.add(id);
    for (const { versionHash, node } of await store.getHistory(id)) {
      hashes.add(versionHash);
      hashes.add(node.data);
    }
  }
  for (const keys of [identity.person.keysHash, identity.instance.keysHash]) {
    for (const signature of await store.referencing(keys, 'Signature')) hashes.add(signature);
  }
  const bytes = await store.adapter.getObjects([...hashes]);
  return bytes.map((b, i) => {
    if (!b) throw new IdentityError('CORRUPT_SECRET', `this user's object ${[...hashes][i]} is missing`);
    return b;
  });
}

/**
 * Checks a card against what the peer proved in the handshake and keeps it: the objects, and a
 * Someone for the contact. Nothing is stored unless every check passes. Returns the contact's
 * Someone ID hash.
 */
export async function acceptCard(store: ObjectStore, crypto: CryptoProvider, card: readonly Uint8Array[], claim: CardClaim): Promise<SHA256Hash> {
  const objects = new Map<string, LamaObject>();
  for (const bytes of card) {
    const hash = crypto.sha256Hex(bytes);
    const object = decodeObject(bytes, hash, { canonical: true });
    store.recipes.validate(object);
    objects.set(hash, object);
  }
  const refuse = (why: string) => new IdentityError('KEY_MISMATCH', `the contact card does not hold: ${why}`);
  const latest = <T extends LamaObject>(idHash: SHA256Hash): T => {
    const heads = [...objects.entries()].filter(([, o]) => o.$type$ === 'VersionNode' && (o as VersionNode).id === idHash);
    const newest = heads.sort(([ha, a], [hb, b]) => (b as VersionNode).depth - (a as VersionNode).depth || (hb < ha ? -1 : 1))[0];
    const data = newest && objects.get((newest[1] as VersionNode).data);
    if (!data) throw refuse(`no version of ${idHash}`);
    return data as T;
  };

  const person = latest<Person>(claim.personId);
  if (person.$type$ !== 'Person' || store.idHashOf(person) !== claim.personId) throw refuse('the Person is not the one in the handshake');
  const instance = latest<Instance>(claim.instanceId);
  if (instance.$type$ !== 'Instance' || store.idHashOf(instance) !== claim.instanceId || instance.owner !== claim.personId) {
    throw refuse('the Instance is not the handshake\'s, or not the Person\'s');
  }
  const personKeys = latest<Keys>(store.idHashOf({ $type$: 'Keys', owner: claim.personId } as Keys));
  const instanceKeys = latest<Keys>(store.idHashOf({ $type$: 'Keys', owner: claim.instanceId } as Keys));
  if (!sameBytes(instanceKeys.publicSignKey, claim.signKey) || !sameBytes(instanceKeys.publicEncryptionKey, claim.staticKey)) {
    throw refuse('the Instance keys are not the keys proved in the handshake');
  }
  // The Person vouches for the device: its own keys signed both Keys objects.
  const personKeysHash = store.prepare(personKeys).hash;
  for (const keys of [personKeys, instanceKeys]) {
    const keysHash = store.prepare(keys).hash;
    const vouched = [...objects.values()].some(
      (o) =>
        o.$type$ === 'Signature' &&
        (o as Signature).issuer === claim.personId &&
        (o as Signature).keys === personKeysHash &&
        (o as Signature).data === keysHash &&
        crypto.ed25519.verify(personKeys.publicSignKey, signatureMessage(keysHash), (o as Signature).signature),
    );
    if (!vouched) throw refuse(`no valid signature by the Person over ${keysHash}`);
  }
  const profileId = store.idHashOf({ $type$: 'Profile', profileId: 'default', personId: claim.personId, owner: claim.personId } as Profile);
  latest<Profile>(profileId);
  const stray = [...objects.values()].find((o) => !(VERSIONED as readonly string[]).includes(o.$type$) && o.$type$ !== 'VersionNode' && o.$type$ !== 'Signature');
  if (stray) throw refuse(`it carries a ${stray.$type$}, which a card never holds`);

  await store.importMany(card);
  const someone = await store.putVersioned({ $type$: 'Someone', someoneId: claim.personId, mainProfile: profileId, profiles: [profileId] } as LamaObject);
  return someone.idHash;
}

/** The published keys of an Instance this store knows as a contact's (or its own), if any. */
export async function knownInstanceKeys(store: ObjectStore, instanceId: SHA256Hash): Promise<Keys | undefined> {
  const instance = await store.getLatest<Instance>(instanceId);
  if (!instance) return undefined;
  const owner = instance.object.owner;
  const someone = await store.getLatest(store.idHashOf({ $type$: 'Someone', someoneId: owner } as LamaObject & { someoneId: string }));
  if (!someone) return undefined;
  return (await store.getLatest<Keys>(store.idHashOf({ $type$: 'Keys', owner: instanceId } as Keys)))?.object;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i]);
}
