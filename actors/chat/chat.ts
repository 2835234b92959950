import type { Identity } from '../identity/identity.ts';
import type { Signature } from '../identity/identity-recipes.ts';
import { signatureMessage } from '../identity/signatures.ts';
import { setAccess } from '../store/access.ts';
import type { SHA256Hash } from '../store/hash.ts';
import type { ObjectStore } from '../store/object-store.ts';
import type { LamaObject } from '../store/recipes.ts';
import type { VersionNode } from '../store/store-recipes.ts';
import { ChatError } from './chat-error.ts';
import type { Attachment, ChatMessage, Topic } from './chat-recipes.ts';
import { compareMessages, type StoredMessage } from './message-order.ts';

/** A message's place in its channel, known from the version graph alone — no body needed (§4). */
export interface MessageRef {
  readonly hash: SHA256Hash;
  readonly author: SHA256Hash;
  /** The version's timestamp: the author's clock, never below its parent's + 1. */
  readonly timestamp: number;
}

export interface TopicEntry {
  readonly idHash: SHA256Hash;
  readonly topic: Topic;
}

export interface SendOptions {
  readonly createdAt?: number;
  readonly attachments?: readonly Attachment[];
  readonly kind?: 'text' | 'system';
  readonly incomplete?: boolean;
  readonly replyTo?: SHA256Hash;
  /** Write as another Person this instance holds keys for (an AI contact); defaults to the user. */
  readonly as?: { readonly personId: SHA256Hash; readonly keys: Identity['person'] };
}

export interface ChatOptions {
  readonly store: ObjectStore;
  readonly identity: Identity;
  /** Fetches bodies this (sparse) store lacks from a peer; absent on a full archive. */
  readonly fetchMissing?: (hashes: readonly SHA256Hash[]) => Promise<void>;
  readonly now?: () => number;
}

export const MAX_TEXT_CHARS = 100_000;

/**
 * Topics and messages over the object store (specs/chat.md). Everything it writes is an object
 * that CHUM carries; nothing here touches the network except through `fetchMissing`.
 */
export class Chat {
  readonly #store: ObjectStore;
  readonly #identity: Identity;
  readonly #now: () => number;
  /** The last `createdAt` this Chat wrote per author: a burst within one millisecond keeps its order (§3). */
  readonly #lastCreated = new Map<SHA256Hash, number>();

  constructor(private readonly options: ChatOptions) {
    this.#store = options.store;
    this.#identity = options.identity;
    this.#now = options.now ?? Date.now;
  }

  get me(): SHA256Hash {
    return this.#identity.personId;
  }

  topicIdHash(topicId: string): SHA256Hash {
    return this.#store.idHashOf({ $type$: 'Topic', topicId } as LamaObject);
  }

  /** The ID of `author`'s channel in a topic: the versioned thing whose versions are their messages. */
  channelId(topic: SHA256Hash, author: SHA256Hash): SHA256Hash {
    return this.#store.idHashOf({ $type$: 'ChatMessage', topic, author } as LamaObject);
  }

  /** A group topic (random id), or — with `topicId` — a topic whose id the caller derived. */
  async createTopic(request: { name: string; participants: readonly SHA256Hash[]; topicId?: string }): Promise<TopicEntry> {
    const participants = [...new Set([this.me, ...request.participants])].sort();
    if (request.name.trim() === '') throw new ChatError('BAD_TOPIC', 'a topic needs a name');
    if (participants.length < 2) throw new ChatError('BAD_TOPIC', 'a topic needs someone besides you');
    const topic: Topic = {
      $type$: 'Topic',
      topicId: request.topicId ?? `group:${randomId()}`,
      name: request.name.trim(),
      participants,
      createdBy: this.me,
      createdAt: this.#now(),
    };
    const existing = await this.#store.getLatest<Topic>(this.topicIdHash(topic.topicId));
    if (existing) return { idHash: this.topicIdHash(topic.topicId), topic: existing.object };
    const { idHash } = await this.#store.putVersioned(topic);
    await this.shareTopic(idHash);
    return { idHash, topic };
  }

  /**
   * The one-to-one topic with `other`: its id is derived from both persons, so both sides that
   * create it concurrently create the same topic (its versions merge).
   */
  directTopic(other: SHA256Hash, name: string): Promise<TopicEntry> {
    return this.createTopic({ name, participants: [other], topicId: directTopicId(this.me, other) });
  }

  async topic(idHash: SHA256Hash): Promise<Topic> {
    const latest = await this.#store.getLatest<Topic>(idHash);
    if (!latest || latest.object.$type$ !== 'Topic') throw new ChatError('NO_TOPIC', `topic ${idHash} is not in this store`);
    return latest.object;
  }

  /** The topics this user takes part in, most recently created first. */
  async topics(): Promise<TopicEntry[]> {
    const ids = new Set<SHA256Hash>();
    for (const hash of await this.#store.referencing(this.me, 'Topic')) {
      const topic = await this.#store.get<Topic>(hash);
      ids.add(this.topicIdHash(topic.topicId));
    }
    const entries: TopicEntry[] = [];
    for (const idHash of ids) {
      const topic = await this.#store.getLatest<Topic>(idHash);
      if (topic?.object.participants.includes(this.me)) entries.push({ idHash, topic: topic.object });
    }
    return entries.sort((a, b) => b.topic.createdAt - a.topic.createdAt || (a.idHash < b.idHash ? -1 : 1));
  }

