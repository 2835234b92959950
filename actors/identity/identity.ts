import * as dagCbor from '@ipld/dag-cbor';
import type { CryptoProvider, Ed25519Signer, ScryptParams } from '../crypto/crypto-provider.ts';
import { bytesToHex, type SHA256Hash } from '../store/hash.ts';
import type { ObjectStore } from '../store/object-store.ts';
import type { SecretEntry } from '../store/storage-adapter.ts';
import { IdentityError } from './identity-error.ts';
import type { Instance, Keys, Person, Profile, Signature } from './identity-recipes.ts';
import { KeyVault } from './key-vault.ts';
import { signatureMessage } from './signatures.ts';

/**
 * The user of one store (specs/keys.md §3): a Person, the Instance this process runs as, a key pair
 * set for each (Ed25519 to sign, X25519 to agree keys), and the Person's Profile — created in one
 * atomic commit, with the secret keys sealed in the key vault and never written in the clear.
 */
export interface KeyPairs {
  /** Hash of the published Keys object these secrets belong to. */
  readonly keysHash: SHA256Hash;
  readonly signer: Ed25519Signer;
  readonly encryptionSecretKey: Uint8Array;
  readonly encryptionPublicKey: Uint8Array;
}

export interface Identity {
  readonly personId: SHA256Hash;
  readonly instanceId: SHA256Hash;
  readonly person: KeyPairs;
  readonly instance: KeyPairs;
}

export interface CreateIdentityOptions {
  /** Display name, also the Profile's nickname. */
  readonly name: string;
  /** The Person's identity string; a random one is made when absent. */
  readonly email?: string;
  /** Names this Instance (e.g. 'node archive', 'browser'). */
  readonly instanceName: string;
  readonly passphrase: string;
  /** Lower cost for tests only; users get DEFAULT_SCRYPT_PARAMS. */
  readonly kdf?: Omit<ScryptParams, 'dkLen'>;
}

const CURRENT = 'identity/current';
const VAULT = 'identity/vault';
const keySlot = (ownerId: SHA256Hash) => `identity/keys/${ownerId}`;

interface SecretKeys {
  sign: Uint8Array;
  encrypt: Uint8Array;
}

export async function hasIdentity(store: ObjectStore): Promise<boolean> {
  return (await store.adapter.getSecret(CURRENT)) !== undefined;
}

export async function createIdentity(store: ObjectStore, crypto: CryptoProvider, options: CreateIdentityOptions): Promise<Identity> {
  if (await hasIdentity(store)) throw new IdentityError('ALREADY_EXISTS', 'this store already has a user');
  const { vault, header } = await KeyVault.create(crypto, options.passphrase, options.kdf);

  const person: Person = { $type$: 'Person', email: options.email ?? `${bytesToHex(crypto.randomBytes(16))}@lama.local`, name: options.name };
  const personId = store.idHashOf(person);
  const instance: Instance = { $type$: 'Instance', name: options.instanceName, owner: personId };
  const instanceId = store.idHashOf(instance);
  const personSecrets = newSecretKeys(crypto);
  const instanceSecrets = newSecretKeys(crypto);
  const personKeys = keysObject(crypto, personId, personSecrets);
  const instanceKeys = keysObject(crypto, instanceId, instanceSecrets);
  const personKeysHash = store.prepare(personKeys).hash;
  const instanceKeysHash = store.prepare(instanceKeys).hash;
  const profile: Profile = { $type$: 'Profile', profileId: 'default', personId, owner: personId, nickname: options.name };

  // The Person vouches for its own keys and for the keys of this Instance.
  const signer = crypto.ed25519.signer(personSecrets.sign);
  const signatures: Signature[] = [personKeysHash, instanceKeysHash].map((data) => ({
    $type$: 'Signature',
    issuer: personId,
    keys: personKeysHash,
    data,
    signature: signer.sign(signatureMessage(data)),
  }));

  const secrets: SecretEntry[] = [
    { name: VAULT, value: header },
    { name: keySlot(personId), value: vault.seal(keySlot(personId), dagCbor.encode(personSecrets)) },
    { name: keySlot(instanceId), value: vault.seal(keySlot(instanceId), dagCbor.encode(instanceSecrets)) },
    { name: CURRENT, value: dagCbor.encode({ personId, instanceId }) },
  ];
  await store.commit({ objects: signatures, versioned: [person, instance, personKeys, instanceKeys, profile], secrets });
  return {
    personId,
    instanceId,
    person: keyPairs(crypto, personKeysHash, personSecrets),
    instance: keyPairs(crypto, instanceKeysHash, instanceSecrets),
  };
}

/** Unlocks the store's user; a wrong passphrase is IdentityError WRONG_PASSPHRASE. */
export async function openIdentity(store: ObjectStore, crypto: CryptoProvider, passphrase: string): Promise<Identity> {
  const current = await store.adapter.getSecret(CURRENT);
  const header = await store.adapter.getSecret(VAULT);
  if (!current || !header) throw new IdentityError('NO_IDENTITY', 'this store has no user yet');
  const { personId, instanceId } = dagCbor.decode(current) as { personId: SHA256Hash; instanceId: SHA256Hash };
  const vault = await KeyVault.unlock(crypto, header, passphrase);
  return {
    personId,
    instanceId,
    person: await unsealKeyPairs(store, crypto, vault, personId),
    instance: await unsealKeyPairs(store, crypto, vault, instanceId),
  };
}

async function unsealKeyPairs(store: ObjectStore, crypto: CryptoProvider, vault: KeyVault, ownerId: SHA256Hash): Promise<KeyPairs> {
  const sealed = await store.adapter.getSecret(keySlot(ownerId));
  if (!sealed) throw new IdentityError('CORRUPT_SECRET', `no sealed keys for ${ownerId}`);
  const secrets = dagCbor.decode(vault.open(keySlot(ownerId), sealed)) as SecretKeys;
  const published = await store.getLatest<Keys>(store.idHashOf({ $type$: 'Keys', owner: ownerId } as Keys));
  const expected = keysObject(crypto, ownerId, secrets);
  if (!published || !sameBytes(published.object.publicSignKey, expected.publicSignKey) || !sameBytes(published.object.publicEncryptionKey, expected.publicEncryptionKey)) {
    throw new IdentityError('KEY_MISMATCH', `the secret keys of ${ownerId} do not match its published Keys`);
  }
  return keyPairs(crypto, published.hash, secrets);
}

function newSecretKeys(crypto: CryptoProvider): SecretKeys {
  return { sign: crypto.ed25519.generateSecretKey(), encrypt: crypto.x25519.generateSecretKey() };
}

function keysObject(crypto: CryptoProvider, owner: SHA256Hash, secrets: SecretKeys): Keys {
  return { $type$: 'Keys', owner, publicSignKey: crypto.ed25519.publicKey(secrets.sign), publicEncryptionKey: crypto.x25519.publicKey(secrets.encrypt) };
}

function keyPairs(crypto: CryptoProvider, keysHash: SHA256Hash, secrets: SecretKeys): KeyPairs {
  return {
    keysHash,
    signer: crypto.ed25519.signer(secrets.sign),
    encryptionSecretKey: secrets.encrypt,
    encryptionPublicKey: crypto.x25519.publicKey(secrets.encrypt),
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i]);
}
