import { describe, expect, it } from 'vitest';
import { assign, createActor, fromCallback, setup } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { aiListenerMachine, type AiListenerEvent, type GenerateInput, type RunToolsInput, type StoreAnswerInput, type ToolCallSummary } from '../../machines/ai-listener.ts';
import { handSettled, sameStateChecks, settle } from './model-harness.ts';

/**
 * The event-only model of machines/ai-listener.ts (one tool round allowed, so the step limit is
 * on the paths): what the model and the tools report, what the user does, and the store finishing
 * are the knobs. `queued`: a message waits for the next answer; `steps`: tool rounds so far;
 * `cut`: why the answer is closing.
 */
const MAX_STEPS = 1;
type Cut = 'none' | 'cancelled' | 'failed';

const model = setup({
  types: {} as { context: { queued: boolean; steps: number; cut: Cut } },
  guards: {
    queued: ({ context }) => context.queued,
    stepsLeft: ({ context }) => context.steps < MAX_STEPS,
    cancelled: ({ context }) => context.cut === 'cancelled',
  },
}).createMachine({
  id: 'aiListenerModel',
  context: { queued: false, steps: 0, cut: 'none' },
  initial: 'idle',
  states: {
    idle: { on: { message: { target: 'answering', actions: assign({ steps: 0, cut: 'none' }) } } },
    answering: {
      initial: 'generating',
      on: {
        message: { actions: assign({ queued: true }) },
        cancel: { target: 'closing', actions: assign({ cut: 'cancelled' }) },
      },
      states: {
        generating: {
          on: {
            text: {},
            done: 'storing',
            doneWithTools: [{ guard: 'stepsLeft', target: 'tools' }, { target: 'storing' }],
            failed: { target: '#aiListenerModel.closing', actions: assign({ cut: 'failed' }) },
          },
        },
        tools: {
          initial: 'running',
          states: {
            running: { on: { toolsDone: { target: '#aiListenerModel.answering.generating', actions: assign({ steps: ({ context }) => context.steps + 1 }) }, needApproval: 'awaitingApproval' } },
            awaitingApproval: { on: { decide: 'remembering' } },
            remembering: { on: { remembered: 'running' } },
          },
        },
        storing: {
          on: {
            stored: [
              { guard: 'queued', target: '#aiListenerModel.answering', reenter: true, actions: assign({ queued: false, steps: 0, cut: 'none' }) },
              { target: '#aiListenerModel.idle' },
            ],
          },
        },
      },
    },
    closing: {
      on: {
        closed: [
          { guard: ({ context }) => context.cut === 'cancelled' && context.queued, target: 'answering', actions: assign({ queued: false, steps: 0, cut: 'none' }) },
          { guard: 'cancelled', target: 'idle', actions: assign({ cut: 'none' }) },
          { target: 'failed' },
        ],
      },
    },
    failed: {
      on: {
        retry: { target: 'answering', actions: assign({ steps: 0, cut: 'none' }) },
        message: { target: 'answering', actions: assign({ steps: 0, cut: 'none', queued: false }) },
      },
    },
  },
});

const CALL: ToolCallSummary = { id: 'call-1', name: 'write_file', arguments: { path: 'a.md', content: 'x' } };

function harness() {
  const settled = handSettled();
  const generate: { sendBack?: (event: AiListenerEvent) => void; inputs: GenerateInput[] } = { inputs: [] };
  const tools: { sendBack?: (event: AiListenerEvent) => void; inputs: RunToolsInput[] } = { inputs: [] };
  const machine = aiListenerMachine.provide({
    actors: {
      generate: fromCallback<AiListenerEvent, GenerateInput>(({ sendBack, input }) => {
        generate.sendBack = sendBack;
        generate.inputs.push(input);
      }),
      runTools: fromCallback<AiListenerEvent, RunToolsInput>(({ sendBack, input }) => {
        tools.sendBack = sendBack;
        tools.inputs.push(input);
      }),
      rememberDecision: settled.settleable('rememberDecision'),
      storeAnswer: settled.settleable<string | undefined, StoreAnswerInput>('storeAnswer'),
    },
  });
  const actor = createActor(machine, { input: { topic: 't'.repeat(64), aiPerson: 'a'.repeat(64), maxSteps: MAX_STEPS } });
  let messages = 0;
  return { actor, generate, tools, settled, nextHash: () => String(++messages).padStart(64, '0') };
}

const paths = createTestModel(model).getShortestPaths();

describe('AI listener machine, driven along every shortest path of its model', () => {
  it('has paths through every state of the model', () => {
    expect(paths.length).toBeGreaterThan(10);
  });

  for (const path of paths) {
    it(path.description, async () => {
      const h = harness();
      h.actor.start();
      const lastStore = () => h.settled.calls.filter((c) => c.name === 'storeAnswer').at(-1)?.input as StoreAnswerInput | undefined;
      try {
        await path.test({
          states: sameStateChecks(model, () => h.actor, {
            'answering.generating': (snapshot) => {
              // Tools are offered while steps are left; the tool rounds so far go back to the model.
              const input = h.generate.inputs.at(-1)!;
              expect(input.toolsAllowed).toBe(snapshot.context.steps < MAX_STEPS);
              expect(input.steps).toHaveLength(snapshot.context.steps);
            },
            'answering.tools.awaitingApproval': () => expect(h.actor.getSnapshot().context.approval?.call).toEqual(CALL),
            'answering.storing': () => expect(lastStore()).toMatchObject({ incomplete: false }),
            closing: (snapshot) => {
              expect(lastStore()).toMatchObject({ incomplete: true });
              expect(lastStore()!.error !== undefined).toBe(snapshot.context.cut === 'failed');
            },
            failed: () => expect(h.actor.getSnapshot().context.error?.code).toBe('UNREACHABLE'),
          }),
          events: {
            message: async () => {
              h.actor.send({ type: 'topic.message', hash: h.nextHash() });
              await settle();
            },
            text: async () => {
              h.generate.sendBack!({ type: 'llm.text', text: 'tok ' });
              await settle();
            },
            done: async () => {
              h.generate.sendBack!({ type: 'llm.done', toolCalls: [] });
              await settle();
            },
            doneWithTools: async () => {
              h.generate.sendBack!({ type: 'llm.done', toolCalls: [CALL] });
              await settle();
            },
            failed: async () => {
              h.generate.sendBack!({ type: 'llm.failed', code: 'UNREACHABLE', message: 'connection refused' });
              await settle();
            },
            toolsDone: async () => {
              h.tools.sendBack!({ type: 'tools.done', results: [{ callId: CALL.id, content: 'ok', isError: false }] });
              await settle();
            },
            needApproval: async () => {
              h.tools.sendBack!({ type: 'tools.needApproval', approval: { call: CALL, title: 'Write file', reason: 'changes files', destructive: true }, results: [] });
              await settle();
            },
            decide: async () => {
              h.actor.send({ type: 'tool.decide', callId: CALL.id, choice: 'allowOnce' });
              await settle();
            },
            remembered: () => h.settled.resolve('rememberDecision'),
            stored: () => h.settled.resolve('storeAnswer', 'f'.repeat(64)),
            closed: () => h.settled.resolve('storeAnswer', undefined),
            cancel: async () => {
              h.actor.send({ type: 'answer.cancel' });
              await settle();
            },
            retry: async () => {
              h.actor.send({ type: 'answer.retry' });
              await settle();
            },
          },
        });
      } finally {
        h.actor.stop();
      }
    });
  }
});
