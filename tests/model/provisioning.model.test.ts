import { describe, expect, it } from 'vitest';
import { createActor, createMachine, fromPromise, type ActorRefFrom } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { provisioningMachine, type ProvisionedUser, type ProvisionRequest } from '../../machines/provisioning.ts';
import { Deferred, sameStateChecks, settle } from './model-harness.ts';

/** The event-only model of machines/provisioning.ts: its events are the test's knobs. */
const model = createMachine({
  id: 'provisioningModel',
  initial: 'checking',
  states: {
    checking: { on: { 'check.empty': 'awaitingUser', 'check.hasUser': 'locked', 'check.fail': 'corrupt', request: 'checking' } },
    awaitingUser: { on: { request: 'creating' } },
    creating: { on: { 'effect.ok': 'provisioned', 'effect.fail': 'awaitingUser', request: 'creating' } },
    locked: { on: { request: 'unlocking' } },
    unlocking: { on: { 'effect.ok': 'provisioned', 'effect.wrongPassphrase': 'wrongPassphrase', 'effect.fail': 'corrupt', request: 'unlocking' } },
    wrongPassphrase: { on: { request: 'unlocking' } },
    corrupt: { on: { request: 'corrupt' } },
    provisioned: { on: { request: 'reprovisioning' } },
    reprovisioning: { on: { 'effect.ok': 'provisioned', 'effect.wrongPassphrase': 'provisioned', request: 'reprovisioning' } },
  },
});

const user: ProvisionedUser = { personId: 'p'.repeat(64), instanceId: 'i'.repeat(64), name: 'Ada' };

/** The real machine with hand-settled effects, and a log of every effect it performed. */
function harness() {
  let pending: Deferred<unknown> | undefined;
  const effects: string[] = [];
  const settleable = <T, I = unknown>(name: string) =>
    fromPromise<T, I>(() => {
      effects.push(`${name}:started`);
      pending = new Deferred<unknown>();
      return pending.promise as Promise<T>;
    });
  const machine = provisioningMachine.provide({
    actors: {
      checkStore: settleable<{ hasUser: boolean }>('checkStore'),
      createUser: settleable<ProvisionedUser, ProvisionRequest>('createUser'),
      unlockUser: settleable<ProvisionedUser, ProvisionRequest>('unlockUser'),
    },
    actions: { notifyApp: () => effects.push('notifyApp') },
  });
  const actor = createActor(machine);
  actor.on('*', (event) => effects.push(event.type === 'provision.failed' ? `failed:${event.error.code}:${event.requestId}` : `succeeded:${event.created}:${event.requestId}`));
  let requests = 0;
  return {
    actor,
    effects,
    request: () => actor.send({ type: 'provision.request', requestId: `r${++requests}`, name: 'Ada', passphrase: 'pass phrase' }),
    resolve: async (value: unknown) => {
      pending!.resolve(value);
      await settle();
    },
    reject: async (error: unknown) => {
      pending!.reject(error);
      await settle();
    },
  };
}

// Simple paths, not only shortest: they also walk the self-loops (a request while busy is refused).
const paths = createTestModel(model).getSimplePaths();

describe('provisioning machine, driven along every simple path of its model', () => {
  it('visits every state of the model', () => {
    const visited = new Set(paths.flatMap((p) => [p.state, ...p.steps.map((s) => s.state)].map((s) => JSON.stringify(s.value))));
    expect(visited.size).toBe(Object.keys(model.root.states).length);
  });

  for (const path of paths) {
    it(path.description, async () => {
      const h = harness();
      h.actor.start();
      try {
        await path.test({
          states: sameStateChecks(model, () => h.actor as ActorRefFrom<typeof provisioningMachine>, {
            // A user becomes provisioned exactly once, however many times it is provisioned again.
            provisioned: () => expect(h.effects.filter((e) => e === 'notifyApp')).toHaveLength(1),
            wrongPassphrase: () => expect(h.effects.at(-1)).toMatch(/^failed:WRONG_PASSPHRASE:r\d+$/),
            corrupt: () => expect(h.effects.some((e) => e.startsWith('failed:') || e === 'checkStore:started')).toBe(true),
            awaitingUser: () => expect(h.effects.filter((e) => e === 'notifyApp')).toHaveLength(0),
          }),
          events: {
            'check.empty': () => h.resolve({ hasUser: false }),
            'check.hasUser': () => h.resolve({ hasUser: true }),
            'check.fail': () => h.reject(new Error('archive unreadable')),
            request: async () => {
              const before = h.effects.length;
              h.request();
              await settle();
              // Every request is either taken up by an effect or answered at once — never ignored.
              expect(h.effects.length).toBeGreaterThan(before);
            },
            'effect.ok': () => h.resolve(user),
            'effect.wrongPassphrase': () => h.reject({ code: 'WRONG_PASSPHRASE', message: 'the passphrase does not unlock this identity' }),
            'effect.fail': () => h.reject(new Error('disk on fire')),
          },
        });
      } finally {
        h.actor.stop();
      }
    });
  }
});

describe('provisioning answers', () => {
  it('answers each request with its own requestId, and a second provision never creates a user', async () => {
    const h = harness();
    h.actor.start();
    await h.resolve({ hasUser: false });
    h.request();
    await h.resolve(user);
    h.request();
    await settle();
    expect(h.effects.filter((e) => e.startsWith('createUser'))).toHaveLength(1);
    await h.reject({ code: 'WRONG_PASSPHRASE', message: 'no' });
    expect(h.effects).toEqual(['checkStore:started', 'createUser:started', 'notifyApp', 'succeeded:true:r1', 'unlockUser:started', 'failed:WRONG_PASSPHRASE:r2']);
    expect(h.actor.getSnapshot().value).toBe('provisioned');
    h.actor.stop();
  });

  it('refuses every request on a corrupt store with the reason it found', async () => {
    const h = harness();
    h.actor.start();
    await h.reject({ code: 'CORRUPT', message: 'archive schema 99 is not the supported 1' });
    h.request();
    await settle();
    expect(h.effects.at(-1)).toBe('failed:CORRUPT:r1');
    h.actor.stop();
  });
});
