import { assertEvent, assign, emit, enqueueActions, fromCallback, setup, type ActorRefFrom } from 'xstate';
import { aiListenerMachine, type AiListenerEmitted } from './ai-listener.ts';
import { notProvided } from './not-provided.ts';

/**
 * The AI assistant (AIAssistantModel's actor, specs/ai.md §2): one AI listener per (topic, AI
 * contact), spawned the first time a human message addresses that AI in that topic, and kept
 * while the app runs. Its `watch` effect follows the store and reports which messages need an
 * answer from whom; the host's orchestration (cancel, retry, approvals) reaches a listener through
 * it. Every listener's announcements come back here and are emitted for the host to relay.
 */
export type AiAssistantEvent =
  | { type: 'ai.deliver'; topic: string; aiPerson: string; hash: string }
  | { type: 'ai.cancel'; topic: string; aiPerson: string }
  | { type: 'ai.retry'; topic: string; aiPerson: string }
  | { type: 'ai.decide'; topic: string; aiPerson: string; callId: string; choice: 'allowOnce' | 'alwaysAllow' | 'deny' }
  | AiListenerEmitted;

export const listenerId = (topic: string, aiPerson: string): string => `aiListener:${topic.slice(0, 16)}:${aiPerson.slice(0, 16)}`;

interface Context {
  listeners: Record<string, ActorRefFrom<typeof aiListenerMachine>>;
}

export const aiAssistantMachine = setup({
  types: {} as { context: Context; events: AiAssistantEvent; emitted: AiListenerEmitted },
  actors: {
    listener: aiListenerMachine,
    /** Follows the store: sends `ai.deliver` for each human message an AI this instance runs should answer. */
    watch: fromCallback(notProvided('watch')),
  },
  actions: {
    spawnListener: assign({
      listeners: ({ context, event, spawn, self }) => {
        assertEvent(event, 'ai.deliver');
        const id = listenerId(event.topic, event.aiPerson);
        if (context.listeners[id]) return context.listeners;
        return { ...context.listeners, [id]: spawn('listener', { id, input: { topic: event.topic, aiPerson: event.aiPerson, reportTo: self } }) };
      },
    }),
    forward: enqueueActions(({ context, event, enqueue }) => {
      if (!('aiPerson' in event) || event.type === 'ai.stream') return;
      const listener = context.listeners[listenerId(event.topic, event.aiPerson)];
      if (!listener) return;
      if (event.type === 'ai.deliver') enqueue.sendTo(listener, { type: 'topic.message', hash: event.hash });
      else if (event.type === 'ai.cancel') enqueue.sendTo(listener, { type: 'answer.cancel' });
      else if (event.type === 'ai.retry') enqueue.sendTo(listener, { type: 'answer.retry' });
      else if (event.type === 'ai.decide') enqueue.sendTo(listener, { type: 'tool.decide', callId: event.callId, choice: event.choice });
    }),
    relay: emit(({ event }) => event as AiListenerEmitted),
  },
}).createMachine({
  id: 'aiAssistant',
  context: { listeners: {} },
  invoke: { src: 'watch', id: 'watch' },
  initial: 'running',
  states: {
    running: {
      on: {
        'ai.deliver': { actions: ['spawnListener', 'forward'] },
        'ai.cancel': { actions: 'forward' },
        'ai.retry': { actions: 'forward' },
        'ai.decide': { actions: 'forward' },
        'ai.stream': { actions: 'relay' },
        'ai.answered': { actions: 'relay' },
      },
    },
  },
});
