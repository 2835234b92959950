import type { Llm } from '../ai/ai-recipes.ts';
import { visibleAiContacts } from '../ai/ai-directory.ts';
import { chatUser } from '../chat/chat-test-kit.ts';
import { followTopic } from '../chat/topic-feed.ts';
import type { Identity } from '../identity/identity.ts';
import type { Person } from '../identity/identity-recipes.ts';
import type { SHA256Hash } from '../store/hash.ts';
import type { LamaObject } from '../store/recipes.ts';
import type { ChatSource } from './chat-source.ts';

/**
 * A browser-like chat world for the views' tests, fixtures and benchmarks, over a memory store
 * with real objects: the user (Ada, whose messages are really signed), her Node archive's Person,
 * an AI contact the archive runs (Person + LLM object, as CHUM brings them) and another human. The
 * AI and the other human can write into topics (`as`), signed with their own keys.
 */
export async function chatWorld(options: { now?: () => number; aiName?: string } = {}) {
  const user = await chatUser('Ada', options.now ? { now: options.now } : {});
  const { store, chat } = user;
  const someone = async (name: string) => {
    const other = await chatUser(name);
    const person = (await other.store.getLatest<Person>(other.person))!.object;
    await store.putVersioned(person);
    return { personId: other.person, keys: other.identity.person, identity: other.identity as Identity };
  };
  const node = await someone('Ada');
  const ai = await someone(options.aiName ?? 'Tiny');
  const bob = await someone('Bob');
  const llm: Llm = {
    $type$: 'LLM',
    person: ai.personId,
    owner: node.personId,
    name: options.aiName ?? 'Tiny',
    provider: 'ollama',
    providerKind: 'ollama',
    modelId: 'tiny:1b',
    capabilities: ['chat', 'tools'],
    contextLength: 4096,
    maxTokens: 1024,
    temperature: 0.7,
  };
  await store.putVersioned(llm as unknown as LamaObject);
  let syncState = 'live';
  const source: ChatSource & { syncState: string } = {
    chat,
    store,
    nodePerson: node.personId,
    get syncState() {
      return syncState;
    },
    set syncState(state: string) {
      syncState = state;
    },
    aiContacts: () => visibleAiContacts(store, node.personId),
    follow: (topic, listener) => followTopic(store, chat, topic, listener),
  };
  return {
    ...user,
    source,
    node,
    ai,
    bob,
    /** Writes as the AI contact or the other human. */
    sendAs: (who: { personId: SHA256Hash; keys: Identity['person'] }, topic: SHA256Hash, text: string, extra: { createdAt?: number; kind?: 'system'; incomplete?: boolean } = {}) =>
      chat.send(topic, text, { ...extra, as: { personId: who.personId, keys: who.keys } }),
  };
}

export type ChatWorld = Awaited<ReturnType<typeof chatWorld>>;
