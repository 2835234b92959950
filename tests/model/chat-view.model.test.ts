import { describe, expect, it } from 'vitest';
import { createActor, createMachine, fromCallback } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { chatViewMachine, type ChatCommand, type ChatViewEvent, type OlderPage, type TopicPage, type ViewMessage } from '../../machines/chat-view.ts';
import { handSettled, settle } from './model-harness.ts';

/**
 * The event-only model of machines/chat-view.ts. Its regions are the view's knobs: the history
 * paging, the outbox (a message sending, failing, retried or discarded), commands to the AI
 * (stop, approve) and one AI answer streaming until its stored message arrives.
 */
const model = createMachine({
  id: 'chatViewModel',
  initial: 'loading',
  states: {
    loading: { on: { 'load.ok': 'ready', 'load.fail': 'failed' } },
    failed: { on: { reload: 'loading' } },
    ready: {
      type: 'parallel',
      states: {
        history: {
          initial: 'idle',
          states: {
            idle: { on: { older: 'loadingOlder' } },
            loadingOlder: { on: { 'older.more': 'idle', 'older.last': 'complete', 'older.fail': 'idle' } },
            complete: {},
          },
        },
        outbox: {
          initial: 'empty',
          states: {
            empty: { on: { send: 'sending' } },
            sending: { on: { 'send.ok': 'empty', 'send.fail': 'failedMessage' } },
            failedMessage: { on: { retry: 'sending', discard: 'empty' } },
          },
        },
        commands: {
          initial: 'idle',
          states: {
            idle: { on: { stop: 'running', approve: 'running' } },
            running: { on: { 'command.ok': 'idle', 'command.fail': 'idle' } },
          },
        },
        answer: {
          initial: 'none',
          states: {
            none: { on: { 'stream.text': 'streaming' } },
            streaming: { on: { 'stream.done': 'finished' } },
            finished: { on: { 'answer.stored': 'none' } },
          },
        },
      },
    },
  },
});

const TOPIC = 't'.repeat(64);
const ME = 'a'.repeat(64);
const AI = 'b'.repeat(64);
const hashOf = (n: number) => n.toString(16).padStart(64, '0');
const message = (n: number, author = ME, text = `message ${n}`): ViewMessage => ({ hash: hashOf(n), author, text, createdAt: 1_000 + n });
const page: TopicPage = {
  info: { name: 'Tiny', participants: [{ id: ME, name: 'Ada', ai: false, self: true }, { id: AI, name: 'Tiny', ai: true, self: false }] },
  messages: [message(11), message(10)],
  hasOlder: true,
};

function harness() {
  const hand = handSettled();
  const back: { follow?: (e: ChatViewEvent) => void; streams?: (e: ChatViewEvent) => void } = {};
  const machine = chatViewMachine.provide({
    actors: {
      loadTopic: hand.settleable<TopicPage, { topic: string; limit: number }>('loadTopic'),
      loadOlder: hand.settleable<OlderPage, { topic: string; before: string; limit: number }>('loadOlder'),
      sendMessage: hand.settleable<ViewMessage, { topic: string; text: string }>('sendMessage'),
      runCommand: hand.settleable<void, { topic: string; command: ChatCommand }>('runCommand'),
      follow: fromCallback(({ sendBack }) => {
        back.follow = sendBack;
      }),
      streams: fromCallback(({ sendBack }) => {
        back.streams = sendBack;
      }),
      watchLink: fromCallback(() => {}),
    },
  });
  const actor = createActor(machine, { input: { topic: TOPIC, pageSize: 2 } });
  const inputs = (name: string) => hand.calls.filter((c) => c.name === name).map((c) => c.input);
  return { actor, back, inputs, ...hand };
}

type Real = ReturnType<typeof harness>['actor'];

/** What each model state means for the real actor: its state, and what its context shows. */
function check(real: Real, value: unknown): void {
  const snapshot = real.getSnapshot();
  if (value === 'loading' || value === 'failed') {
    expect(snapshot.value).toBe(value);
    if (value === 'failed') expect(snapshot.context.error?.code).toBe('NO_TOPIC');
    return;
  }
  const { ready } = value as { ready: { history: 'idle' | 'loadingOlder' | 'complete'; outbox: 'empty' | 'sending' | 'failedMessage'; commands: 'idle' | 'running'; answer: 'none' | 'streaming' | 'finished' } };
  const { context } = snapshot;
  expect(snapshot.matches({ ready: { history: ready.history } }), `history ${ready.history}`).toBe(true);
  expect(snapshot.matches({ ready: { commands: ready.commands } }), `commands ${ready.commands}`).toBe(true);
  expect(context.commands.length).toBe(ready.commands === 'running' ? 1 : 0);
  expect(snapshot.matches({ ready: { outbox: ready.outbox === 'sending' ? 'sending' : 'idle' } }), `outbox ${ready.outbox}`).toBe(true);
  expect(context.pending.map((p) => p.state)).toEqual({ empty: [], sending: ['sending'], failedMessage: ['failed'] }[ready.outbox]);
  const stream = context.streams[AI];
  expect(stream?.phase).toBe({ none: undefined, streaming: 'streaming', finished: 'done' }[ready.answer]);
  // The topic order holds whatever arrived, and no message is there twice.
  const hashes = context.messages.map((m) => m.hash);
  expect(new Set(hashes).size).toBe(hashes.length);
  expect([...context.messages].sort((a, b) => a.createdAt - b.createdAt)).toEqual(context.messages);
}

