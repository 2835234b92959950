import { APP_RECIPES } from '../app-recipes.ts';
import { Chat } from '../chat/chat.ts';
import { liveSparseChatPolicy } from '../chat/sparse-policy.ts';
import { shareTopicsAsTheyArrive } from '../chat/topic-sharing.ts';
import { followTopic } from '../chat/topic-feed.ts';
import { visibleAiContacts } from '../ai/ai-directory.ts';
import type { StoredMessage } from '../chat/message-order.ts';
import type { SHA256Hash } from '../store/hash.ts';
import type { ChumSession } from '../chum/chum-session.ts';
import { chumSync } from '../chum/chum-sync.ts';
import { nobleCrypto } from '../crypto/noble-crypto.ts';
import { DialingPeer } from '../federation/dialing-peer.ts';
import { connectWebSocket } from '../net/ws-client.dom.ts';
import { IndexedDbStorage } from '../store/indexeddb-storage.dom.ts';
import { ObjectStore } from '../store/object-store.ts';
import type { BrowserUser } from '../../machines/browser-session.ts';

/**
 * The browser instance (DESIGN.md §1): its own user in its own sparse IndexedDB store, federating
 * with the Node instance over the browser's WebSocket and the @noble crypto provider. Its CHUM
 * session fetches structure at once and message bodies when a topic is on screen (specs/chat.md §4);
 * its Chat fetches those bodies through the live session.
 */
/** The local secret naming the Node user's Person this browser pairs with. */
const NODE_PERSON = 'browser/node-person';

export class BrowserInstance {
  readonly peer: DialingPeer;
  /** The connection's `sync` actor: CHUM with the sparse policy, tracking the live session. */
  readonly sync: ReturnType<typeof chumSync>;
  #session: ChumSession | undefined;
  #nodePerson: SHA256Hash | undefined;
  readonly #syncListeners = new Set<(state: string) => void>();
  #chat: Chat | undefined;
  #stopSharing: (() => void) | undefined;

  constructor(readonly store: ObjectStore) {
    this.peer = new DialingPeer({ store, crypto: nobleCrypto, instanceName: 'browser', dial: (url) => connectWebSocket(url) });
    this.sync = chumSync({
      store: () => store,
      crypto: nobleCrypto,
      policy: liveSparseChatPolicy(() => this.#session?.state === 'live'),
      onSession: (peer, session) => {
        this.#session = session;
        this.#syncListeners.forEach((listener) => listener(this.syncState));
        session?.on((event) => {
          if (event.type === 'state') this.#syncListeners.forEach((listener) => listener(this.syncState));
        });
        if (session && peer.personId !== this.#nodePerson) {
          this.#nodePerson = peer.personId as SHA256Hash;
          // Kept, so the next launch knows the archive's Person before it links again.
          void store.adapter.write({ secrets: [{ name: NODE_PERSON, value: new TextEncoder().encode(peer.personId) }] }).catch(() => undefined);
        }
      },
    });
  }

  /** Creates or unlocks the browser's user; its chat starts with it. */
  async unlock(request: Parameters<DialingPeer['unlock']>[0]): Promise<BrowserUser> {
    const user = await this.peer.unlock(request);
    const known = await this.store.adapter.getSecret(NODE_PERSON);
    if (known && !this.#nodePerson) this.#nodePerson = new TextDecoder().decode(known) as SHA256Hash;
    this.#stopSharing?.();
    this.#chat = new Chat({ store: this.store, identity: this.peer.identity!, fetchMissing: (hashes) => this.#fetch(hashes) });
    this.#stopSharing = shareTopicsAsTheyArrive(this.store, this.#chat, { onError: (error) => console.error('LAMA topic sharing:', error) });
    return user;
  }

  /** The user's chat, once unlocked. */
  get chat(): Chat | undefined {
    return this.#chat;
  }

  /** Whether a CHUM session with the Node is running (bodies can be fetched). */
  get syncing(): boolean {
    return this.#session !== undefined;
  }

  /** The CHUM session's state (`greeting`, `syncing`, `live`…), or `offline` without one. */
  get syncState(): string {
    return this.#session?.state ?? 'offline';
  }

  /** Tells `listener` each time `syncState` changes (a session starts, goes live, ends). */
  onSyncState(listener: (state: string) => void): () => void {
    this.#syncListeners.add(listener);
    return () => this.#syncListeners.delete(listener);
  }

  /** The Node user's Person (the archive this browser syncs with): known once linked, and from then on at every unlock. */
  get nodePerson(): SHA256Hash | undefined {
    return this.#nodePerson;
  }

  /** The AI contacts the Node user runs, as far as they have synced here. */
  aiContacts(): ReturnType<typeof visibleAiContacts> {
    return this.#nodePerson ? visibleAiContacts(this.store, this.#nodePerson) : Promise.resolve([]);
  }

  /** New messages of a topic as they arrive (the open chat view follows its topic). */
  follow(topic: SHA256Hash, listener: (messages: StoredMessage[]) => void): () => void {
    if (!this.#chat) throw new Error('the browser user is locked');
    return followTopic(this.store, this.#chat, topic, listener, (error) => console.error('LAMA topic feed:', error));
  }

  async #fetch(hashes: readonly Parameters<ChumSession['fetch']>[0][number][]): Promise<void> {
    // Offline: what is here is shown; the rest comes when the session is back.
    if (this.#session) await this.#session.fetch(hashes);
  }
}

export async function openBrowserInstance(name = 'lama-browser'): Promise<BrowserInstance> {
  const store = new ObjectStore({ adapter: await IndexedDbStorage.open(name), hasher: nobleCrypto, recipes: APP_RECIPES });
  return new BrowserInstance(store);
}
