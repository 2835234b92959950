import { describe, expect, it } from 'vitest';
import { createActor, createMachine, fromCallback, SimulatedClock } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { REFRESH_DELAY_MS, topicListMachine, unreadCount, type TopicListData, type TopicListEvent, type TopicSummary } from '../../machines/topic-list.ts';
import { handSettled, settle } from './model-harness.ts';

/**
 * The event-only model of machines/topic-list.ts: loading, the debounced refresh (with writes
 * arriving while it reads), creating a topic, and which topic is open.
 */
const model = createMachine({
  id: 'topicListModel',
  initial: 'loading',
  states: {
    loading: { on: { 'load.ok': 'ready', 'load.fail': 'failed' } },
    failed: { on: { reload: 'loading', write: 'loading' } },
    ready: {
      type: 'parallel',
      states: {
        refresh: {
          initial: 'idle',
          states: {
            idle: { on: { write: 'waiting' } },
            waiting: { on: { elapsed: 'refreshing' } },
            refreshing: { on: { write: 'refreshingAgain', 'refresh.ok': 'idle', 'refresh.fail': 'idle' } },
            /** Writes came during the read: one more refresh follows. */
            refreshingAgain: { on: { 'refresh.ok': 'waiting' } },
          },
        },
        /** Which topic is open, and whether a new one is being created (from either). */
        session: {
          initial: 'none',
          states: {
            none: { on: { select: 'open', create: 'creatingNone' } },
            open: { on: { close: 'none', create: 'creatingOpen' } },
            creatingNone: { on: { 'create.ok': 'open', 'create.fail': 'none', select: 'creatingOpen' } },
            creatingOpen: { on: { 'create.ok': 'open', 'create.fail': 'open', close: 'creatingNone' } },
          },
        },
      },
    },
  },
});

const person = (id: string, name: string, ai = false) => ({ id: id.repeat(64), name, ai, self: false });
const TINY = person('b', 'Tiny', true);

function summary(id: string, name: string, lastActivity: number, othersCount: number): TopicSummary {
  return { id: id.repeat(64), name, participants: [TINY], lastActivity, othersCount, last: { author: TINY.id, text: `${othersCount} from Tiny`, at: lastActivity } };
}

function harness() {
  const clock = new SimulatedClock();
  const hand = handSettled();
  const saved: Record<string, number>[] = [];
  let write: ((event: TopicListEvent) => void) | undefined;
  const machine = topicListMachine.provide({
    actors: {
      loadTopics: hand.settleable<TopicListData>('loadTopics'),
      createTopic: hand.settleable<TopicSummary, { name: string; participants: readonly string[] }>('createTopic'),
      watchStore: fromCallback(({ sendBack }) => {
        write = sendBack;
      }),
    },
    actions: { saveRead: ({ context }) => void saved.push({ ...context.read }) },
  });
  // Read on an earlier run: one of A's three messages.
  const actor = createActor(machine, { clock, input: { read: { ['a'.repeat(64)]: 1 } } });
  return { actor, clock, saved, write: () => write!({ type: 'store.changed' }), ...hand };
}

const paths = createTestModel(model).getShortestPaths();

describe('topic list, driven along every shortest path of its model', () => {
  for (const path of paths) {
    it(path.description, async () => {
      const h = harness();
      h.actor.start();
      // Each read of the store finds one more message by others in topic A.
      let messagesInA = 3;
      const data = (): TopicListData => ({ topics: [summary('a', 'Alpha', 1_000 + messagesInA, messagesInA), summary('b', 'Beta', 1_500, 1)], contacts: [TINY] });
      try {
        await path.test({
          states: {
            '*': (state) => {
              const snapshot = h.actor.getSnapshot();
              const value = state.value as string | { ready: { refresh: 'idle' | 'waiting' | 'refreshing' | 'refreshingAgain'; session: string } };
              if (typeof value === 'string') return expect(snapshot.value).toBe(value);
              const { refresh, session } = value.ready;
              const create = session.startsWith('creating') ? 'creating' : 'idle';
              expect(snapshot.matches({ ready: { refresh: refresh === 'refreshingAgain' ? 'refreshing' : refresh } }), `refresh ${refresh}`).toBe(true);
              expect(snapshot.context.dirty).toBe(refresh === 'refreshingAgain');
              expect(snapshot.matches({ ready: { create } }), `create ${create}`).toBe(true);
              const { topics, selected } = snapshot.context;
              // Newest activity first.
              expect(topics.map((t) => t.lastActivity)).toEqual([...topics.map((t) => t.lastActivity)].sort((a, b) => b - a));
              if (session === 'none' || session === 'creatingNone') return expect(selected).toBeUndefined();
              // The open topic has nothing unread, and its marker is kept on the device.
              const open = topics.find((t) => t.id === selected)!;
              expect(unreadCount(snapshot.context, open)).toBe(0);
              expect(h.saved.at(-1)?.[open.id]).toBe(open.othersCount);
            },
          },
          events: {
            'load.ok': async () => {
              await h.resolve('loadTopics', data());
              const { context } = h.actor.getSnapshot();
              expect(context.topics.map((t) => t.name)).toEqual(messagesInA + 1_000 > 1_500 ? ['Alpha', 'Beta'] : ['Beta', 'Alpha']);
              expect(unreadCount(context, context.topics.find((t) => t.name === 'Alpha')!)).toBe(2);
              expect(unreadCount(context, context.topics.find((t) => t.name === 'Beta')!)).toBe(1);
            },
            'load.fail': () => h.reject('loadTopics', { code: 'LOCKED', message: 'the browser user is locked' }),
            reload: async () => {
              h.actor.send({ type: 'topics.reload' });
              await settle();
            },
            write: async () => {
              const reads = h.calls.length;
              h.write();
              await settle();
              // A write never reads at once (unless nothing is shown yet): refreshes are debounced.
              if (h.actor.getSnapshot().matches('loading')) return;
              expect(h.calls.length).toBe(reads);
            },
            elapsed: async () => {
              h.clock.increment(REFRESH_DELAY_MS);
              await settle();
            },
            'refresh.ok': async () => {
              messagesInA++;
              await h.resolve('loadTopics', data());
            },
            'refresh.fail': () => h.reject('loadTopics', { code: 'FETCH', message: 'offline' }),
            select: async () => {
              h.actor.send({ type: 'topic.select', topic: 'a'.repeat(64) });
              await settle();
            },
            close: async () => {
              h.actor.send({ type: 'topic.close' });
              await settle();
            },
            create: async () => {
              h.actor.send({ type: 'topic.create', name: 'Plans', participants: [TINY.id] });
              await settle();
              expect(h.calls.at(-1)).toEqual({ name: 'createTopic', input: { name: 'Plans', participants: [TINY.id] } });
            },
            'create.ok': async () => {
              await h.resolve('createTopic', summary('c', 'Plans', 9_000, 0));
              const { context } = h.actor.getSnapshot();
              expect(context.selected).toBe('c'.repeat(64));
              expect(context.topics[0]!.name).toBe('Plans');
            },
            'create.fail': async () => {
              await h.reject('createTopic', { code: 'BAD_TOPIC', message: 'a topic needs a name' });
              expect(h.actor.getSnapshot().context.createError?.code).toBe('BAD_TOPIC');
            },
          },
        });
      } finally {
        h.actor.stop();
      }
    });
  }
});
