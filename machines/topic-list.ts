import { assertEvent, assign, fromCallback, fromPromise, setup } from 'xstate';
import type { ChatFailure, ChatPerson } from './chat-view.ts';
import { toFailure } from './chat-view.ts';
import { notProvided } from './not-provided.ts';

/**
 * The user's topics for the topic list (specs/chat.md §4):
 *
 *   loading ──ok──▶ ready ─┬─ refresh: idle ──store.changed──▶ waiting ──(refreshDelay)──▶ refreshing ──▶ idle
 *      │  ▲                │                                     (changes meanwhile: waiting again)
 *      ▼  │ topics.reload  └─ create:  idle ──topic.create──▶ creating ──▶ idle (the new topic selected)
 *   failed
 *
 * Store writes come in bursts while CHUM syncs, so a refresh waits `refreshDelay` after the first
 * write and then reads everything once; writes during a refresh cause one more. Unread counts are
 * kept locally: per topic, how many messages by others the user had seen (`read`), against how many
 * there are now. The open topic counts as read, also as messages arrive in it.
 */
export interface TopicSummary {
  readonly id: string;
  readonly name: string;
  readonly participants: readonly ChatPerson[];
  /** The newest message, for the preview line. */
  readonly last?: { readonly author: string; readonly text: string; readonly at: number; readonly kind?: 'text' | 'system' };
  /** The newest message's time, else the topic's creation. */
  readonly lastActivity: number;
  /** Messages written by others than the user (what a read marker counts). */
  readonly othersCount: number;
}

export interface TopicListData {
  readonly topics: readonly TopicSummary[];
  /** Who a new chat can include: AI contacts and people, the user's own persons left out. */
  readonly contacts: readonly ChatPerson[];
}

export interface TopicListInput {
  /** Read markers kept on this device: topic → messages by others seen. */
  readonly read?: Readonly<Record<string, number>>;
}

export interface TopicListContext {
  readonly topics: readonly TopicSummary[];
  readonly contacts: readonly ChatPerson[];
  readonly read: Readonly<Record<string, number>>;
  readonly selected?: string;
  /** Writes arrived during a refresh: one more is due. */
  readonly dirty: boolean;
  readonly error?: ChatFailure;
  readonly createError?: ChatFailure;
}

export type TopicListEvent =
  | { type: 'store.changed' }
  | { type: 'topics.reload' }
  | { type: 'topic.select'; topic: string }
  | { type: 'topic.close' }
  | { type: 'topic.create'; name: string; participants: readonly string[] };

export const REFRESH_DELAY_MS = 250;

/** Newest activity first; ties by name, so the order never flickers. */
export function sortTopics(topics: readonly TopicSummary[]): TopicSummary[] {
  return [...topics].sort((a, b) => b.lastActivity - a.lastActivity || a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
}

/** Messages by others the user has not seen in a topic. */
export function unreadCount(context: Pick<TopicListContext, 'read'>, topic: TopicSummary): number {
  return Math.max(0, topic.othersCount - (context.read[topic.id] ?? 0));
}

export const topicListMachine = setup({
  types: {} as { input: TopicListInput; context: TopicListContext; events: TopicListEvent },
  actors: {
    loadTopics: fromPromise<TopicListData>(notProvided('loadTopics')),
    /** `store.changed` after store writes that may concern topics, messages or contacts. */
    watchStore: fromCallback<TopicListEvent>(notProvided('watchStore')),
    /** Creates a topic (the user's Node archive among its participants); resolves with its summary. */
    createTopic: fromPromise<TopicSummary, { name: string; participants: readonly string[] }>(notProvided('createTopic')),
  },
  actions: {
    /** Keeps the read markers (`context.read`) on this device; called after every change that may touch them. */
    saveRead: notProvided('saveRead'),
    keepData: assign((_, data: TopicListData) => ({ topics: sortTopics(data.topics), contacts: data.contacts, error: undefined })),
    keepError: assign({ error: (_, error: ChatFailure) => error }),
    markDirty: assign({ dirty: true }),
    clearDirty: assign({ dirty: false }),
    select: assign({
      selected: ({ event }) => {
        assertEvent(event, 'topic.select');
        return event.topic;
      },
    }),
    close: assign({ selected: undefined }),
    /** The open topic is read up to its newest message. */
    markSelectedRead: assign({
      read: ({ context }) => {
        const topic = context.topics.find((t) => t.id === context.selected);
        return topic && context.read[topic.id] !== topic.othersCount ? { ...context.read, [topic.id]: topic.othersCount } : context.read;
      },
    }),
    keepCreated: assign(({ context }, topic: TopicSummary) => ({
      topics: context.topics.some((t) => t.id === topic.id) ? context.topics : sortTopics([topic, ...context.topics]),
      selected: topic.id,
      createError: undefined,
    })),
    keepCreateError: assign({ createError: (_, error: ChatFailure) => error }),
    clearCreateError: assign({ createError: undefined }),
  },
  guards: {
    isDirty: ({ context }) => context.dirty,
  },
  delays: { refreshDelay: REFRESH_DELAY_MS },
}).createMachine({
  id: 'topicList',
  context: ({ input }) => ({ topics: [], contacts: [], read: { ...(input.read ?? {}) }, dirty: false }),
  invoke: { src: 'watchStore' },
  on: {
    'topic.select': { actions: ['select', 'markSelectedRead', 'saveRead'] },
    'topic.close': { actions: 'close' },
  },
  initial: 'loading',
  states: {
    loading: {
      invoke: {
        src: 'loadTopics',
        onDone: { target: 'ready', actions: [{ type: 'keepData', params: ({ event }) => event.output }, 'markSelectedRead', 'saveRead'] },
        onError: { target: 'failed', actions: { type: 'keepError', params: ({ event }) => toFailure(event.error) } },
      },
    },
    failed: { on: { 'topics.reload': 'loading', 'store.changed': 'loading' } },
    ready: {
      type: 'parallel',
      states: {
        refresh: {
          initial: 'idle',
          states: {
            idle: { on: { 'store.changed': 'waiting' } },
            waiting: { entry: 'clearDirty', after: { refreshDelay: 'refreshing' } },
            refreshing: {
              on: { 'store.changed': { actions: 'markDirty' } },
              invoke: {
                src: 'loadTopics',
                onDone: [
                  { guard: 'isDirty', target: 'waiting', actions: [{ type: 'keepData', params: ({ event }) => event.output }, 'markSelectedRead', 'saveRead'] },
                  { target: 'idle', actions: [{ type: 'keepData', params: ({ event }) => event.output }, 'markSelectedRead', 'saveRead'] },
                ],
                // A failed refresh keeps what is shown; the next write tries again.
                onError: [{ guard: 'isDirty', target: 'waiting' }, { target: 'idle' }],
              },
            },
          },
        },
        create: {
          initial: 'idle',
          states: {
            idle: { on: { 'topic.create': { target: 'creating', actions: 'clearCreateError' } } },
            creating: {
              invoke: {
                src: 'createTopic',
                input: ({ event }) => {
                  assertEvent(event, 'topic.create');
                  return { name: event.name, participants: event.participants };
                },
                onDone: { target: 'idle', actions: [{ type: 'keepCreated', params: ({ event }) => event.output }, 'markSelectedRead', 'saveRead'] },
                onError: { target: 'idle', actions: { type: 'keepCreateError', params: ({ event }) => toFailure(event.error) } },
              },
            },
          },
        },
      },
    },
  },
});