const paths = createTestModel(model).getShortestPaths();

describe('chat view, driven along every shortest path of its model', () => {
  it('covers every state of the model', () => {
    expect(paths.length).toBeGreaterThanOrEqual(50);
  });

  for (const path of paths) {
    it(path.description, async () => {
      const h = harness();
      h.actor.start();
      let older = 0;
      let sent = 0;
      try {
        await path.test({
          states: { '*': (state) => check(h.actor, state.value) },
          events: {
            'load.ok': () => h.resolve('loadTopic', page),
            'load.fail': () => h.reject('loadTopic', { code: 'NO_TOPIC', message: 'topic is not in this store' }),
            reload: async () => {
              h.actor.send({ type: 'topic.reload' });
              await settle();
              expect(h.inputs('loadTopic')).toHaveLength(2);
            },
            older: async () => {
              const first = h.actor.getSnapshot().context.messages[0]!.hash;
              h.actor.send({ type: 'history.older' });
              await settle();
              expect(h.inputs('loadOlder').at(-1)).toEqual({ topic: TOPIC, before: first, limit: 2 });
            },
            'older.more': async () => {
              older += 2;
              const before = h.actor.getSnapshot().context.messages.length;
              await h.resolve('loadOlder', { messages: [message(9 - older), message(10 - older)], hasOlder: true });
              expect(h.actor.getSnapshot().context.messages).toHaveLength(before + 2);
            },
            'older.last': async () => {
              await h.resolve('loadOlder', { messages: [message(0)], hasOlder: false });
              expect(h.actor.getSnapshot().context.messages[0]!.hash).toBe(hashOf(0));
            },
            'older.fail': async () => {
              await h.reject('loadOlder', { code: 'FETCH', message: 'the Node did not answer' });
              expect(h.actor.getSnapshot().context.notice?.code).toBe('FETCH');
            },
            send: async () => {
              h.actor.send({ type: 'message.send', text: '   ' }); // blank: refused
              h.actor.send({ type: 'message.send', text: 'Hello **there**' });
              await settle();
              expect(h.inputs('sendMessage').at(-1)).toEqual({ topic: TOPIC, text: 'Hello **there**' });
            },
            'send.ok': async () => {
              sent++;
              const stored = message(100 + sent, ME, 'Hello **there**');
              // The feed may bring the message before the write resolves: it still shows once.
              h.back.follow!({ type: 'messages.arrived', messages: [stored] });
              await h.resolve('sendMessage', stored);
              expect(h.actor.getSnapshot().context.messages.filter((m) => m.hash === stored.hash)).toHaveLength(1);
            },
            'send.fail': async () => {
              await h.reject('sendMessage', { code: 'STORE', message: 'disk full' });
              expect(h.actor.getSnapshot().context.pending[0]!.error).toEqual({ code: 'STORE', message: 'disk full' });
            },
            retry: async () => {
              h.actor.send({ type: 'message.retry', localId: h.actor.getSnapshot().context.pending[0]!.localId });
              await settle();
            },
            discard: async () => {
              h.actor.send({ type: 'message.discard', localId: h.actor.getSnapshot().context.pending[0]!.localId });
              await settle();
            },
            stop: async () => {
              h.actor.send({ type: 'answer.cancel', aiPerson: AI });
              await settle();
              expect(h.inputs('runCommand').at(-1)).toEqual({ topic: TOPIC, command: { kind: 'cancel', aiPerson: AI } });
            },
            approve: async () => {
              h.actor.send({ type: 'tool.decide', aiPerson: AI, callId: 'call-1', choice: 'alwaysAllow' });
              await settle();
              expect(h.inputs('runCommand').at(-1)).toEqual({ topic: TOPIC, command: { kind: 'decide', aiPerson: AI, callId: 'call-1', choice: 'alwaysAllow' } });
            },
            'command.ok': () => h.resolve('runCommand'),
            'command.fail': async () => {
              await h.reject('runCommand', { code: 'NOT_READY', message: 'the AI is not running' });
              expect(h.actor.getSnapshot().context.notice?.code).toBe('NOT_READY');
              expect(h.actor.getSnapshot().context.streams[AI]?.stopping).toBeUndefined();
            },
            'stream.text': async () => {
              h.back.streams!({ type: 'ai.stream', update: { aiPerson: AI, phase: 'thinking', text: '' } });
              h.back.streams!({ type: 'ai.stream', update: { aiPerson: AI, phase: 'streaming', text: 'Hi Ada' } });
              await settle();
              expect(h.actor.getSnapshot().context.streams[AI]?.text).toBe('Hi Ada');
            },
            'stream.done': async () => {
              h.back.streams!({ type: 'ai.stream', update: { aiPerson: AI, phase: 'done', text: 'Hi Ada, nice to meet you.' } });
              await settle();
            },
            'answer.stored': async () => {
              h.back.follow!({ type: 'messages.arrived', messages: [message(500, AI, 'Hi Ada, nice to meet you.')] });
              await settle();
              expect(h.actor.getSnapshot().context.messages.at(-1)!.author).toBe(AI);
            },
          },
        });
      } finally {
        h.actor.stop();
      }
    });
  }
});
