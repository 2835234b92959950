import { describe, expect, it } from 'vitest';
import { createActor, fromPromise } from 'xstate';
import { InspectionCollector } from '../../actors/inspection/inspection-collector.ts';
import { describeMachine } from '../../actors/inspection/machine-definition.ts';
import { aiListenerMachine } from '../../machines/ai-listener.ts';
import { appMachine } from '../../machines/app.ts';
import { createNodeOrchestrator } from '../node/node-orchestrator.node.ts';
import { channels } from './channels.ts';
import { checkPush, dispatch } from './dispatch.ts';

const response = channels['orchestrate:inspection'].response;

describe('orchestrate:inspection and the inspection records', () => {
  it('answers with the Node host\'s live actors, their history and their machines\' definitions, within the schema', async () => {
    const collector = new InspectionCollector({ batchMs: 0 });
    // The archive never opens: the app waits in `starting`, its openArchive promise alive.
    const app = createActor(appMachine.provide({ actors: { openArchive: fromPromise(() => new Promise<void>(() => undefined)) } }), {
      inspect: collector.inspect,
      input: {},
    }).start();
    const pushed: unknown[] = [];
    const node = createNodeOrchestrator(app, collector, { invite: () => ({ url: 'ws://127.0.0.1:8765', pairingToken: 't' }) });
    node.pushes.onPush((push) => pushed.push(checkPush(push)));
    try {
      const result = await dispatch(node.orchestrator, 'orchestrate:inspection', {});
      expect(result.ok).toBe(true);
      const reply = (result as { response: ReturnType<typeof response.parse> }).response;
      const root = reply.actors.find((a) => a.name === 'app')!;
      expect(root).toMatchObject({ type: 'snapshot', state: 'starting', machine: expect.stringMatching(/^app@[0-9a-f]{8}$/) });
      expect(reply.actors.find((a) => a.name === 'openArchive' || a.parent === root.actorId)).toBeDefined();
      expect(reply.definitions[root.machine!]).toEqual(describeMachine(appMachine));
      expect(reply.recent.length).toBeGreaterThan(0);

      app.send({ type: 'app.stop' });
      collector.flush();
      expect(pushed.length).toBeGreaterThan(0);
      expect(pushed.every(Boolean)).toBe(true);
    } finally {
      node.dispose();
      app.stop();
    }
  });

  it('refuses a definition that carries anything but names, or too much', () => {
    const definition = describeMachine(aiListenerMachine)!;
    const reply = (definitions: unknown) => response.safeParse({ actors: [], recent: [], definitions }).success;
    expect(reply({ 'aiListener@00000000': definition })).toBe(true);
    expect(reply({ 'aiListener@00000000': { ...definition, context: { text: 'chat' } } })).toBe(false);
    const withAction = { ...definition, root: { ...definition.root, entry: ['announce'] } };
    expect(reply({ 'aiListener@00000000': withAction })).toBe(false);
    const wide = { id: 'wide', root: { key: 'wide', type: 'compound', states: Array.from({ length: 401 }, (_, i) => ({ key: `s${i}`, type: 'atomic' })) } };
    expect(reply({ 'wide@00000000': wide })).toBe(false);
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`m${i}@00000000`, definition]));
    expect(reply(many)).toBe(false);
  });
});
