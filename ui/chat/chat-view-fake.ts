import { createActor, fromCallback, fromPromise } from 'xstate';
import { chatViewMachine, type ChatCommand, type ChatPerson, type ChatViewEvent, type OlderPage, type StreamUpdate, type TopicInfo, type TopicPage, type ViewMessage } from '../../machines/chat-view.ts';

/**
 * A chat view actor over an in-memory topic — the real statechart, its effects replaced at the
 * actor boundary — for component tests, screenshots and the scrolling benchmark: pages are sliced
 * from `messages` as the real effects slice message refs, sends are recorded (and fail on demand),
 * and the test pushes arrivals and AI stream updates itself.
 */
export function fakeChatView(options: { topic?: string; info: TopicInfo; messages: readonly ViewMessage[]; pageSize?: number; sendFails?: { code: string; message: string }; holdOlder?: boolean }) {
  const all = [...options.messages];
  const commands: ChatCommand[] = [];
  const sent: string[] = [];
  let feed: ((event: ChatViewEvent) => void) | undefined;
  let pushes: ((event: ChatViewEvent) => void) | undefined;
  let link: ((event: ChatViewEvent) => void) | undefined;
  let releaseOlder: (() => void) | undefined;
  const me = options.info.participants.find((p) => p.self)?.id ?? 'me';
  const page = (before: string | undefined, limit: number): OlderPage => {
    const end = before ? all.findIndex((m) => m.hash === before) : all.length;
    const start = Math.max(0, end - limit);
    return { messages: all.slice(start, end), hasOlder: start > 0 };
  };
  const machine = chatViewMachine.provide({
    actors: {
      loadTopic: fromPromise<TopicPage, { topic: string; limit: number }>(async ({ input }) => ({ info: options.info, ...page(undefined, input.limit) })),
      loadOlder: fromPromise<OlderPage, { topic: string; before: string; limit: number }>(async ({ input }) => {
        if (options.holdOlder) await new Promise<void>((resolve) => (releaseOlder = resolve));
        return page(input.before, input.limit);
      }),
      sendMessage: fromPromise<ViewMessage, { topic: string; text: string }>(async ({ input }) => {
        sent.push(input.text);
        if (options.sendFails) throw options.sendFails;
        const message: ViewMessage = { hash: `sent-${sent.length}`.padStart(64, '0'), author: me, text: input.text, createdAt: Date.now() };
        all.push(message);
        return message;
      }),
      runCommand: fromPromise<void, { topic: string; command: ChatCommand }>(async ({ input }) => {
        commands.push(input.command);
      }),
      follow: fromCallback<ChatViewEvent, { topic: string }>(({ sendBack }) => void (feed = sendBack)),
      streams: fromCallback<ChatViewEvent, { topic: string }>(({ sendBack }) => void (pushes = sendBack)),
      watchLink: fromCallback<ChatViewEvent>(({ sendBack }) => void (link = sendBack)),
    },
  });
  const actor = createActor(machine, { input: { topic: options.topic ?? 't'.repeat(64), pageSize: options.pageSize ?? 50 } });
  return {
    actor,
    commands,
    sent,
    arrive: (...messages: ViewMessage[]) => {
      all.push(...messages);
      feed?.({ type: 'messages.arrived', messages });
    },
    stream: (update: StreamUpdate) => pushes?.({ type: 'ai.stream', update }),
    online: (online: boolean) => link?.({ type: 'link.changed', online }),
    /** With `holdOlder`, lets the page asked for arrive. */
    releaseOlder: () => releaseOlder?.(),
  };
}

export const ADA: ChatPerson = { id: 'a'.repeat(64), name: 'Ada', ai: false, self: true };
export const TINY: ChatPerson = { id: 'b'.repeat(64), name: 'Tiny', ai: true, self: false };
export const BOB: ChatPerson = { id: 'c'.repeat(64), name: 'Bob Marley', ai: false, self: false };

/** `count` messages alternating between Ada and Tiny, a minute apart, ending now. */
export function conversation(count: number, now = Date.now()): ViewMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    hash: i.toString(16).padStart(64, '0'),
    author: i % 3 === 2 ? TINY.id : ADA.id,
    text: i % 7 === 3 ? `Message ${i}: here is some **markdown** with \`code\` and a longer line that wraps across the width of the conversation column.` : `Message ${i}`,
    createdAt: now - (count - i) * 60_000,
  }));
}
