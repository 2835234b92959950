import { describe, expect, it } from 'vitest';
import { createActor, createMachine, fromCallback, SimulatedClock } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { hostLinkMachine, LINK_BACKOFF_MS, type AppStatus, type NodeUser } from '../../machines/host-link.ts';
import { handSettled, sameStateChecks, settle } from './model-harness.ts';

/** The event-only model of machines/host-link.ts. */
const model = createMachine({
  id: 'hostLinkModel',
  initial: 'connecting',
  states: {
    connecting: { on: { 'connect.ok': 'connected', 'connect.fail': 'backingOff' } },
    connected: {
      initial: 'syncing',
      states: {
        syncing: { on: { 'status.ok': 'idle', 'status.fail': 'idle' } },
        idle: { on: { submit: 'provisioning' } },
        provisioning: { on: { 'provision.ok': 'idle', 'provision.fail': 'idle' } },
      },
      on: { 'link.lost': 'backingOff' },
    },
    backingOff: { on: { 'backoff.elapsed': 'connecting' } },
  },
});

const user: NodeUser = { personId: 'p'.repeat(64), instanceId: 'i'.repeat(64), name: 'Ada' };
const app: AppStatus = { state: 'live.provisioning', provisioning: 'awaitingUser', failures: [] };

function harness() {
  const clock = new SimulatedClock();
  const hand = handSettled();
  const { settleable } = hand;
  let lose: ((reason: string) => void) | undefined;
  const machine = hostLinkMachine.provide({
    actors: {
      connect: settleable<void>('connect'),
      fetchStatus: settleable<{ app: AppStatus; user: NodeUser | null }>('fetchStatus'),
      provision: settleable<NodeUser, { name: string; passphrase: string }>('provision'),
      listen: fromCallback(({ sendBack }) => {
        lose = (reason) => sendBack({ type: 'link.lost', reason });
        return () => (lose = undefined);
      }),
    },
  });
  const actor = createActor(machine, { clock });
  return { actor, clock, ...hand, effects: () => hand.calls.map((c) => c.name), lose: (reason: string) => lose!(reason) };
}

const paths = createTestModel(model).getShortestPaths();

describe('host link, driven along every shortest path of its model', () => {
  for (const path of paths) {
    it(path.description, async () => {
      const h = harness();
      h.actor.start();
      const { resolve } = h;
      const reject = (name: string, code: string) => h.reject(name, { code, message: code.toLowerCase() });
      try {
        await path.test({
          states: sameStateChecks(model, () => h.actor, {
            backingOff: () => expect(h.actor.getSnapshot().context.linkError?.code).toMatch(/LINK_LOST|CONNECT_FAILED/),
            'connected.idle': () => expect(h.actor.getSnapshot().context.attempt).toBe(0),
          }),
          events: {
            'connect.ok': () => resolve('connect'),
            'connect.fail': () => reject('connect', 'CONNECT_FAILED'),
            'status.ok': async () => {
              await resolve('fetchStatus', { app, user: null });
              expect(h.actor.getSnapshot().context.app).toEqual(app);
            },
            'status.fail': () => reject('fetchStatus', 'DISCONNECTED'),
            submit: async () => {
              h.actor.send({ type: 'provision.submit', name: 'Ada', passphrase: 'pass phrase' });
              await settle();
              expect(h.effects().at(-1)).toBe('provision');
            },
            'provision.ok': async () => {
              await resolve('provision', user);
              expect(h.actor.getSnapshot().context.user).toEqual(user);
            },
            'provision.fail': async () => {
              await reject('provision', 'WRONG_PASSPHRASE');
              expect(h.actor.getSnapshot().context.provisionError?.code).toBe('WRONG_PASSPHRASE');
            },
            'link.lost': async () => {
              h.lose('host stopped');
              await settle();
            },
            'backoff.elapsed': async () => {
              h.clock.increment(Math.max(...LINK_BACKOFF_MS));
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
