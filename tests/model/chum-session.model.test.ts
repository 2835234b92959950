import { describe, expect, it } from 'vitest';
import { assign, createActor, fromCallback, setup, SimulatedClock } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { chumSessionMachine, PROGRESS_INTERVAL_MS, type ChumEngineEvent, type ChumFetch, type ChumSessionInput, type SyncProgress } from '../../machines/chum-session.ts';
import { sameStateChecks } from './model-harness.ts';

/**
 * The event-only model of machines/chum-session.ts: what the engine reports, the progress
 * interval passing and the host closing are the knobs; `pending` is whether a progress report is
 * being held back for the end of the interval.
 */
const model = setup({
  types: {} as { context: { pending: boolean } },
  guards: { pending: ({ context }) => context.pending },
}).createMachine({
  id: 'chumSessionModel',
  context: { pending: false },
  initial: 'active',
  states: {
    active: {
      type: 'parallel',
      on: { 'engine.closed': 'closed', 'engine.failed': 'failed', 'host.close': 'closed' },
      states: {
        session: {
          initial: 'greeting',
          states: {
            greeting: { on: { 'engine.greeted': 'syncing' } },
            syncing: { on: { 'engine.synced': 'live' } },
            live: {},
          },
        },
        progress: {
          initial: 'quiet',
          states: {
            quiet: { on: { 'engine.progress': 'holding' } },
            holding: {
              on: {
                'engine.progress': { actions: assign({ pending: true }) },
                'interval.elapsed': [{ guard: 'pending', target: 'holding', reenter: true, actions: assign({ pending: false }) }, { target: 'quiet' }],
              },
            },
          },
        },
      },
    },
    closed: { type: 'final', entry: assign({ pending: false }) },
    failed: { type: 'final', entry: assign({ pending: false }) },
  },
});

function harness() {
  const clock = new SimulatedClock();
  const engine: { sendBack?: (event: ChumEngineEvent) => void; starts: number; stops: number } = { starts: 0, stops: 0 };
  const machine = chumSessionMachine.provide({
    actors: {
      engine: fromCallback<ChumFetch, ChumSessionInput>(({ sendBack }) => {
        engine.starts++;
        engine.sendBack = sendBack;
        return () => {
          engine.stops++;
        };
      }),
    },
  });
  const actor = createActor(machine, { input: { peer: 'peer' }, clock });
  const announced: SyncProgress[] = [];
  actor.on('status.syncProgress', ({ objectsDone, objectsTotal, bytesDone, bytesTotal }) => announced.push({ objectsDone, objectsTotal, bytesDone, bytesTotal }));
  let reports = 0;
  const report = (event: ChumEngineEvent) => engine.sendBack!(event);
  const progress = () => {
    reports++;
    report({ type: 'chum.progress', progress: { objectsDone: reports, objectsTotal: 10, bytesDone: reports, bytesTotal: 10 } });
  };
  return { actor, clock, engine, announced, report, progress, reports: () => reports };
}

const paths = createTestModel(model).getShortestPaths();

describe('chum session machine, driven along every shortest path of its model', () => {
  it('has paths to every state', () => {
    expect(paths.length).toBeGreaterThanOrEqual(8);
  });

  for (const path of paths) {
    it(path.description, async () => {
      const h = harness();
      h.actor.start();
      const ended = () => {
        expect(h.actor.getSnapshot().status).toBe('done');
        expect(h.engine.stops).toBe(1);
        // Whatever was held back is announced at the end: the last report is never lost.
        if (h.reports() > 0) expect(h.announced.at(-1)?.objectsDone).toBe(h.reports());
      };
      try {
        await path.test({
          states: sameStateChecks(model, () => h.actor, {
            'active.progress.holding': (snapshot) => {
              expect(h.actor.getSnapshot().context.pending).toBe(snapshot.context.pending);
              expect(h.announced.length).toBeGreaterThanOrEqual(1);
            },
            'active.progress.quiet': () => {
              expect(h.actor.getSnapshot().context.pending).toBe(false);
              expect(h.announced.at(-1)?.objectsDone ?? 0).toBe(h.reports());
            },
            closed: () => {
              ended();
              expect(h.actor.getSnapshot().output?.outcome).toBe('closed');
            },
            failed: () => {
              ended();
              expect(h.actor.getSnapshot().output).toMatchObject({ outcome: 'failed', error: { code: 'TIMEOUT' } });
            },
          }),
          events: {
            'engine.greeted': () => h.report({ type: 'chum.greeted' }),
            'engine.synced': () => h.report({ type: 'chum.synced' }),
            'engine.progress': () => h.progress(),
            'interval.elapsed': () => h.clock.increment(PROGRESS_INTERVAL_MS),
            'engine.closed': () => h.report({ type: 'chum.closed', reason: 'link lost' }),
            'engine.failed': () => h.report({ type: 'chum.failed', error: { code: 'TIMEOUT', message: 'no answer' } }),
            'host.close': () => h.actor.send({ type: 'session.close' }),
          },
        });
        expect(h.engine.starts).toBe(1);
      } finally {
        h.actor.stop();
      }
    });
  }
});
