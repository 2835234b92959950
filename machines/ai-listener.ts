import { assertEvent, assign, enqueueActions, fromCallback, fromPromise, setup, type AnyActorRef } from 'xstate';
import { notProvided } from './not-provided.ts';

/**
 * One AI contact answering in one topic (specs/ai.md §3):
 *
 *   idle ──topic.message──▶ answering ─┬─ generating ──llm.done (tool calls, steps left)──▶ tools
 *                                      │      │                                            │
 *                                      │      └─llm.done──▶ storing ──done──▶ (next queued | idle)
 *                                      └─ tools: running ──tools.needApproval──▶ awaitingApproval
 *                                               ──tool.decide──▶ running ──tools.done──▶ generating
 *   answering ──llm.failed / answer.cancel──▶ closing (keeps the partial answer, marked incomplete;
 *   a failure also writes a system message) ──▶ failed (answer.retry) | idle
 *
 * One answer at a time: human messages that arrive meanwhile queue, and the next answer (one, for
 * all of them — the context holds them all) starts when this one is stored. The model streams into
 * `partial`, announced as `ai.stream`; the stored message is written once, complete.
 */
export interface ToolCallSummary {
  readonly id: string;
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
}

/** The tool turns of the answer in progress: what the model asked, what the tools said. */
export interface ToolStep {
  readonly text: string;
  readonly calls: readonly ToolCallSummary[];
  readonly results: readonly { readonly callId: string; readonly content: string; readonly isError: boolean }[];
}

export interface Approval {
  readonly call: ToolCallSummary;
  readonly title: string;
  readonly reason: string;
  readonly destructive: boolean;
}

export interface AiListenerInput {
  readonly topic: string;
  readonly aiPerson: string;
  /** At most this many rounds of tool calls per answer. */
  readonly maxSteps?: number;
  /** Gets a copy of every announcement (the AI assistant, which relays them to the host). */
  readonly reportTo?: AnyActorRef;
}

interface Context {
  reportTo?: AnyActorRef;
  topic: string;
  aiPerson: string;
  maxSteps: number;
  /** Human messages not answered yet (hashes), oldest first. */
  queue: string[];
  /** The newest message the answer in progress answers. */
  trigger?: string;
  partial: string;
  steps: ToolStep[];
  pendingCalls: ToolCallSummary[];
  /** Results of this round's calls so far (before one that waited for approval). */
  doneResults: ToolStep['results'];
  /** Calls of this round the user answered: run (or refused) by that answer, not asked again. */
  answered: string[];
  approval?: Approval;
  error?: { code: string; message: string };
  /** Why the last answer ended early: 'cancelled' or 'failed'. */
  cut?: 'cancelled' | 'failed';
}

export type AiListenerEvent =
  | { type: 'topic.message'; hash: string }
  | { type: 'answer.cancel' }
  | { type: 'answer.retry' }
  | { type: 'tool.decide'; callId: string; choice: 'allowOnce' | 'alwaysAllow' | 'deny' }
  // From `generate`:
  | { type: 'llm.text'; text: string }
  | { type: 'llm.done'; toolCalls: readonly ToolCallSummary[] }
  | { type: 'llm.failed'; code: string; message: string }
  // From `runTools`:
  | { type: 'tools.done'; results: ToolStep['results'] }
  | { type: 'tools.needApproval'; approval: Approval; results: ToolStep['results'] };

export type AiListenerEmitted =
  | { type: 'ai.stream'; topic: string; aiPerson: string; text: string; phase: 'thinking' | 'streaming' | 'tools' | 'approval' | 'done' | 'failed' | 'cancelled'; approval?: Approval; error?: { code: string; message: string } }
  | { type: 'ai.answered'; topic: string; hash: string };

export interface GenerateInput {
  readonly topic: string;
  readonly aiPerson: string;
  readonly trigger: string;
  readonly steps: readonly ToolStep[];
  /** Tools may be offered: false once the step limit is reached, so the model must answer in words. */
  readonly toolsAllowed: boolean;
}

export interface RunToolsInput {
  readonly topic: string;
  readonly calls: readonly ToolCallSummary[];
  /** Results already in (calls before one that needed approval): not run again. */
  readonly done: ToolStep['results'];
  /** Calls the user answered; they run (or are refused) by that answer without asking again. */
  readonly answered: readonly string[];
}

export interface StoreAnswerInput {
  readonly topic: string;
  readonly aiPerson: string;
  readonly text: string;
  readonly incomplete: boolean;
  /** A failure to report in the topic as a system message (after the partial answer, if any). */
  readonly error?: { code: string; message: string };
}

