import * as dagCbor from '@ipld/dag-cbor';
import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import type { Identity, KeyPairs } from '../identity/identity.ts';
import type { Keys, Person, Profile, Signature } from '../identity/identity-recipes.ts';
import { SealedSecrets } from '../identity/sealed-secrets.ts';
import { signatureMessage } from '../identity/signatures.ts';
import { setAccess } from '../store/access.ts';
import type { SHA256Hash } from '../store/hash.ts';
import type { ObjectStore } from '../store/object-store.ts';
import type { LamaObject } from '../store/recipes.ts';
import type { Llm } from './ai-recipes.ts';

/**
 * AI contacts (AIAssistantModel's data, specs/ai.md §1): one Person per model, with its own keys
 * (so its answers are signed like anyone's), a Profile, and an LLM object naming the model. The
 * keys are sealed in this instance's local secrets: the AI speaks only from the instance that runs
 * it. The user signs the AI's keys, vouching for it.
 */
export interface AiModel {
  readonly provider: string;
  readonly providerKind: string;
  readonly modelId: string;
  readonly name: string;
  readonly capabilities?: readonly string[];
  readonly contextLength?: number;
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly endpoint?: string;
  readonly systemPrompt?: string;
}

export interface AiContact {
  readonly personId: SHA256Hash;
  readonly llm: Llm;
}

interface SecretKeys {
  sign: Uint8Array;
  encrypt: Uint8Array;
}

export const DEFAULT_CONTEXT_LENGTH = 4096;
export const DEFAULT_MAX_TOKENS = 1024;
const keySlot = (personId: SHA256Hash) => `ai/keys/${personId}`;
/** The group of persons who may see this user's AI contacts. */
export const AI_VIEWERS_GROUP = 'lama/ai-contacts-viewers';

export class AiContacts {
  readonly #secrets: SealedSecrets;

  constructor(
    private readonly store: ObjectStore,
    private readonly crypto: CryptoProvider,
    private readonly identity: Identity,
  ) {
    this.#secrets = SealedSecrets.forIdentity(crypto, identity);
  }

