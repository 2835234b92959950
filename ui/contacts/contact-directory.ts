import type { BrowserInstance } from '../../actors/browser/browser-instance.dom.ts';
import type { Topic } from '../../actors/chat/chat-recipes.ts';
import type { Person } from '../../actors/identity/identity-recipes.ts';
import type { SHA256Hash } from '../../actors/store/hash.ts';

/**
 * Who the Contacts view lists, read through the browser instance (its own sparse store): the AI
 * contacts the Node user runs, as far as they have synced, and the people this browser shares a
 * topic with. The user's own persons (this browser's and the Node archive's) are not contacts.
 */
export interface Contact {
  readonly personId: string;
  readonly name: string;
  readonly kind: 'ai' | 'person';
  /** AI contacts: the provider kind and id, the model, its context and whether it uses tools. */
  readonly ai?: { readonly providerKind: string; readonly provider: string; readonly modelId: string; readonly contextLength: number; readonly tools: boolean };
}

export interface Directory {
  readonly ai: readonly Contact[];
  readonly people: readonly Contact[];
  /** Whether the browser is linked to its Node archive (without it no AI contact can be seen). */
  readonly linked: boolean;
}

export async function loadDirectory(instance: BrowserInstance): Promise<Directory> {
  const ai: Contact[] = (await instance.aiContacts()).map(({ personId, llm }) => ({
    personId,
    name: llm.name,
    kind: 'ai',
    ai: { providerKind: llm.providerKind, provider: llm.provider, modelId: llm.modelId, contextLength: llm.contextLength, tools: llm.capabilities.includes('tools') },
  }));
  const chat = instance.chat;
  const mine = new Set<string>([chat?.me, instance.nodePerson, ...ai.map((c) => c.personId)].filter((id): id is SHA256Hash => id !== undefined));
  const others = new Set<SHA256Hash>();
  for (const { topic } of chat ? await chat.topics() : []) for (const person of topic.participants) if (!mine.has(person)) others.add(person);
  const people: Contact[] = [];
  for (const personId of others) {
    const person = await instance.store.getLatest<Person>(personId).catch(() => undefined);
    people.push({ personId, name: person?.object.name || 'Someone', kind: 'person' });
  }
  people.sort((a, b) => a.name.localeCompare(b.name));
  return { ai, people, linked: instance.nodePerson !== undefined };
}

/** The object types whose arrival can change the directory. */
export const DIRECTORY_TYPES: ReadonlySet<string> = new Set(['LLM', 'Topic', 'Person', 'Someone']);

/**
 * The chat with exactly these contacts (and the user's Node archive, which answers for the AIs and
 * keeps the history): the existing topic with the same participants, else a new one.
 */
export async function startChat(instance: BrowserInstance, contacts: readonly Pick<Contact, 'personId' | 'name'>[]): Promise<string> {
  const chat = instance.chat;
  const node = instance.nodePerson;
  if (!chat || !node) throw new Error('this browser is not linked to its archive yet');
  const wanted = [...new Set([chat.me, node, ...contacts.map((c) => c.personId as SHA256Hash)])].sort();
  const existing = (await chat.topics()).find(({ topic }) => sameSet(topic.participants, wanted));
  if (existing) return existing.idHash;
  const { idHash } = await chat.createTopic({ name: topicName(contacts), participants: wanted.filter((p) => p !== chat.me) });
  return idHash;
}

export function topicName(contacts: readonly Pick<Contact, 'name'>[]): string {
  const names = contacts.map((c) => c.name);
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} +${names.length - 3}`;
}

function sameSet(a: Topic['participants'], sorted: readonly string[]): boolean {
  return a.length === sorted.length && [...a].sort().every((p, i) => p === sorted[i]);
}
