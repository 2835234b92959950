import { fromCallback, type EventObject } from 'xstate';
import type { Chat } from '../chat/chat.ts';
import type { ChatMessage } from '../chat/chat-recipes.ts';
import type { SHA256Hash } from '../store/hash.ts';
import type { ObjectStore } from '../store/object-store.ts';
import type { AiAssistantEvent } from '../../machines/ai-assistant.ts';
import type { AiContacts } from './ai-contacts.ts';
import { addressedAis } from './addressing.ts';

/**
 * The AI assistant's `watch` (machines/ai-assistant.ts): every human message that arrives in the
 * store — written here or brought by CHUM from the browser or a device — in a topic with AI
 * contacts this instance runs is delivered to the AIs it addresses (specs/ai.md §3). Messages by
 * AIs never trigger an answer, so two AIs cannot talk to each other without end. Messages already
 * in the store when the app starts are not answered again.
 */
export function aiWatch(deps: { store: ObjectStore; chat: Chat; contacts: AiContacts; onError?: (error: unknown) => void }) {
  return fromCallback<EventObject>(({ sendBack }) => {
    let queue = Promise.resolve();
    const mine = new Map<string, Promise<{ personId: string; name: string } | undefined>>();
    const aiRunHere = (personId: SHA256Hash) => {
      let known = mine.get(personId);
      if (!known) {
        known = (async () => {
          const llm = await deps.contacts.llmOf(personId);
          return llm && (await deps.contacts.keysOf(personId)) ? { personId, name: llm.name } : undefined;
        })();
        mine.set(personId, known);
      }
      return known;
    };
    const take = async (messages: { hash: SHA256Hash; message: ChatMessage }[]) => {
      for (const { hash, message } of messages) {
        if (message.kind === 'system' || (await deps.contacts.llmOf(message.author))) continue;
        const topic = await deps.chat.topic(message.topic).catch(() => undefined);
        if (!topic) continue;
        const ais = (await Promise.all(topic.participants.map((p) => aiRunHere(p)))).filter((a) => a !== undefined);
        for (const aiPerson of addressedAis(message.text, ais)) sendBack({ type: 'ai.deliver', topic: message.topic, aiPerson, hash } satisfies AiAssistantEvent);
      }
    };
    const unsubscribe = deps.store.onWrite((write) => {
      const messages = write.decoded
        .map((object, i) => ({ hash: write.objects[i]!, message: object as ChatMessage }))
        .filter((m) => m.message.$type$ === 'ChatMessage' && !('$id$' in m.message));
      if (messages.length > 0) queue = queue.then(() => take(messages)).catch((error: unknown) => deps.onError?.(error));
    });
    return unsubscribe;
  });
}
