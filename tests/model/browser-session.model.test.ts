import { describe, expect, it } from 'vitest';
import { createActor, createMachine, SimulatedClock } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { browserSessionMachine, type BrowserUser, type FederationTarget } from '../../machines/browser-session.ts';
import { handSettled, sameStateChecks, settle } from './model-harness.ts';

/** The event-only model of machines/browser-session.ts. */
const model = createMachine({
  id: 'browserSessionModel',
  initial: 'opening',
  states: {
    opening: { on: { 'store.empty': 'new', 'store.hasUser': 'locked', 'store.fail': 'failed' } },
    new: { on: { unlock: 'creating' } },
    locked: { on: { unlock: 'unlocking' } },
    creating: { on: { 'user.ok': 'findingNode', 'user.fail': 'new' } },
    unlocking: { on: { 'user.ok': 'findingNode', 'user.wrongPassphrase': 'locked' } },
    findingNode: { on: { 'node.found': 'federating', 'node.notReady': 'waitingForNode' } },
    waitingForNode: { on: { 'retry.elapsed': 'findingNode' } },
    federating: { on: { 'federation.ended': 'waitingForNode', 'connection.up': 'federating', 'connection.down': 'federating' } },
    failed: { type: 'final' },
  },
});

const user: BrowserUser = { personId: 'p'.repeat(64), instanceId: 'i'.repeat(64) };
const target: FederationTarget = { url: 'ws://127.0.0.1:8765', token: 'invitation' };

function harness() {
  const clock = new SimulatedClock();
  const effects = handSettled();
  const { settleable } = effects;
  const machine = browserSessionMachine.provide({
    actors: {
      openStore: settleable<{ hasUser: boolean }>('openStore'),
      unlockUser: settleable<BrowserUser, { name: string; passphrase: string; create: boolean }>('unlockUser'),
      findNode: settleable<FederationTarget>('findNode'),
      connection: settleable('connection'),
    },
  });
  return { actor: createActor(machine, { clock }), clock, ...effects };
}

// Simple paths, so the connection's up/down reports (self-loops on federating) are walked too.
const paths = createTestModel(model).getSimplePaths();

describe('browser session, driven along every simple path of its model', () => {
  for (const path of paths) {
    it(path.description, async () => {
      const h = harness();
      h.actor.start();
      const { resolve, reject } = h;
      try {
        await path.test({
          states: sameStateChecks(model, () => h.actor, {
            federating: () => {
              // The connection is dialed with the target found, invitation included when there was one.
              expect(h.calls.filter((c) => c.name === 'connection').at(-1)?.input).toEqual({ role: 'dialer', url: target.url, token: target.token, reportTo: h.actor });
              expect(h.actor.getSnapshot().context.user).toEqual(user);
            },
            locked: () => {
              const error = h.actor.getSnapshot().context.error;
              if (error) expect(error.code).toBe('WRONG_PASSPHRASE');
            },
          }),
          events: {
            'store.empty': () => resolve('openStore', { hasUser: false }),
            'store.hasUser': () => resolve('openStore', { hasUser: true }),
            'store.fail': () => reject('openStore', new Error('IndexedDB is unavailable')),
            unlock: async () => {
              h.actor.send({ type: 'user.unlock', name: 'Ada', passphrase: 'pass phrase' });
              await settle();
              const call = h.calls.at(-1)!;
              expect(call.name).toBe('unlockUser');
              expect(call.input).toEqual({ type: 'user.unlock', name: 'Ada', passphrase: 'pass phrase', create: h.actor.getSnapshot().matches('creating') });
            },
            'user.ok': () => resolve('unlockUser', user),
            'user.fail': () => reject('unlockUser', new Error('quota exceeded')),
            'user.wrongPassphrase': () => reject('unlockUser', { code: 'WRONG_PASSPHRASE', message: 'no' }),
            'node.found': () => resolve('findNode', target),
            'node.notReady': () => reject('findNode', { code: 'NOT_READY', message: 'federation is not listening yet' }),
            'retry.elapsed': async () => {
              h.clock.increment(2_000);
              await settle();
            },
            'federation.ended': () => resolve('connection'),
            'connection.up': () => {
              h.actor.send({ type: 'connection.up' });
              expect(h.actor.getSnapshot().context.linkUp).toBe(true);
            },
            'connection.down': () => {
              h.actor.send({ type: 'connection.down', reason: { code: 'GOODBYE', message: 'host stopping' } });
              expect(h.actor.getSnapshot().context).toMatchObject({ linkUp: false, error: { code: 'GOODBYE' } });
            },
          },
        });
      } finally {
        h.actor.stop();
      }
    });
  }
});
