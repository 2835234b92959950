import { fromCallback, fromPromise } from 'xstate';
import type { StoredMessage } from '../chat/message-order.ts';
import type { SHA256Hash } from '../store/hash.ts';
import type { ChatCommand, ChatViewEvent, OlderPage, TopicPage, ViewMessage } from '../../machines/chat-view.ts';
import { ChatPeople } from './chat-people.ts';
import { chatOf, type ChatControl, type ChatSource } from './chat-source.ts';

/** How often the view looks at the CHUM session's state (a getter: nothing is read). */
export const LINK_POLL_MS = 1_000;

/**
 * The effects of machines/chat-view.ts over the browser instance and the host's orchestration.
 * Pages are read as `Chat.messages` reads them (specs/chat.md §4) — the newest `limit` message refs
 * before a message, their bodies fetched where this sparse store lacks them — but from the refs
 * directly, so the view knows exactly whether older messages remain even when a body cannot be had.
 */
export function chatViewEffects(source: ChatSource, control: ChatControl, people = new ChatPeople(source)) {
  const page = async (topic: SHA256Hash, limit: number, before?: string): Promise<OlderPage> => {
    const chat = chatOf(source);
    let refs = await chat.messageRefs(topic);
    if (before) {
      const at = refs.findIndex((r) => r.hash === before);
      if (at >= 0) refs = refs.slice(0, at);
    }
    const slice = refs.slice(-limit);
    const messages = await chat.bodies(slice.map((r) => r.hash));
    return { messages: messages.map(toViewMessage), hasOlder: refs.length > slice.length };
  };

  return {
    loadTopic: fromPromise<TopicPage, { topic: string; limit: number }>(async ({ input }) => {
      const topic = await chatOf(source).topic(input.topic as SHA256Hash);
      const [participants, newest] = await Promise.all([people.people(topic.participants), page(input.topic as SHA256Hash, input.limit)]);
      return { info: { name: topic.name, participants }, ...newest };
    }),
    loadOlder: fromPromise<OlderPage, { topic: string; before: string; limit: number }>(({ input }) => page(input.topic as SHA256Hash, input.limit, input.before)),
    sendMessage: fromPromise<ViewMessage, { topic: string; text: string }>(async ({ input }) => toViewMessage(await chatOf(source).send(input.topic as SHA256Hash, input.text))),
    runCommand: fromPromise<void, { topic: string; command: ChatCommand }>(async ({ input: { topic, command } }) => {
      if (command.kind === 'decide') {
        await control.orchestrate('orchestrate:aiApprove', { topic, aiPerson: command.aiPerson, callId: command.callId, choice: command.choice });
      } else {
        await control.orchestrate('orchestrate:aiAnswer', { topic, aiPerson: command.aiPerson, action: command.kind });
      }
    }),
    follow: fromCallback<ChatViewEvent, { topic: string }>(({ sendBack, input }) =>
      source.follow(input.topic as SHA256Hash, (messages) => sendBack({ type: 'messages.arrived', messages: messages.map(toViewMessage) })),
    ),
    streams: fromCallback<ChatViewEvent, { topic: string }>(({ sendBack, input }) =>
      control.onPush('status:aiStream', ({ topic, aiPerson, phase, text, approval, error }) => {
        if (topic !== input.topic) return;
        sendBack({ type: 'ai.stream', update: { aiPerson, phase, text, ...(approval ? { approval } : {}), ...(error ? { error } : {}) } });
      }),
    ),
    watchLink: fromCallback<ChatViewEvent>(({ sendBack }) => {
      let online: boolean | undefined;
      const look = () => {
        const now = source.syncState !== 'offline';
        if (now !== online) sendBack({ type: 'link.changed', online: (online = now) });
      };
      look();
      const timer = setInterval(look, LINK_POLL_MS);
      return () => clearInterval(timer);
    }),
  };
}

export function toViewMessage({ hash, message }: StoredMessage): ViewMessage {
  return {
    hash,
    author: message.author,
    text: message.text,
    createdAt: message.createdAt,
    ...(message.kind === 'system' ? { kind: 'system' as const } : {}),
    ...(message.incomplete ? { incomplete: true } : {}),
    ...(message.attachments?.length ? { attachments: message.attachments.map(({ name, mimeType, size }) => ({ name, mimeType, size })) } : {}),
  };
}