  /** The AI contact for a model: made on first use, updated when its settings change, else as it is. */
  async ensure(model: AiModel): Promise<AiContact> {
    const person: Person = { $type$: 'Person', email: `${model.modelId}@${model.provider}.ai.${this.identity.personId.slice(0, 16)}.lama`, name: model.name };
    const personId = this.store.idHashOf(person);
    const llm: Llm = {
      $type$: 'LLM',
      person: personId,
      owner: this.identity.personId,
      name: model.name,
      provider: model.provider,
      providerKind: model.providerKind,
      modelId: model.modelId,
      capabilities: [...(model.capabilities ?? ['chat'])].sort(),
      contextLength: model.contextLength ?? DEFAULT_CONTEXT_LENGTH,
      maxTokens: model.maxTokens ?? DEFAULT_MAX_TOKENS,
      temperature: model.temperature ?? 0.7,
      ...(model.endpoint ? { endpoint: model.endpoint } : {}),
      ...(model.systemPrompt ? { systemPrompt: model.systemPrompt } : {}),
    };
    if (await this.store.adapter.getSecret(keySlot(personId))) {
      await this.store.putVersioned(llm); // no new version when nothing changed
      return { personId, llm };
    }
    const secrets: SecretKeys = { sign: this.crypto.ed25519.generateSecretKey(), encrypt: this.crypto.x25519.generateSecretKey() };
    const keys: Keys = { $type$: 'Keys', owner: personId, publicSignKey: this.crypto.ed25519.publicKey(secrets.sign), publicEncryptionKey: this.crypto.x25519.publicKey(secrets.encrypt) };
    const keysHash = this.store.prepare(keys).hash;
    const profile: Profile = { $type$: 'Profile', profileId: 'default', personId, owner: personId, nickname: model.name };
    const sign = (issuer: SHA256Hash, issuerKeys: SHA256Hash, signer: { sign(m: Uint8Array): Uint8Array }): Signature => ({
      $type$: 'Signature',
      issuer,
      keys: issuerKeys,
      data: keysHash,
      signature: signer.sign(signatureMessage(keysHash)),
    });
    await this.store.commit({
      versioned: [person, keys, profile, llm],
      objects: [sign(personId, keysHash, this.crypto.ed25519.signer(secrets.sign)), sign(this.identity.personId, this.identity.person.keysHash, this.identity.person.signer)],
      secrets: [{ name: keySlot(personId), value: this.#secrets.seal(keySlot(personId), dagCbor.encode(secrets)) }],
    });
    return { personId, llm };
  }

  /** The LLM object of a Person, if it is an AI contact this store knows (any instance's). */
  async llmOf(personId: SHA256Hash): Promise<Llm | undefined> {
    const latest = await this.store.getLatest<Llm>(this.store.idHashOf({ $type$: 'LLM', person: personId } as LamaObject));
    return latest?.object;
  }

  /** The AI contacts this user runs. */
  async list(): Promise<AiContact[]> {
    const persons = new Set<SHA256Hash>();
    for (const hash of await this.store.referencing(this.identity.personId, 'LLM')) persons.add((await this.store.get<Llm>(hash)).person);
    const out: AiContact[] = [];
    for (const personId of persons) {
      const llm = await this.llmOf(personId);
      if (llm && llm.owner === this.identity.personId) out.push({ personId, llm });
    }
    return out.sort((a, b) => a.llm.name.localeCompare(b.llm.name));
  }

  /** The keys an AI contact signs its messages with; undefined for an AI this instance does not run. */
  async keysOf(personId: SHA256Hash): Promise<KeyPairs | undefined> {
    const sealed = await this.store.adapter.getSecret(keySlot(personId));
    if (!sealed) return undefined;
    const secrets = dagCbor.decode(this.#secrets.open(keySlot(personId), sealed)) as SecretKeys;
    const published = await this.store.getLatest<Keys>(this.store.idHashOf({ $type$: 'Keys', owner: personId } as Keys));
    if (!published) return undefined;
    return {
      keysHash: published.hash,
      signer: this.crypto.ed25519.signer(secrets.sign),
      encryptionSecretKey: secrets.encrypt,
      encryptionPublicKey: this.crypto.x25519.publicKey(secrets.encrypt),
    };
  }

  /**
   * Lets `persons` (the user's contacts: the browser, other devices) see every AI contact: its
   * Person (with keys and profile, by the closure's identity rule) and its LLM object. They join a
   * group kept for this, so a person added later sees every AI, and a new AI is seen by everyone
   * added before — one grant per AI, naming the group.
   */
  async shareWith(persons: readonly SHA256Hash[] = []): Promise<void> {
    const group = { $type$: 'Group', owner: this.identity.personId, name: AI_VIEWERS_GROUP };
    const groupId = this.store.idHashOf(group);
    const current = (await this.store.getLatest<LamaObject & { members: readonly SHA256Hash[] }>(groupId))?.object.members ?? [];
    const members = [...new Set([this.identity.personId, ...current, ...persons])].sort();
    if (members.join() !== [...current].sort().join()) await this.store.putVersioned({ ...group, members } as LamaObject);
    for (const { personId } of await this.list()) {
      for (const id of [personId, this.store.idHashOf({ $type$: 'LLM', person: personId } as LamaObject)]) {
        const grant = await this.store.getLatest<{ groups: readonly SHA256Hash[] } & LamaObject>(this.store.idHashOf({ $type$: 'IdAccess', id } as LamaObject));
        if (grant?.object.groups.includes(groupId)) continue;
        await setAccess(this.store, { id }, { persons: [this.identity.personId], groups: [groupId] });
      }
    }
  }
}
