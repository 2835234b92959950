import { fromCallback, fromPromise } from 'xstate';
import type { ChatMessage } from '../chat/chat-recipes.ts';
import type { TopicEntry } from '../chat/chat.ts';
import type { SHA256Hash } from '../store/hash.ts';
import type { ChatPerson } from '../../machines/chat-view.ts';
import type { TopicListContext, TopicListData, TopicListEvent, TopicSummary } from '../../machines/topic-list.ts';
import { ChatPeople } from './chat-people.ts';
import { chatOf, ChatViewError, type ChatSource } from './chat-source.ts';
import type { ReadMarkers } from './topic-read-markers.ts';

/** Store writes that can change the list: topics, messages (version nodes), names, AI contacts. */
const RELEVANT = new Set(['Topic', 'VersionNode', 'ChatMessage', 'Person', 'LLM']);
/** The preview keeps this much text; the row shows one line of it. */
const PREVIEW_CHARS = 280;

/**
 * The effects of machines/topic-list.ts over the browser instance: the topics with their newest
 * message and how many messages others wrote (from the version graph, no bodies but the newest),
 * who a new chat can include, store writes as `store.changed`, creating a topic with the Node
 * archive among its participants (so the archive — which runs the AIs — receives it), and the read
 * markers kept on this device.
 */
export function topicListEffects(source: ChatSource, markers: ReadMarkers, people = new ChatPeople(source)) {
  /** Per topic: the newest message's hash and the preview read for it, so a refresh reads no body twice. */
  const previews = new Map<SHA256Hash, { hash: SHA256Hash; last: TopicSummary['last'] }>();

  const summarize = async (entries: readonly TopicEntry[]): Promise<TopicSummary[]> => {
    const chat = chatOf(source);
    const refs = await Promise.all(entries.map((entry) => chat.messageRefs(entry.idHash)));
    const newest = refs.map((r) => r.at(-1));
    const unread = newest.filter((ref, i): ref is NonNullable<typeof ref> => ref !== undefined && previews.get(entries[i]!.idHash)?.hash !== ref.hash);
    // One batch for every topic whose newest message changed: a sparse store fetches them together.
    const bodies = new Map((await chat.bodies(unread.map((r) => r.hash))).map((m) => [m.hash, m.message]));
    return Promise.all(
      entries.map(async (entry, i) => {
        const ref = newest[i];
        if (ref && previews.get(entry.idHash)?.hash !== ref.hash) {
          const body = bodies.get(ref.hash);
          if (body) previews.set(entry.idHash, { hash: ref.hash, last: preview(body) });
        }
        return {
          id: entry.idHash,
          name: entry.topic.name,
          participants: await people.people(entry.topic.participants),
          ...(ref && previews.get(entry.idHash)?.hash === ref.hash ? { last: previews.get(entry.idHash)!.last } : {}),
          lastActivity: Math.max(entry.topic.createdAt, ref?.timestamp ?? 0),
          othersCount: refs[i]!.filter((r) => !people.isSelf(r.author)).length,
        };
      }),
    );
  };

  const contacts = async (topics: readonly TopicSummary[]): Promise<ChatPerson[]> => {
    const ais = await source.aiContacts();
    const found = new Map<string, ChatPerson>(ais.map((ai) => [ai.personId, { id: ai.personId, name: ai.llm.name, ai: true, self: false }]));
    // People: everyone the user already shares a topic with (contacts reach the browser through topics).
    for (const topic of topics) for (const p of topic.participants) if (!p.self && !found.has(p.id)) found.set(p.id, p);
    return [...found.values()].sort((a, b) => Number(b.ai) - Number(a.ai) || a.name.localeCompare(b.name));
  };

  return {
    actors: {
      loadTopics: fromPromise<TopicListData>(async () => {
        const topics = await summarize(await chatOf(source).topics());
        return { topics, contacts: await contacts(topics) };
      }),
      watchStore: fromCallback<TopicListEvent>(({ sendBack }) =>
        source.store.onWrite((write) => {
          if (write.decoded.some((o) => o.$type$ === 'Person' || o.$type$ === 'LLM')) people.forget();
          if (write.decoded.some((o) => RELEVANT.has(o.$type$))) sendBack({ type: 'store.changed' });
        }),
      ),
      createTopic: fromPromise<TopicSummary, { name: string; participants: readonly string[] }>(async ({ input }) => {
        const chat = chatOf(source);
        const chosen = await people.people(input.participants as SHA256Hash[]);
        if (!source.nodePerson && chosen.some((p) => p.ai)) {
          throw new ChatViewError('NOT_LINKED', 'this browser is not linked to your LAMA archive yet, which runs the AI contacts');
        }
        const participants = [...input.participants, ...(source.nodePerson ? [source.nodePerson] : [])] as SHA256Hash[];
        const name = input.name.trim() || chosen.map((p) => p.name).join(', ');
        const entry = await chat.createTopic({ name, participants });
        const [summary] = await summarize([entry]);
        return summary!;
      }),
    },
    actions: {
      saveRead: ({ context }: { context: TopicListContext }) => markers.save(context.read),
    },
  };
}

function preview(message: ChatMessage): NonNullable<TopicSummary['last']> {
  return {
    author: message.author,
    text: message.text.length > PREVIEW_CHARS ? message.text.slice(0, PREVIEW_CHARS) : message.text,
    at: message.createdAt,
    ...(message.kind === 'system' ? { kind: 'system' as const } : {}),
  };
}
