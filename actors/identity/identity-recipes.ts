import type { SHA256Hash } from '../store/hash.ts';
import type { Recipe } from '../store/recipes.ts';

/** Identity types (specs/keys.md §3): who someone is, which devices act for them, and their keys. */

const idref = { kind: 'idref' } as const;

/** A human or an AI. `email` is any unique string; it is the identity, so it never changes. */
export const PersonRecipe: Recipe = {
  name: 'Person',
  fields: { email: { type: { kind: 'string' }, identity: true }, name: { type: { kind: 'string' }, optional: true } },
};

/** One device or process acting for a Person (the Node archive, the browser, a phone). */
export const InstanceRecipe: Recipe = {
  name: 'Instance',
  fields: { name: { type: { kind: 'string' }, identity: true }, owner: { type: idref, identity: true } },
};

/** The public keys of a Person or Instance; a new version rotates them, old versions stay for old signatures. */
export const KeysRecipe: Recipe = {
  name: 'Keys',
  fields: {
    owner: { type: idref, identity: true },
    publicSignKey: { type: { kind: 'bytes' } },
    publicEncryptionKey: { type: { kind: 'bytes' } },
  },
};

/** `issuer` signed the hash `data` with the key in the Keys object `keys`. */
export const SignatureRecipe: Recipe = {
  name: 'Signature',
  fields: {
    issuer: { type: idref },
    keys: { type: { kind: 'ref' } },
    data: { type: { kind: 'ref' } },
    signature: { type: { kind: 'bytes' } },
  },
};

/** How `owner` describes `personId` (their own profile, or one they keep for a contact). */
export const ProfileRecipe: Recipe = {
  name: 'Profile',
  fields: {
    profileId: { type: { kind: 'string' }, identity: true },
    personId: { type: idref, identity: true },
    owner: { type: idref, identity: true },
    nickname: { type: { kind: 'string' } },
    avatar: { type: { kind: 'blob' }, optional: true },
  },
};

/** A contact: one someone, seen through one or more profiles (several identities of one person). */
export const SomeoneRecipe: Recipe = {
  name: 'Someone',
  fields: {
    someoneId: { type: { kind: 'string' }, identity: true },
    mainProfile: { type: idref },
    profiles: { type: { kind: 'list', item: idref } },
  },
};

export const GroupRecipe: Recipe = {
  name: 'Group',
  fields: {
    owner: { type: idref, identity: true },
    name: { type: { kind: 'string' }, identity: true },
    members: { type: { kind: 'list', item: idref } },
  },
};

export const IDENTITY_RECIPES: readonly Recipe[] = [
  PersonRecipe,
  InstanceRecipe,
  KeysRecipe,
  SignatureRecipe,
  ProfileRecipe,
  SomeoneRecipe,
  GroupRecipe,
];

export interface Person {
  readonly $type$: 'Person';
  readonly email: string;
  readonly name?: string;
}
export interface Instance {
  readonly $type$: 'Instance';
  readonly name: string;
  readonly owner: SHA256Hash;
}
export interface Keys {
  readonly $type$: 'Keys';
  readonly owner: SHA256Hash;
  readonly publicSignKey: Uint8Array;
  readonly publicEncryptionKey: Uint8Array;
}
export interface Signature {
  readonly $type$: 'Signature';
  readonly issuer: SHA256Hash;
  readonly keys: SHA256Hash;
  readonly data: SHA256Hash;
  readonly signature: Uint8Array;
}
export interface Profile {
  readonly $type$: 'Profile';
  readonly profileId: string;
  readonly personId: SHA256Hash;
  readonly owner: SHA256Hash;
  readonly nickname: string;
  readonly avatar?: SHA256Hash;
}