  /**
   * Grants every participant the topic and every participant's channel (specs/chat.md §5), so
   * CHUM offers each of them the topic and all its messages — including messages this store
   * relays for others. Writes nothing when the grants are already in place.
   */
  async shareTopic(idHash: SHA256Hash): Promise<void> {
    const topic = await this.topic(idHash);
    const targets = [idHash, ...topic.participants.map((p) => this.channelId(idHash, p))];
    for (const id of targets) {
      const current = await this.#store.getLatest<{ persons: readonly SHA256Hash[] } & LamaObject>(this.#store.idHashOf({ $type$: 'IdAccess', id } as LamaObject));
      if (current && sameMembers(current.object.persons, topic.participants)) continue;
      await setAccess(this.#store, { id }, { persons: topic.participants });
    }
  }

  /** Writes one message (a new version of the author's channel) and its signature, atomically. */
  async send(topicIdHash: SHA256Hash, text: string, options: SendOptions = {}): Promise<StoredMessage> {
    const topic = await this.topic(topicIdHash);
    const author = options.as?.personId ?? this.me;
    const keys = options.as?.keys ?? this.#identity.person;
    if (!topic.participants.includes(author)) throw new ChatError('NOT_PARTICIPANT', `${author} is not a participant of topic ${topicIdHash}`);
    if (text.trim() === '' && (options.attachments?.length ?? 0) === 0) throw new ChatError('EMPTY_MESSAGE', 'a message needs text or an attachment');
    if (text.length > MAX_TEXT_CHARS) throw new ChatError('TOO_LONG', `a message holds at most ${MAX_TEXT_CHARS} characters, this one has ${text.length}`);
    const message: ChatMessage = {
      $type$: 'ChatMessage',
      topic: topicIdHash,
      author,
      text,
      createdAt: options.createdAt ?? this.#nextCreatedAt(author),
      ...(options.attachments?.length ? { attachments: options.attachments } : {}),
      ...(options.kind && options.kind !== 'text' ? { kind: options.kind } : {}),
      ...(options.incomplete ? { incomplete: true } : {}),
      ...(options.replyTo ? { replyTo: options.replyTo } : {}),
    };
    const hash = this.#store.prepare(message).hash;
    const signature: Signature = { $type$: 'Signature', issuer: author, keys: keys.keysHash, data: hash, signature: keys.signer.sign(signatureMessage(hash)) };
    await this.#store.commit({ versioned: [message], objects: [signature] });
    return { hash, message };
  }

  #nextCreatedAt(author: SHA256Hash): number {
    const at = Math.max(this.#now(), (this.#lastCreated.get(author) ?? 0) + 1);
    this.#lastCreated.set(author, at);
    return at;
  }

  /**
   * Every message of a topic as the version graph knows it, oldest first by version timestamp —
   * without reading a single body, so a sparse store can choose which bodies to fetch (§4).
   */
  async messageRefs(topicIdHash: SHA256Hash): Promise<MessageRef[]> {
    const topic = await this.topic(topicIdHash);
    const refs: MessageRef[] = [];
    for (const author of topic.participants) {
      for (const { node } of await this.#store.getHistory(this.channelId(topicIdHash, author))) {
        refs.push({ hash: (node as VersionNode).data, author, timestamp: node.timestamp });
      }
    }
    return refs.sort((a, b) => a.timestamp - b.timestamp || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  }

  /**
   * The newest `limit` messages (before `before`, a message hash, for scrolling back), oldest
   * first in the topic order. Bodies a sparse store lacks are fetched first; any the peer cannot
   * give are left out.
   */
  async messages(topicIdHash: SHA256Hash, request: { limit?: number; before?: SHA256Hash } = {}): Promise<StoredMessage[]> {
    let refs = await this.messageRefs(topicIdHash);
    if (request.before) {
      const at = refs.findIndex((r) => r.hash === request.before);
      if (at >= 0) refs = refs.slice(0, at);
    }
    const page = refs.slice(-(request.limit ?? 50));
    return this.bodies(page.map((r) => r.hash));
  }

  /** The messages named, in topic order; fetched from the peer where this store lacks them. */
  async bodies(hashes: readonly SHA256Hash[]): Promise<StoredMessage[]> {
    let bodies = await this.#store.getMany<ChatMessage>(hashes);
    const missing = hashes.filter((_, i) => bodies[i] === undefined);
    if (missing.length > 0 && this.options.fetchMissing) {
      await this.options.fetchMissing(missing);
      const fetched = new Map((await this.#store.getMany<ChatMessage>(missing)).map((m, i) => [missing[i]!, m]));
      bodies = bodies.map((m, i) => m ?? fetched.get(hashes[i]!));
    }
    const out: StoredMessage[] = [];
    bodies.forEach((message, i) => {
      if (message?.$type$ === 'ChatMessage') out.push({ hash: hashes[i]!, message });
    });
    return out.sort(compareMessages);
  }
}

export function directTopicId(a: SHA256Hash, b: SHA256Hash): string {
  return `direct:${[a, b].sort().join(':')}`;
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  const sorted = [...b].sort();
  return a.length === sorted.length && [...a].sort().every((x, i) => x === sorted[i]);
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
