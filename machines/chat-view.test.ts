import { describe, expect, it } from 'vitest';
import { createActor, fromCallback, fromPromise, waitFor } from 'xstate';
import { chatViewMachine, mergeMessages, type ChatViewEvent, type OlderPage, type StreamUpdate, type TopicPage, type ViewMessage } from './chat-view.ts';

const m = (n: number, author = 'a', createdAt = n): ViewMessage => ({ hash: n.toString(16).padStart(64, '0'), author, text: `m${n}`, createdAt });

describe('mergeMessages', () => {
  it('keeps the topic order (time, author, hash) and each message once, from pages, arrivals and sends alike', () => {
    const current = [m(1), m(3), m(5)];
    expect(mergeMessages(current, [])).toBe(current);
    expect(mergeMessages(current, [m(7), m(6)]).map((x) => x.text)).toEqual(['m1', 'm3', 'm5', 'm6', 'm7']);
    expect(mergeMessages(current, [m(4), m(0), m(3)]).map((x) => x.text)).toEqual(['m0', 'm1', 'm3', 'm4', 'm5']);
    // Same millisecond: the author decides, then the hash.
    const tie = [m(9, 'b', 100), m(8, 'a', 100), m(10, 'a', 100)];
    expect(mergeMessages([], tie).map((x) => x.text)).toEqual(['m8', 'm10', 'm9']);
  });
});

/** The view with its topic open at once, and the streams and feed under the test's hand. */
async function openView(messages: ViewMessage[] = []) {
  let push!: (e: ChatViewEvent) => void;
  let feed!: (e: ChatViewEvent) => void;
  const actor = createActor(
    chatViewMachine.provide({
      actors: {
        loadTopic: fromPromise<TopicPage, { topic: string; limit: number }>(async () => ({ info: { name: 't', participants: [] }, messages, hasOlder: false })),
        loadOlder: fromPromise<OlderPage, { topic: string; before: string; limit: number }>(async () => ({ messages: [], hasOlder: false })),
        sendMessage: fromPromise(async () => m(99)),
        runCommand: fromPromise(async () => {}),
        follow: fromCallback(({ sendBack }) => void (feed = sendBack)),
        streams: fromCallback(({ sendBack }) => void (push = sendBack)),
        watchLink: fromCallback(() => {}),
      },
    }),
    { input: { topic: 't' } },
  ).start();
  await waitFor(actor, (s) => s.matches('ready'));
  return { actor, stream: (update: StreamUpdate) => push({ type: 'ai.stream', update }), arrive: (...list: ViewMessage[]) => feed({ type: 'messages.arrived', messages: list }) };
}

describe('chat view streams', () => {
  it('drops a finished answer whose stored message came first (CHUM before the last push)', async () => {
    const { actor, stream, arrive } = await openView();
    stream({ aiPerson: 'ai', phase: 'streaming', text: 'Hello' });
    arrive({ ...m(5, 'ai'), text: 'Hello there' });
    expect(actor.getSnapshot().context.streams.ai?.phase).toBe('streaming');
    stream({ aiPerson: 'ai', phase: 'done', text: 'Hello there' });
    expect(actor.getSnapshot().context.streams.ai).toBeUndefined();
  });

  it('keeps a failure on screen until the AI\'s note arrives; a stop with nothing said leaves nothing', async () => {
    const { actor, stream, arrive } = await openView();
    stream({ aiPerson: 'ai', phase: 'failed', text: '', error: { code: 'UNREACHABLE', message: 'no answer' } });
    expect(actor.getSnapshot().context.streams.ai?.error?.code).toBe('UNREACHABLE');
    arrive({ ...m(6, 'ai'), kind: 'system', text: 'Tiny could not answer' });
    expect(actor.getSnapshot().context.streams.ai).toBeUndefined();
    stream({ aiPerson: 'ai', phase: 'thinking', text: '' });
    stream({ aiPerson: 'ai', phase: 'cancelled', text: '' });
    expect(actor.getSnapshot().context.streams).toEqual({});
  });

  it('marks the call answered and Stop pressed until the AI moves on; each AI has its own answer', async () => {
    const { actor, stream } = await openView();
    const approval = { call: { id: 'c1', name: 'delete_file', arguments: { path: '/x' } }, title: 'Delete', reason: 'it changes files', destructive: true };
    stream({ aiPerson: 'ai', phase: 'approval', text: '', approval });
    stream({ aiPerson: 'other', phase: 'thinking', text: '' });
    actor.send({ type: 'tool.decide', aiPerson: 'ai', callId: 'c1', choice: 'allowOnce' });
    actor.send({ type: 'answer.cancel', aiPerson: 'other' });
    expect(actor.getSnapshot().context.streams.ai?.decided).toBe('c1');
    expect(actor.getSnapshot().context.streams.other?.stopping).toBe(true);
    stream({ aiPerson: 'ai', phase: 'tools', text: '' });
    expect(actor.getSnapshot().context.streams.ai?.decided).toBeUndefined();
    expect(actor.getSnapshot().context.streams.other?.stopping).toBe(true);
  });

  it('never sends blank text, and discards only what is not being sent', async () => {
    const { actor } = await openView([m(1)]);
    actor.send({ type: 'message.send', text: ' \n ' });
    expect(actor.getSnapshot().context.pending).toEqual([]);
    actor.send({ type: 'message.send', text: 'one' });
    actor.send({ type: 'message.send', text: 'two' });
    const [sending, queued] = actor.getSnapshot().context.pending;
    expect([sending!.state, queued!.state]).toEqual(['sending', 'queued']);
    actor.send({ type: 'message.discard', localId: sending!.localId });
    actor.send({ type: 'message.discard', localId: queued!.localId });
    expect(actor.getSnapshot().context.pending.map((p) => p.text)).toEqual(['one']);
  });
});
