import { assertEvent, assign, fromCallback, fromPromise, setup } from 'xstate';
import { notProvided } from './not-provided.ts';

/**
 * The open topic in the chat view (specs/chat.md §4, specs/ai.md §5–§6):
 *
 *   loading ──ok──▶ ready ─┬─ history:  idle ──history.older──▶ loadingOlder ──▶ idle | complete
 *      │  ▲                ├─ outbox:   idle ⇄ sending         (one message at a time, in order)
 *      ▼  │ topic.reload   └─ commands: idle ⇄ running         (stop / retry / approve, in order)
 *   failed
 *
 * `ready` follows the topic (new messages as they arrive), the AI answers being written in it
 * (`status:aiStream` for this topic) and whether the link to the Node is up. Sending is
 * optimistic: the text shows at once as pending, a failure stays inline with Retry and Discard.
 * Everything the view draws is in the context; the effects are named here and provided by
 * actors/browser/chat-view-effects.ts (tests provide fakes).
 */
export interface ChatPerson {
  readonly id: string;
  readonly name: string;
  /** An AI contact (a Person with an LLM object). */
  readonly ai: boolean;
  /** This user, or the user's own Node archive: shown as "You". */
  readonly self: boolean;
}

export interface ViewMessage {
  readonly hash: string;
  readonly author: string;
  readonly text: string;
  readonly createdAt: number;
  /** `system`: written by the app (an AI provider's failure, in words). */
  readonly kind?: 'text' | 'system';
  /** An AI answer cut short (stopped, or its provider failed). */
  readonly incomplete?: boolean;
  readonly attachments?: readonly { readonly name: string; readonly mimeType: string; readonly size: number }[];
}

export interface TopicInfo {
  readonly name: string;
  readonly participants: readonly ChatPerson[];
}

export type StreamPhase = 'thinking' | 'streaming' | 'tools' | 'approval' | 'done' | 'failed' | 'cancelled';

export interface ToolApproval {
  readonly call: { readonly id: string; readonly name: string; readonly arguments: Readonly<Record<string, unknown>> };
  readonly title: string;
  readonly reason: string;
  readonly destructive: boolean;
}

export interface ChatFailure {
  readonly code: string;
  readonly message: string;
}

/** One `status:aiStream` push for this topic. */
export interface StreamUpdate {
  readonly aiPerson: string;
  readonly phase: StreamPhase;
  readonly text: string;
  readonly approval?: ToolApproval;
  readonly error?: ChatFailure;
}

/** An AI's answer while it is written, as the view shows it. */
export interface StreamView extends StreamUpdate {
  /** The call the user answered; its buttons stay disabled until the AI moves on. */
  readonly decided?: string;
  /** Stop was pressed; the AI has not confirmed yet. */
  readonly stopping?: boolean;
}

export interface PendingMessage {
  readonly localId: string;
  readonly text: string;
  readonly state: 'queued' | 'sending' | 'failed';
  readonly error?: ChatFailure;
}

export type ToolChoice = 'allowOnce' | 'alwaysAllow' | 'deny';

export type ChatCommand =
  | { readonly kind: 'cancel' | 'retry'; readonly aiPerson: string }
  | { readonly kind: 'decide'; readonly aiPerson: string; readonly callId: string; readonly choice: ToolChoice };

export interface ChatViewInput {
  readonly topic: string;
  /** Messages per page: the newest page first, older pages on scroll-up. */
  readonly pageSize?: number;
}

export interface TopicPage {
  readonly info: TopicInfo;
  readonly messages: readonly ViewMessage[];
  readonly hasOlder: boolean;
}

export interface OlderPage {
  readonly messages: readonly ViewMessage[];
  readonly hasOlder: boolean;
}

export interface ChatViewContext {
  readonly topic: string;
  readonly pageSize: number;
  readonly info?: TopicInfo;
  /** The loaded messages in topic order (specs/chat.md §3), oldest first. */
  readonly messages: readonly ViewMessage[];
  readonly hasOlder: boolean;
  readonly pending: readonly PendingMessage[];
  readonly nextLocalId: number;
  /** Per AI person: the answer being written (or just finished, until its message arrives). */
  readonly streams: Readonly<Record<string, StreamView>>;
  readonly commands: readonly ChatCommand[];
  /** Whether the CHUM link to the Node is up (answers and other people's messages need it). */
  readonly online: boolean;
  /** Why the topic could not be opened. */
  readonly error?: ChatFailure;
  /** A failed command or page, shown until dismissed. */
  readonly notice?: ChatFailure;
}

