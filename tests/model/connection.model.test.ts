import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { CLOSE_GRACE_MS } from '../../machines/connection.ts';
import { ACCEPTOR, connectionHarness, DIALER, PEER } from './connection-harness.ts';
import { sameStateChecks, settle } from './model-harness.ts';

/**
 * The event-only model of machines/connection.ts. Its knobs are what the link, pairing, CHUM and
 * time do; `dial` and `accept` choose the role (they create the real actor). `redial` mirrors the
 * one decision the chart makes from its history: whether a lost link leads to a backoff.
 */
const model = setup({
  types: {} as { context: { role: 'dialer' | 'acceptor' | undefined; redial: boolean } },
  guards: { willRedial: ({ context }) => context.role === 'dialer' && context.redial },
}).createMachine({
  id: 'connectionModel',
  context: { role: undefined, redial: false },
  initial: 'unstarted',
  states: {
    unstarted: {
      on: {
        dial: { target: 'linked.connecting', actions: assign({ role: 'dialer', redial: true }) },
        accept: { target: 'linked.handshaking', actions: assign({ role: 'acceptor' }) },
      },
    },
    linked: {
      on: {
        'link.closed': [{ guard: 'willRedial', target: 'backingOff' }, { target: 'closed' }],
        close: { target: '.closing', actions: assign({ redial: false }) },
      },
      initial: 'connecting',
      states: {
        connecting: { on: { 'link.opened': 'handshaking' } },
        handshaking: { on: { 'link.contact': 'up', 'link.stranger': 'pairing' } },
        pairing: { on: { 'pair.ok': 'up', 'pair.fail': { target: 'closing', actions: assign({ redial: false }) } } },
        up: {
          initial: 'syncing',
          states: {
            syncing: { on: { 'sync.caughtUp': 'idle' } },
            idle: { on: { 'sync.behind': 'syncing' } },
          },
          on: { 'sync.fail': 'closing' },
        },
        closing: {
          on: {
            close: { actions: assign({ redial: false }) },
            'grace.elapsed': [{ guard: 'willRedial', target: '#connectionModel.backingOff' }, { target: '#connectionModel.closed' }],
          },
        },
      },
    },
    backingOff: { on: { 'backoff.elapsed': 'linked.connecting', close: 'closed' } },
    closed: { type: 'final' },
  },
});

const paths = createTestModel(model).getShortestPaths();

describe('connection machine, driven along every shortest path of its model', () => {
  it('has a path to every state of the model, for both roles', () => {
    expect(paths.length).toBeGreaterThanOrEqual(15);
  });

  for (const path of paths) {
    it(path.description, async () => {
      let h: ReturnType<typeof connectionHarness> | undefined;
      const real = () => h!;
      const start = (input: typeof DIALER) => {
        h = connectionHarness(input);
        h.actor.start();
      };
      const downs = () => real().statuses.filter((s) => s.type === 'connection.down').length;
      const states = sameStateChecks(model, () => real().actor, {
        'linked.connecting': () => {
          expect(real().link().input.role).toBe('dialer');
          expect(real().link().stopped).toBe(false);
        },
        'linked.pairing': () => expect(real().pairing().input.peer).toEqual(PEER),
        'linked.up': (snapshot) => {
          expect(real().statuses.filter((s) => s.type === 'connection.up').at(-1)).toMatchObject({ peer: PEER, role: snapshot.context.role });
          expect(real().sync().stopped).toBe(false);
        },
        'linked.closing': () => expect(real().link().commands.at(-1)?.type).toBe('link.close'),
        backingOff: () => {
          expect(real().statuses.at(-1)).toMatchObject({ type: 'connection.down', redial: true });
          expect(downs()).toBe(real().links.length);
          expect(real().links.every((link) => link.stopped)).toBe(true);
        },
        closed: () => {
          expect(real().actor.getSnapshot().status).toBe('done');
          // Every link that started was announced down exactly once, whether it ended while up or
          // the connection was closed while backing off.
          expect(downs()).toBe(real().links.length);
          expect(real().links.every((link) => link.stopped)).toBe(true);
        },
      });
      delete states.unstarted; // no actor exists before `dial` or `accept`
      try {
        await path.test({
          states,
          events: {
            dial: () => start(DIALER),
            accept: () => start(ACCEPTOR),
            'link.opened': () => real().link().send({ type: 'link.opened' }),
            'link.contact': () => real().established(true),
            'link.stranger': () => real().established(false),
            'pair.ok': async () => {
              real().pairing().result.resolve();
              await settle();
            },
            'pair.fail': async () => {
              real().pairing().result.reject(new Error('wrong token'));
              await settle();
            },
            'sync.caughtUp': () => real().sync().send({ type: 'sync.caughtUp' }),
            'sync.behind': () => real().sync().send({ type: 'sync.behind' }),
            'sync.fail': () => real().sync().send({ type: 'sync.failed', message: 'bad object' }),
            'link.closed': () => real().closedBy('CLOSED'),
            close: () => real().actor.send({ type: 'connection.close', reason: 'test' }),
            'grace.elapsed': () => real().clock.increment(CLOSE_GRACE_MS),
            'backoff.elapsed': () => real().clock.increment(real().context().backoffMs),
          },
        });
      } finally {
        h?.actor.stop();
      }
    });
  }
});
