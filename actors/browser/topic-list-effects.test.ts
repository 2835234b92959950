import { describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { topicListMachine, unreadCount } from '../../machines/topic-list.ts';
import { chatWorld } from './chat-test-kit.ts';
import { topicListEffects } from './topic-list-effects.ts';
import { memoryReadMarkers, storageReadMarkers } from './topic-read-markers.ts';

describe('topic list effects over a real chat', () => {
  it('lists topics newest first with previews, AI badges and unread counts, and keeps read markers', async () => {
    let clock = 1_000;
    const world = await chatWorld({ now: () => clock++ });
    const markers = memoryReadMarkers();
    const actor = createActor(topicListMachine.provide(topicListEffects(world.source, markers)), { input: { read: markers.load() } }).start();
    try {
      await waitFor(actor, (s) => s.matches('ready'));
      expect(actor.getSnapshot().context.topics).toEqual([]);
      // The AI contact the Node runs can be picked; so can nobody else yet.
      expect(actor.getSnapshot().context.contacts).toEqual([{ id: world.ai.personId, name: 'Tiny', ai: true, self: false }]);

      actor.send({ type: 'topic.create', name: '', participants: [world.ai.personId] });
      const created = (await waitFor(actor, (s) => s.context.selected !== undefined)).context.selected!;
      const topic = await world.chat.topic(created as never);
      // The Node archive takes part, so the AI (which it runs) receives the topic.
      expect([...topic.participants].sort()).toEqual([world.person, world.node.personId, world.ai.personId].sort());
      expect(topic.name).toBe('Tiny');

      const { idHash: group } = await world.chat.createTopic({ name: 'Plans', participants: [world.bob.personId, world.node.personId] });
      await world.sendAs(world.bob, group, 'Lunch **tomorrow**?');
      await world.sendAs(world.bob, group, 'At noon');
      await world.sendAs(world.ai, created as never, 'Hello Ada');
      await world.chat.send(group, 'Sure');
      actor.send({ type: 'topic.close' });

      const { context } = await waitFor(actor, (s) => s.context.topics.length === 2 && s.context.topics[0]!.last?.text === 'Sure' && s.matches({ ready: { refresh: 'idle' } }));
      const [plans, tiny] = context.topics;
      expect(plans!.name).toBe('Plans');
      expect(plans!.participants.find((p) => p.id === world.bob.personId)).toEqual({ id: world.bob.personId, name: 'Bob', ai: false, self: false });
      expect(plans!.participants.filter((p) => p.self).map((p) => p.id).sort()).toEqual([world.person, world.node.personId].sort());
      expect(unreadCount(context, plans!)).toBe(2); // Bob's two; the user's own message is not unread
      expect(tiny!.participants.some((p) => p.ai)).toBe(true);
      expect(tiny!.last).toMatchObject({ author: world.ai.personId, text: 'Hello Ada' });
      expect(context.contacts.map((c) => c.name)).toEqual(['Tiny', 'Bob']);

      actor.send({ type: 'topic.select', topic: plans!.id });
      expect(unreadCount(actor.getSnapshot().context, plans!)).toBe(0);
      expect(markers.load()).toMatchObject({ [plans!.id]: 2 });
    } finally {
      actor.stop();
    }
  });

  it('keeps markers in Web Storage per user, and shrugs off a damaged record', () => {
    const data = new Map<string, string>();
    const storage = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
    storageReadMarkers(storage, 'ada').save({ t1: 3 });
    expect(storageReadMarkers(storage, 'ada').load()).toEqual({ t1: 3 });
    expect(storageReadMarkers(storage, 'bob').load()).toEqual({});
    data.set('lama:read:ada', '{"t1": -1, "t2": 4, "t3": "x"');
    expect(storageReadMarkers(storage, 'ada').load()).toEqual({});
    data.set('lama:read:ada', '{"t1": -1, "t2": 4, "t3": "x"}');
    expect(storageReadMarkers(storage, 'ada').load()).toEqual({ t2: 4 });
  });
});