export type ChatViewEvent =
  | { type: 'topic.reload' }
  | { type: 'history.older' }
  | { type: 'message.send'; text: string }
  | { type: 'message.retry'; localId: string }
  | { type: 'message.discard'; localId: string }
  | { type: 'messages.arrived'; messages: readonly ViewMessage[] }
  | { type: 'ai.stream'; update: StreamUpdate }
  | { type: 'answer.cancel'; aiPerson: string }
  | { type: 'answer.retry'; aiPerson: string }
  | { type: 'tool.decide'; aiPerson: string; callId: string; choice: ToolChoice }
  | { type: 'link.changed'; online: boolean }
  | { type: 'notice.dismiss' };

export const DEFAULT_PAGE_SIZE = 50;
const TERMINAL: readonly StreamPhase[] = ['done', 'failed', 'cancelled'];

export function toFailure(error: unknown): ChatFailure {
  const coded = error as { code?: unknown; message?: unknown } | undefined;
  return { code: typeof coded?.code === 'string' ? coded.code : 'ERROR', message: typeof coded?.message === 'string' ? coded.message : String(error) };
}

/** The topic order of specs/chat.md §3: createdAt, then author, then hash. */
export function compareViewMessages(a: ViewMessage, b: ViewMessage): number {
  return a.createdAt - b.createdAt || (a.author < b.author ? -1 : a.author > b.author ? 1 : 0) || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0);
}

/** Both lists in topic order, each message once; linear, so a 10,000-message topic stays cheap. */
export function mergeMessages(current: readonly ViewMessage[], incoming: readonly ViewMessage[]): readonly ViewMessage[] {
  if (incoming.length === 0) return current;
  const sorted = [...incoming].sort(compareViewMessages);
  const last = current.at(-1);
  if (!last || compareViewMessages(last, sorted[0]!) < 0) return dedupe([...current, ...sorted]);
  const out: ViewMessage[] = [];
  let i = 0;
  let j = 0;
  while (i < current.length || j < sorted.length) {
    const a = current[i];
    const b = sorted[j];
    const order = a && b ? compareViewMessages(a, b) : a ? -1 : 1;
    if (order <= 0) i++;
    if (order >= 0) j++;
    out.push(order <= 0 ? a! : b!);
  }
  return dedupe(out);
}

function dedupe(sorted: ViewMessage[]): ViewMessage[] {
  return sorted.filter((m, i) => i === 0 || sorted[i - 1]!.hash !== m.hash);
}

/** The newest message an author wrote, among those loaded. */
function newestBy(messages: readonly ViewMessage[], author: string): ViewMessage | undefined {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.author === author) return messages[i];
  return undefined;
}

/**
 * Whether a finished answer is already on screen as its stored message (CHUM can bring it before
 * or after the last push), so the streamed copy can go.
 */
function storedAlready(messages: readonly ViewMessage[], update: StreamUpdate): boolean {
  if (!TERMINAL.includes(update.phase)) return false;
  if (update.phase === 'cancelled' && update.text === '') return true;
  const newest = newestBy(messages, update.aiPerson);
  return newest !== undefined && newest.kind !== 'system' && newest.text === update.text && update.text !== '' && update.phase !== 'failed';
}