export const DEFAULT_MAX_STEPS = 5;

/** The context of an answer not begun: what each new answer (or a retry) starts from. */
const NO_ANSWER = {
  partial: '',
  steps: [] as ToolStep[],
  pendingCalls: [] as ToolCallSummary[],
  doneResults: [] as ToolStep['results'],
  answered: [] as string[],
  approval: undefined,
  error: undefined,
  cut: undefined,
};

export const aiListenerMachine = setup({
  types: {} as { input: AiListenerInput; context: Context; events: AiListenerEvent; emitted: AiListenerEmitted },
  actors: {
    /** Streams one model turn: `llm.text` (batched), then `llm.done` with any tool calls, or `llm.failed`. */
    generate: fromCallback<AiListenerEvent, GenerateInput>(notProvided('generate')),
    /** Runs the calls the policy allows, in order; stops at the first that needs the user's approval. */
    runTools: fromCallback<AiListenerEvent, RunToolsInput>(notProvided('runTools')),
    /** Records the user's answer to an approval (an "always allow" persists). */
    rememberDecision: fromPromise<void, { call: ToolCallSummary; choice: 'allowOnce' | 'alwaysAllow' | 'deny' }>(notProvided('rememberDecision')),
    /** Writes the answer as the AI's message (and a system message for a failure); resolves with its hash. */
    storeAnswer: fromPromise<string | undefined, StoreAnswerInput>(notProvided('storeAnswer')),
  },
  actions: {
    enqueue: assign({
      queue: ({ context, event }) => {
        assertEvent(event, 'topic.message');
        return context.queue.includes(event.hash) || context.trigger === event.hash ? context.queue : [...context.queue, event.hash];
      },
    }),
    /** The next answer answers everything queued: its trigger is the newest. */
    takeQueue: assign({ ...NO_ANSWER, trigger: ({ context }) => context.queue.at(-1), queue: [] }),
    restartAnswer: assign(NO_ANSWER),
    appendText: assign({
      partial: ({ context, event }) => {
        assertEvent(event, 'llm.text');
        return context.partial + event.text;
      },
    }),
    keepToolCalls: assign({
      pendingCalls: ({ event }) => {
        assertEvent(event, 'llm.done');
        return [...event.toolCalls];
      },
    }),
    finishStep: assign({
      steps: ({ context, event }) => {
        assertEvent(event, 'tools.done');
        return [...context.steps, { text: context.partial, calls: context.pendingCalls, results: [...context.doneResults, ...event.results] }];
      },
      partial: '',
      pendingCalls: [],
      doneResults: [],
      answered: [],
      approval: undefined,
    }),
    keepApproval: assign({
      approval: ({ event }) => {
        assertEvent(event, 'tools.needApproval');
        return event.approval;
      },
      doneResults: ({ context, event }) => {
        assertEvent(event, 'tools.needApproval');
        return [...context.doneResults, ...event.results];
      },
    }),
    keepAnswer: assign({
      answered: ({ context, event }) => {
        assertEvent(event, 'tool.decide');
        return [...context.answered, event.callId];
      },
    }),
    keepFailure: assign({
      error: ({ event }) => {
        assertEvent(event, 'llm.failed');
        return { code: event.code, message: event.message };
      },
      cut: 'failed' as const,
    }),
    markCancelled: assign({ cut: 'cancelled' as const }),
    clearTrigger: assign({ ...NO_ANSWER, trigger: undefined }),
    announce: enqueueActions(({ context, enqueue }, params: { phase: Extract<AiListenerEmitted, { type: 'ai.stream' }>['phase'] }) => {
      const event: AiListenerEmitted = {
        type: 'ai.stream',
        topic: context.topic,
        aiPerson: context.aiPerson,
        text: context.partial,
        phase: params.phase,
        ...(context.approval && params.phase === 'approval' ? { approval: context.approval } : {}),
        ...(context.error && params.phase === 'failed' ? { error: context.error } : {}),
      };
      enqueue.emit(event);
      if (context.reportTo) enqueue.sendTo(context.reportTo, event);
    }),
    announceStored: enqueueActions(({ context, enqueue }, hash: string | undefined) => {
      const event: AiListenerEmitted = { type: 'ai.answered', topic: context.topic, hash: hash ?? '' };
      enqueue.emit(event);
      if (context.reportTo) enqueue.sendTo(context.reportTo, event);
    }),
  },
  guards: {
    hasQueue: ({ context }) => context.queue.length > 0,
    mayUseTools: ({ context, event }) => event.type === 'llm.done' && event.toolCalls.length > 0 && context.steps.length < context.maxSteps,
    wasCancelled: ({ context }) => context.cut === 'cancelled',
    /** A decision for another call (a stale click) is ignored. */
    answersTheQuestion: ({ context, event }) => event.type === 'tool.decide' && event.callId === context.approval?.call.id,
  },
}).createMachine({
  id: 'aiListener',
  context: ({ input }) => ({
    ...(input.reportTo ? { reportTo: input.reportTo } : {}),
    topic: input.topic,
    aiPerson: input.aiPerson,
    maxSteps: input.maxSteps ?? DEFAULT_MAX_STEPS,
    queue: [],
    ...NO_ANSWER,
  }),
  initial: 'idle',
  states: {
    idle: {
      on: { 'topic.message': { target: 'answering', actions: ['enqueue', 'takeQueue'] } },
    },
    answering: {
      initial: 'generating',
      on: {
        'topic.message': { actions: 'enqueue' },
        'answer.cancel': { target: 'closing', actions: 'markCancelled' },
      },
      states: {
        generating: {
          entry: { type: 'announce', params: { phase: 'thinking' } },
          invoke: {
            src: 'generate',
            input: ({ context }) => ({ topic: context.topic, aiPerson: context.aiPerson, trigger: context.trigger!, steps: context.steps, toolsAllowed: context.steps.length < context.maxSteps }),
          },
          on: {
            'llm.text': { actions: ['appendText', { type: 'announce', params: { phase: 'streaming' } }] },
            'llm.done': [
              { guard: 'mayUseTools', target: 'tools', actions: 'keepToolCalls' },
              { target: 'storing' },
            ],
            'llm.failed': { target: '#aiListener.closing', actions: 'keepFailure' },
          },
        },
        tools: {
          initial: 'running',
          states: {
            running: {
              entry: { type: 'announce', params: { phase: 'tools' } },
              invoke: {
                src: 'runTools',
                input: ({ context }) => ({ topic: context.topic, calls: context.pendingCalls, done: context.doneResults, answered: context.answered }),
              },
              on: {
                'tools.done': { target: '#aiListener.answering.generating', actions: 'finishStep' },
                'tools.needApproval': { target: 'awaitingApproval', actions: 'keepApproval' },
              },
            },
            awaitingApproval: {
              entry: { type: 'announce', params: { phase: 'approval' } },
              on: {
                'tool.decide': { guard: 'answersTheQuestion', target: 'remembering', actions: 'keepAnswer' },
              },
            },
            remembering: {
              invoke: {
                src: 'rememberDecision',
                input: ({ context, event }) => {
                  assertEvent(event, 'tool.decide');
                  return { call: context.approval!.call, choice: event.choice };
                },
                // The round goes on from the answered call: allowed, it runs; denied, the refusal is
                // its result for the model. Calls already run are not run again.
                onDone: 'running',
                onError: 'running',
              },
            },
          },
        },
        storing: {
          invoke: {
            src: 'storeAnswer',
            input: ({ context }) => ({ topic: context.topic, aiPerson: context.aiPerson, text: context.partial, incomplete: false }),
            onDone: {
              target: '#aiListener.next',
              actions: [{ type: 'announceStored', params: ({ event }) => event.output }, { type: 'announce', params: { phase: 'done' } }],
            },
            onError: { target: '#aiListener.failed', actions: assign({ error: ({ event }) => ({ code: 'STORE', message: String((event.error as Error)?.message ?? event.error) }), cut: 'failed' as const }) },
          },
        },
      },
    },
    /** The answer ended early: what was said is kept (marked incomplete); a failure is reported in the topic. */
    closing: {
      invoke: {
        src: 'storeAnswer',
        input: ({ context }) => ({
          topic: context.topic,
          aiPerson: context.aiPerson,
          text: context.partial,
          incomplete: true,
          ...(context.cut === 'failed' && context.error ? { error: context.error } : {}),
        }),
        onDone: [
          { guard: 'wasCancelled', target: 'next', actions: { type: 'announce', params: { phase: 'cancelled' } } },
          { target: 'failed' },
        ],
        onError: 'failed',
      },
    },
    next: {
      always: [
        { guard: 'hasQueue', target: 'answering', actions: 'takeQueue' },
        { target: 'idle', actions: 'clearTrigger' },
      ],
    },
    /** The provider failed: the error is in the topic; the user may retry, or write on. */
    failed: {
      entry: { type: 'announce', params: { phase: 'failed' } },
      on: {
        'answer.retry': { target: 'answering', actions: 'restartAnswer' },
        'topic.message': { target: 'answering', actions: ['enqueue', 'takeQueue'] },
      },
    },
  },
});
