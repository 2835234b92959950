import { describe, expect, it } from 'vitest';
import { assign, createActor, createMachine, fromPromise, SimulatedClock, setup } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { appMachine, backoffDelay, MAX_RESTARTS, STABLE_UPTIME_MS } from '../../machines/app.ts';
import { Deferred, sameStateChecks, settle } from './model-harness.ts';

/** The event-only model of machines/app.ts: archive, provisioning, crashes and time are the knobs. */
const model = setup({
  types: {} as { context: { crashes: number } },
  guards: { exhausted: ({ context }) => context.crashes >= MAX_RESTARTS },
}).createMachine({
  id: 'appModel',
  context: { crashes: 0 },
  initial: 'starting',
  states: {
    starting: { on: { 'archive.ok': 'live', 'archive.fail': 'failed', stop: 'stopping' } },
    live: {
      initial: 'provisioning',
      states: {
        provisioning: { on: { provisioned: 'running' } },
        running: {
          type: 'parallel',
          states: {
            workerPool: {
              initial: 'up',
              states: {
                up: {
                  on: {
                    'pool.crash': { target: 'backingOff', actions: assign({ crashes: ({ context }) => context.crashes + 1 }) },
                    'pool.stable': { actions: assign({ crashes: 0 }) },
                  },
                },
                backingOff: { always: { guard: 'exhausted', target: 'failed' }, on: { 'backoff.elapsed': 'up' } },
                failed: {},
              },
            },
            // Built by the same supervised() as workerPool: its crashes are exercised in the unit test below, not
            // multiplied into these paths (two independent regions would square the path count).
            federation: { initial: 'up', states: { up: {}, backingOff: {}, failed: {} } },
            ai: { initial: 'up', states: { up: {}, backingOff: {}, failed: {} } },
          },
        },
      },
      on: { stop: 'stopping' },
    },
    stopping: { on: { 'shutdown.ok': 'stopped', 'shutdown.fail': 'failed' } },
    stopped: { type: 'final' },
    failed: { type: 'final' },
  },
});

function harness() {
  const clock = new SimulatedClock();
  const pending: Record<string, Deferred<void>> = {};
  const effects: string[] = [];
  const settleable = (name: string) =>
    fromPromise<void>(() => {
      effects.push(`${name}:started`);
      pending[name] = new Deferred<void>();
      return pending[name].promise;
    });
  const machine = appMachine.provide({
    actors: {
      openArchive: settleable('openArchive'),
      shutdown: settleable('shutdown'),
      workerPool: settleable('workerPool'),
      federation: settleable('federation'),
      ai: settleable('ai'),
      // Provisioning is tested on its own; here it only has to stay alive.
      provisioning: createMachine({}) as never,
    },
  });
  const actor = createActor(machine, { clock, input: {} });
  const crashes = () => actor.getSnapshot().context.restarts.workerPool;
  const federationCrashes = () => actor.getSnapshot().context.restarts.federation;
  return { actor, clock, pending, effects, crashes, federationCrashes };
}

const paths = createTestModel(model).getShortestPaths();

describe('app machine, driven along every shortest path of its model', () => {
  for (const path of paths) {
    it(path.description, async () => {
      const h = harness();
      h.actor.start();
      try {
        await path.test({
          states: sameStateChecks(model, () => h.actor, {
            'live.running.workerPool.up': (snapshot) => {
              // One pool started per entry of `up`: the first start plus one per restart.
              expect(h.effects.filter((e) => e === 'workerPool:started').length).toBeGreaterThanOrEqual(1);
              expect(h.crashes()).toBe(snapshot.context.crashes);
            },
            'live.running.workerPool.failed': () => {
              expect(h.actor.getSnapshot().context.failures).toContainEqual({ child: 'workerPool', reason: 'worker pool crashed' });
              expect(h.effects.filter((e) => e === 'workerPool:started')).toHaveLength(MAX_RESTARTS);
            },
            stopped: () => expect(h.actor.getSnapshot().status).toBe('done'),
            failed: () => expect(h.actor.getSnapshot().context.reason).toMatch(/cannot open the archive|shutdown failed/),
          }),
          events: {
            'archive.ok': async () => {
              h.pending.openArchive!.resolve();
              await settle();
            },
            'archive.fail': async () => {
              h.pending.openArchive!.reject(new Error('disk full'));
              await settle();
            },
            provisioned: () => {
              h.actor.send({ type: 'provisioning.done', user: { personId: 'p', instanceId: 'i', name: 'Ada' } });
            },
            'pool.crash': async () => {
              h.pending.workerPool!.reject(new Error('worker pool crashed'));
              await settle();
            },
            'pool.stable': () => h.clock.increment(STABLE_UPTIME_MS),
            'backoff.elapsed': async () => {
              h.clock.increment(backoffDelay(h.crashes()));
              await settle();
            },
            stop: () => h.actor.send({ type: 'app.stop' }),
            'shutdown.ok': async () => {
              h.pending.shutdown!.resolve();
              await settle();
            },
            'shutdown.fail': async () => {
              h.pending.shutdown!.reject(new Error('flush failed'));
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

describe('app supervision', () => {
  it('waits the backoff before restarting, doubling it each crash', async () => {
    const h = harness();
    h.actor.start();
    h.pending.openArchive!.resolve();
    await settle();
    h.actor.send({ type: 'provisioning.done', user: { personId: 'p', instanceId: 'i', name: 'Ada' } });
    for (const expected of [500, 1000, 2000]) {
      h.pending.workerPool!.reject(new Error('boom'));
      await settle();
      const starts = h.effects.filter((e) => e === 'workerPool:started').length;
      h.clock.increment(expected - 1);
      await settle();
      expect(h.effects.filter((e) => e === 'workerPool:started')).toHaveLength(starts);
      h.clock.increment(1);
      await settle();
      expect(h.effects.filter((e) => e === 'workerPool:started')).toHaveLength(starts + 1);
    }
    h.actor.stop();
  });

  it('restarts a federation listener that could not bind, and shows why once it gives up', async () => {
    const h = harness();
    h.actor.start();
    h.pending.openArchive!.resolve();
    await settle();
    h.actor.send({ type: 'provisioning.done', user: { personId: 'p', instanceId: 'i', name: 'Ada' } });
    const reason = 'port 8765 on 127.0.0.1 is already in use (PORT_IN_USE)';
    for (let crash = 1; crash <= MAX_RESTARTS; crash++) {
      // A listener that could not bind ends with its reason as output.
      h.pending.federation!.resolve({ reason: { code: 'PORT_IN_USE', message: 'port 8765 on 127.0.0.1 is already in use' } } as never);
      await settle();
      expect(h.actor.getSnapshot().context.lastCrash.federation).toBe(reason);
      h.clock.increment(backoffDelay(h.federationCrashes()));
      await settle();
    }
    expect(h.actor.getSnapshot().matches({ live: { running: { federation: 'failed', workerPool: 'up' } } })).toBe(true);
    expect(h.actor.getSnapshot().context.failures).toEqual([{ child: 'federation', reason }]);
    expect(h.effects.filter((e) => e === 'federation:started')).toHaveLength(MAX_RESTARTS);
    h.actor.stop();
  });

  it('caps the backoff', () => {
    expect(backoffDelay(1)).toBe(500);
    expect(backoffDelay(20)).toBe(30_000);
  });
});