export const chatViewMachine = setup({
  types: {} as { input: ChatViewInput; context: ChatViewContext; events: ChatViewEvent },
  actors: {
    /** The topic's name and participants (names, AI or not) and its newest page. */
    loadTopic: fromPromise<TopicPage, { topic: string; limit: number }>(notProvided('loadTopic')),
    /** The page of messages before `before` (a message hash). */
    loadOlder: fromPromise<OlderPage, { topic: string; before: string; limit: number }>(notProvided('loadOlder')),
    /** Writes the user's message; resolves with it as stored. */
    sendMessage: fromPromise<ViewMessage, { topic: string; text: string }>(notProvided('sendMessage')),
    /** orchestrate:aiAnswer or orchestrate:aiApprove for this topic. */
    runCommand: fromPromise<void, { topic: string; command: ChatCommand }>(notProvided('runCommand')),
    /** New messages of the topic as `messages.arrived`. */
    follow: fromCallback<ChatViewEvent, { topic: string }>(notProvided('follow')),
    /** This topic's `status:aiStream` pushes as `ai.stream`. */
    streams: fromCallback<ChatViewEvent, { topic: string }>(notProvided('streams')),
    /** The CHUM link's state as `link.changed`. */
    watchLink: fromCallback<ChatViewEvent>(notProvided('watchLink')),
  },
  actions: {
    keepPage: assign((_, page: TopicPage) => ({ info: page.info, messages: mergeMessages([], page.messages), hasOlder: page.hasOlder, error: undefined })),
    keepError: assign({ error: (_, error: ChatFailure) => error }),
    keepOlder: assign(({ context }, page: OlderPage) => ({ messages: mergeMessages(context.messages, page.messages), hasOlder: page.hasOlder })),
    keepNotice: assign({ notice: (_, notice: ChatFailure) => notice }),
    dismissNotice: assign({ notice: undefined }),
    takeArrivals: assign(({ context, event }) => {
      assertEvent(event, 'messages.arrived');
      const messages = mergeMessages(context.messages, event.messages);
      const authors = new Set(event.messages.map((m) => m.author));
      // A finished answer's stored message (or the failure note) has come: the streamed copy goes.
      const streams = Object.fromEntries(Object.entries(context.streams).filter(([ai, s]) => !(authors.has(ai) && TERMINAL.includes(s.phase))));
      return { messages, streams };
    }),
    takeStream: assign({
      streams: ({ context, event }) => {
        assertEvent(event, 'ai.stream');
        const { [event.update.aiPerson]: _previous, ...others } = context.streams;
        return storedAlready(context.messages, event.update) ? others : { ...others, [event.update.aiPerson]: { ...event.update } };
      },
    }),
    enqueueMessage: assign(({ context, event }) => {
      assertEvent(event, 'message.send');
      return { pending: [...context.pending, { localId: `local-${context.nextLocalId}`, text: event.text, state: 'queued' as const }], nextLocalId: context.nextLocalId + 1 };
    }),
    markSending: assign({ pending: ({ context }) => markFirstQueued(context.pending, 'sending') }),
    /** The stored message replaces the pending one (follow may have brought it already). */
    markSent: assign(({ context }, message: ViewMessage) => ({
      pending: context.pending.filter((p) => p.state !== 'sending'),
      messages: mergeMessages(context.messages, [message]),
    })),
    markFailed: assign({ pending: ({ context }, error: ChatFailure) => context.pending.map((p) => (p.state === 'sending' ? { ...p, state: 'failed' as const, error } : p)) }),
    requeue: assign({
      pending: ({ context, event }) => {
        assertEvent(event, 'message.retry');
        return context.pending.map((p) => (p.localId === event.localId && p.state === 'failed' ? { localId: p.localId, text: p.text, state: 'queued' as const } : p));
      },
    }),
    discard: assign({
      pending: ({ context, event }) => {
        assertEvent(event, 'message.discard');
        return context.pending.filter((p) => p.localId !== event.localId || p.state === 'sending');
      },
    }),
    enqueueCommand: assign(({ context, event }) => {
      assertEvent(event, ['answer.cancel', 'answer.retry', 'tool.decide']);
      const command: ChatCommand =
        event.type === 'tool.decide'
          ? { kind: 'decide', aiPerson: event.aiPerson, callId: event.callId, choice: event.choice }
          : { kind: event.type === 'answer.cancel' ? 'cancel' : 'retry', aiPerson: event.aiPerson };
      const stream = context.streams[event.aiPerson];
      const marked: StreamView | undefined =
        stream && event.type === 'tool.decide' ? { ...stream, decided: event.callId } : stream && event.type === 'answer.cancel' ? { ...stream, stopping: true } : stream;
      return { commands: [...context.commands, command], streams: marked ? { ...context.streams, [event.aiPerson]: marked } : context.streams, notice: undefined };
    }),
    /** A command that failed frees its buttons again, so the user can try once more. */
    dropCommand: assign(({ context }, failure: ChatFailure | undefined) => {
      const [done, ...rest] = context.commands;
      const stream = done && context.streams[done.aiPerson];
      const streams = failure && stream ? { ...context.streams, [done.aiPerson]: { ...stream, decided: undefined, stopping: undefined } } : context.streams;
      return { commands: rest, streams, ...(failure ? { notice: failure } : {}) };
    }),
    keepLink: assign({
      online: ({ event }) => {
        assertEvent(event, 'link.changed');
        return event.online;
      },
    }),
  },
  guards: {
    hasOlder: ({ context }) => context.hasOlder && context.messages.length > 0,
    hasQueued: ({ context }) => context.pending.some((p) => p.state === 'queued'),
    hasCommand: ({ context }) => context.commands.length > 0,
    sendable: ({ event }) => event.type === 'message.send' && event.text.trim() !== '',
  },
}).createMachine({
  id: 'chatView',
  context: ({ input }) => ({
    topic: input.topic,
    pageSize: input.pageSize ?? DEFAULT_PAGE_SIZE,
    messages: [],
    hasOlder: false,
    pending: [],
    nextLocalId: 1,
    streams: {},
    commands: [],
    online: true,
  }),
  initial: 'loading',
  states: {
    loading: {
      invoke: {
        src: 'loadTopic',
        input: ({ context }) => ({ topic: context.topic, limit: context.pageSize }),
        onDone: { target: 'ready', actions: { type: 'keepPage', params: ({ event }) => event.output } },
        onError: { target: 'failed', actions: { type: 'keepError', params: ({ event }) => toFailure(event.error) } },
      },
    },
    failed: { on: { 'topic.reload': 'loading' } },
    ready: {
      type: 'parallel',
      invoke: [
        { src: 'follow', input: ({ context }) => ({ topic: context.topic }) },
        { src: 'streams', input: ({ context }) => ({ topic: context.topic }) },
        { src: 'watchLink' },
      ],
      on: {
        'messages.arrived': { actions: 'takeArrivals' },
        'ai.stream': { actions: 'takeStream' },
        'message.send': { guard: 'sendable', actions: 'enqueueMessage' },
        'message.retry': { actions: 'requeue' },
        'message.discard': { actions: 'discard' },
        'answer.cancel': { actions: 'enqueueCommand' },
        'answer.retry': { actions: 'enqueueCommand' },
        'tool.decide': { actions: 'enqueueCommand' },
        'link.changed': { actions: 'keepLink' },
        'notice.dismiss': { actions: 'dismissNotice' },
      },
      states: {
        history: {
          initial: 'idle',
          states: {
            idle: {
              always: { guard: ({ context }) => !context.hasOlder, target: 'complete' },
              on: { 'history.older': { guard: 'hasOlder', target: 'loadingOlder' } },
            },
            loadingOlder: {
              invoke: {
                src: 'loadOlder',
                input: ({ context }) => ({ topic: context.topic, before: context.messages[0]!.hash, limit: context.pageSize }),
                onDone: { target: 'idle', actions: { type: 'keepOlder', params: ({ event }) => event.output } },
                onError: { target: 'idle', actions: { type: 'keepNotice', params: ({ event }) => toFailure(event.error) } },
              },
            },
            /** The first message of the topic is on screen. */
            complete: { type: 'final' },
          },
        },
        outbox: {
          initial: 'idle',
          states: {
            idle: { always: { guard: 'hasQueued', target: 'sending' } },
            sending: {
              entry: 'markSending',
              invoke: {
                src: 'sendMessage',
                input: ({ context }) => ({ topic: context.topic, text: context.pending.find((p) => p.state === 'sending')!.text }),
                onDone: { target: 'idle', actions: { type: 'markSent', params: ({ event }) => event.output } },
                onError: { target: 'idle', actions: { type: 'markFailed', params: ({ event }) => toFailure(event.error) } },
              },
            },
          },
        },
        commands: {
          initial: 'idle',
          states: {
            idle: { always: { guard: 'hasCommand', target: 'running' } },
            running: {
              invoke: {
                src: 'runCommand',
                input: ({ context }) => ({ topic: context.topic, command: context.commands[0]! }),
                onDone: { target: 'idle', actions: { type: 'dropCommand', params: undefined } },
                onError: { target: 'idle', actions: { type: 'dropCommand', params: ({ event }) => toFailure(event.error) } },
              },
            },
          },
        },
      },
    },
  },
});

function markFirstQueued(pending: readonly PendingMessage[], state: 'sending'): PendingMessage[] {
  const at = pending.findIndex((p) => p.state === 'queued');
  return pending.map((p, i) => (i === at ? { ...p, state } : p));
}
