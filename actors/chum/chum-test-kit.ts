import { nobleCrypto } from '../crypto/noble-crypto.ts';
import type { CryptoProvider } from '../crypto/crypto-provider.ts';
import { IDENTITY_RECIPES } from '../identity/identity-recipes.ts';
import type { SHA256Hash } from '../store/hash.ts';
import { MemoryStorage } from '../store/memory-storage.ts';
import { ObjectStore } from '../store/object-store.ts';
import type { LamaObject, Recipe } from '../store/recipes.ts';
import type { StorageAdapter } from '../store/storage-adapter.ts';
import { ChumSession, type ChumSessionOptions } from './chum-session.ts';
import { MemoryLink, type MemoryLinkOptions } from './memory-link.ts';

/** Test helpers: message-like recipes, stores, and two sessions over one in-memory link. */

export const crypto: CryptoProvider = nobleCrypto;

/** A chat message: text, an optional attachment BLOB, an optional author (a Person's ID). */
export const TestMessageRecipe: Recipe = {
  name: 'TestMessage',
  fields: {
    text: { type: { kind: 'string' } },
    n: { type: { kind: 'integer' }, optional: true },
    attachment: { type: { kind: 'blob' }, optional: true },
    author: { type: { kind: 'idref' }, optional: true },
  },
};

/** A topic: versioned by name; each version lists its messages. */
export const TestTopicRecipe: Recipe = {
  name: 'TestTopic',
  fields: {
    name: { type: { kind: 'string' }, identity: true },
    messages: { type: { kind: 'list', item: { kind: 'ref' } } },
  },
};

export const TEST_RECIPES: readonly Recipe[] = [...IDENTITY_RECIPES, TestMessageRecipe, TestTopicRecipe];

export function testStore(adapter: StorageAdapter = new MemoryStorage()): ObjectStore {
  return new ObjectStore({ adapter, hasher: crypto, recipes: TEST_RECIPES });
}

export const message = (text: string, extra: Record<string, unknown> = {}): LamaObject => ({ $type$: 'TestMessage', text, ...extra }) as LamaObject;
export const topic = (name: string, messages: SHA256Hash[]): LamaObject => ({ $type$: 'TestTopic', name, messages: [...messages] }) as LamaObject;

/** A made-up Person or Instance id: grants and sessions need only the hash. */
export function fakeId(label: string): SHA256Hash {
  return crypto.sha256Hex(new TextEncoder().encode(label)) as SHA256Hash;
}

export interface Peer {
  readonly store: ObjectStore;
  readonly person: SHA256Hash;
  readonly instance: SHA256Hash;
}

export function testPeer(name: string, store = testStore()): Peer {
  return { store, person: fakeId(`person ${name}`), instance: fakeId(`instance ${name}`) };
}

export interface Connected {
  readonly link: MemoryLink;
  readonly a: ChumSession;
  readonly b: ChumSession;
  /** Delivers frames (manual links) and lets both sessions work until nothing is left to do. */
  settle(pick?: (inTransit: number) => number): Promise<void>;
}

type SessionExtras = Partial<Omit<ChumSessionOptions, 'store' | 'crypto' | 'port' | 'peer'>>;

/** Starts a session between `a` and `b` over a fresh link. */
export function connect(a: Peer, b: Peer, options: { link?: MemoryLinkOptions; a?: SessionExtras; b?: SessionExtras } = {}): Connected {
  const link = new MemoryLink(options.link);
  const sa = ChumSession.start({ store: a.store, crypto, port: link.a, peer: { personId: b.person, instanceId: b.instance }, ...options.a });
  const sb = ChumSession.start({ store: b.store, crypto, port: link.b, peer: { personId: a.person, instanceId: a.instance }, ...options.b });
  const settle = async (pick: (inTransit: number) => number = () => 0) => {
    for (;;) {
      await Promise.all([sa.idle(), sb.idle()]);
      // One side's work may have handed the other something while it waited: look again.
      if (sa.busy || sb.busy) continue;
      if (link.inTransit.length === 0) return;
      link.deliver(pick(link.inTransit.length));
    }
  };
  return { link, a: sa, b: sb, settle };
}

/** Every object hash in a store, sorted. */
export async function objectsOf(store: ObjectStore): Promise<SHA256Hash[]> {
  return (await store.adapter.arrivalsAfter(0, Number.MAX_SAFE_INTEGER)).map((a) => a.hash).sort();
}

/** Reads every object back through the store, which verifies hash, encoding and recipe. */
export async function verifyAll(store: ObjectStore): Promise<void> {
  const hashes = await objectsOf(store);
  const objects = await store.getMany(hashes);
  if (objects.some((o) => o === undefined)) throw new Error('an arrival without its object');
}
