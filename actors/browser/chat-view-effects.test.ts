import { describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import type { PayloadOf } from '../../hosts/ipc/channels.ts';
import { chatViewMachine } from '../../machines/chat-view.ts';
import type { SHA256Hash } from '../store/hash.ts';
import { chatViewEffects } from './chat-view-effects.ts';
import type { ChatControl } from './chat-source.ts';
import { chatWorld } from './chat-test-kit.ts';

function fakeControl() {
  const calls: { channel: string; request: unknown }[] = [];
  const listeners = new Set<(payload: PayloadOf<'status:aiStream'>) => void>();
  const control: ChatControl = {
    orchestrate: async (channel, request) => {
      calls.push({ channel, request });
      return {} as never;
    },
    onPush: (_channel, listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { control, calls, push: (payload: PayloadOf<'status:aiStream'>) => listeners.forEach((l) => l(payload)), listeners };
}

describe('chat view effects over a real chat', () => {
  it('opens the newest page, pages back to the first message, sends, follows and relays this topic\'s AI stream', async () => {
    let clock = 1_000;
    const world = await chatWorld({ now: () => clock++ });
    const { idHash: topic } = await world.chat.createTopic({ name: 'Tiny', participants: [world.ai.personId, world.node.personId] });
    for (let i = 0; i < 7; i++) await (i % 2 ? world.sendAs(world.ai, topic, `answer ${i}`) : world.chat.send(topic, `question ${i}`));
    const host = fakeControl();
    const actor = createActor(chatViewMachine.provide({ actors: chatViewEffects(world.source, host.control) }), { input: { topic, pageSize: 3 } }).start();
    try {
      const ready = await waitFor(actor, (s) => s.matches('ready'));
      expect(ready.context.info!.name).toBe('Tiny');
      expect(ready.context.info!.participants.find((p) => p.ai)).toMatchObject({ id: world.ai.personId, name: 'Tiny' });
      expect(ready.context.messages.map((m) => m.text)).toEqual(['question 4', 'answer 5', 'question 6']);
      expect(ready.context.hasOlder).toBe(true);

      actor.send({ type: 'history.older' });
      await waitFor(actor, (s) => s.context.messages.length === 6 && s.matches({ ready: { history: 'idle' } }));
      actor.send({ type: 'history.older' });
      const all = await waitFor(actor, (s) => s.matches({ ready: { history: 'complete' } }));
      expect(all.context.messages.map((m) => m.text)).toEqual(['question 0', 'answer 1', 'question 2', 'answer 3', 'question 4', 'answer 5', 'question 6']);

      actor.send({ type: 'message.send', text: 'And now?' });
      await waitFor(actor, (s) => s.context.pending.length === 0 && s.context.messages.at(-1)?.text === 'And now?');
      await world.sendAs(world.ai, topic, 'Now this.');
      await waitFor(actor, (s) => s.context.messages.at(-1)?.text === 'Now this.');
      expect(actor.getSnapshot().context.messages.filter((m) => m.text === 'And now?')).toHaveLength(1);

      host.push({ topic: 'f'.repeat(64), aiPerson: world.ai.personId, phase: 'streaming', text: 'elsewhere' });
      host.push({ topic, aiPerson: world.ai.personId, phase: 'approval', text: '', approval: { call: { id: 'c1', name: 'delete_file', arguments: { path: '/tmp/x' } }, title: 'Delete a file', reason: 'it changes files', destructive: true } });
      const asking = await waitFor(actor, (s) => s.context.streams[world.ai.personId]?.phase === 'approval');
      expect(Object.keys(asking.context.streams)).toEqual([world.ai.personId]);

      actor.send({ type: 'tool.decide', aiPerson: world.ai.personId, callId: 'c1', choice: 'deny' });
      actor.send({ type: 'answer.cancel', aiPerson: world.ai.personId });
      await waitFor(actor, (s) => host.calls.length === 2 && s.matches({ ready: { commands: 'idle' } }));
      expect(host.calls).toEqual([
        { channel: 'orchestrate:aiApprove', request: { topic, aiPerson: world.ai.personId, callId: 'c1', choice: 'deny' } },
        { channel: 'orchestrate:aiAnswer', request: { topic, aiPerson: world.ai.personId, action: 'cancel' } },
      ]);

      world.source.syncState = 'offline';
      await waitFor(actor, (s) => !s.context.online, { timeout: 3_000 });
    } finally {
      actor.stop();
    }
    expect(host.listeners.size).toBe(0);
  });

  it('shows a send the store refuses as failed, with its reason', async () => {
    const world = await chatWorld();
    const { idHash: topic } = await world.chat.createTopic({ name: 'Tiny', participants: [world.ai.personId] });
    const actor = createActor(chatViewMachine.provide({ actors: chatViewEffects(world.source, fakeControl().control) }), { input: { topic } }).start();
    try {
      await waitFor(actor, (s) => s.matches('ready'));
      actor.send({ type: 'message.send', text: 'x'.repeat(100_001) });
      const failed = await waitFor(actor, (s) => s.context.pending[0]?.state === 'failed');
      expect(failed.context.pending[0]!.error!.code).toBe('TOO_LONG');
    } finally {
      actor.stop();
    }
  });

  it('fails to open a topic this store does not hold', async () => {
    const world = await chatWorld();
    const actor = createActor(chatViewMachine.provide({ actors: chatViewEffects(world.source, fakeControl().control) }), { input: { topic: 'e'.repeat(64) as SHA256Hash } }).start();
    try {
      expect((await waitFor(actor, (s) => s.matches('failed'))).context.error!.code).toBe('NO_TOPIC');
    } finally {
      actor.stop();
    }
  });
});
