import { describe, expect, it } from 'vitest';
import { and, createMachine, fromPromise, not, setup } from 'xstate';
import { aiListenerMachine } from '../../machines/ai-listener.ts';
import { appMachine } from '../../machines/app.ts';
import { DEFINITION_LIMITS, definitionId, describeMachine, type ChartState } from './machine-definition.ts';

const find = (state: ChartState, path: string): ChartState | undefined =>
  path === '' ? state : path.split('.').reduce<ChartState | undefined>((at, key) => at?.states?.find((child) => child.key === key), state);

describe('describeMachine', () => {
  it('keeps the AI listener\'s nesting, initial states, events, targets, guards and invoked logic', () => {
    const definition = describeMachine(aiListenerMachine)!;
    expect(definition.id).toBe('aiListener');
    expect(definition.root).toMatchObject({ type: 'compound', initial: 'idle' });
    expect(find(definition.root, 'answering')).toMatchObject({ type: 'compound', initial: 'generating' });
    expect(find(definition.root, 'answering.tools.awaitingApproval')).toMatchObject({
      type: 'atomic',
      on: [{ event: 'tool.decide', targets: ['answering.tools.remembering'], guard: 'answersTheQuestion' }],
    });
    const generating = find(definition.root, 'answering.generating')!;
    expect(generating.invoke).toEqual([{ id: '0.aiListener.answering.generating', src: 'generate' }]);
    expect(generating.on).toEqual([
      { event: 'llm.text' },
      { event: 'llm.done', targets: ['answering.tools'], guard: 'mayUseTools' },
      { event: 'llm.done', targets: ['answering.storing'] },
      { event: 'llm.failed', targets: ['closing'] },
    ]);
    expect(find(definition.root, 'next')!.on).toEqual([
      { event: '', targets: ['answering'], guard: 'hasQueue' },
      { event: '', targets: ['idle'] },
    ]);
  });

  it('marks the app\'s parallel regions and final states, and names delays in after-events', () => {
    const definition = describeMachine(appMachine)!;
    expect(find(definition.root, 'live.running')).toMatchObject({ type: 'parallel' });
    expect(find(definition.root, 'live.running')!.initial).toBeUndefined();
    expect(find(definition.root, 'live.running')!.states!.map((s) => s.key)).toEqual(['workerPool', 'federation', 'ai']);
    expect(find(definition.root, 'stopped')).toEqual({ key: 'stopped', type: 'final' });
    expect(find(definition.root, 'live.running.ai.backingOff')!.on).toContainEqual({
      event: 'xstate.after.aiBackoff.app.live.running.ai.backingOff',
      targets: ['live.running.ai.up'],
    });
  });

  it('carries names only: no actions, params or context, whatever the machine holds', () => {
    const secretive = setup({ guards: { ok: () => true }, actions: { log: () => undefined }, actors: { load: fromPromise(async () => 'x') } }).createMachine({
      id: 'secretive',
      context: { message: 'hello, this is chat text' },
      initial: 'a',
      states: {
        a: {
          entry: { type: 'log', params: { text: 'chat text in params' } },
          meta: { note: 'chat text in meta' },
          invoke: { src: 'load', input: { text: 'chat text in input' } },
          on: { go: { target: 'b', guard: { type: 'ok', params: { text: 'chat text in guard params' } } } },
        },
        b: { type: 'final' },
      },
    });
    const json = JSON.stringify(describeMachine(secretive));
    expect(json).not.toContain('chat text');
    expect(json).toContain('"guard":"ok"');
  });

  it('names higher-order and inline guards', () => {
    const machine = setup({ guards: { a: () => true, b: () => true } }).createMachine({
      initial: 'x',
      states: { x: { on: { e: { guard: and(['a', not('b')]), target: 'y' }, f: { guard: () => true, target: 'y' } } }, y: {} },
    });
    expect(describeMachine(machine)!.root.states![0]!.on).toEqual([
      { event: 'e', targets: ['y'], guard: 'and(a, not(b))' },
      { event: 'f', targets: ['y'], guard: 'inline' },
    ]);
  });

  it('describes only machines, and only those within the limits', () => {
    expect(describeMachine(fromPromise(async () => 1))).toBeUndefined();
    expect(describeMachine(undefined)).toBeUndefined();
    const states = Object.fromEntries(Array.from({ length: DEFINITION_LIMITS.states + 1 }, (_, i) => [`s${i}`, {}]));
    expect(describeMachine(createMachine({ initial: 's0', states }))).toBeUndefined();
  });

  it('names a definition by machine id and structure', () => {
    const one = describeMachine(aiListenerMachine)!;
    expect(definitionId(one)).toMatch(/^aiListener@[0-9a-f]{8}$/);
    expect(definitionId(describeMachine(aiListenerMachine.provide({}))!)).toBe(definitionId(one));
    expect(definitionId(describeMachine(appMachine)!)).not.toBe(definitionId(one));
  });
});
