import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { handshakingCount } from '../../machines/federation-listener.ts';
import { listenerHarness } from './federation-harness.ts';
import { sameStateChecks } from './model-harness.ts';

/**
 * The event-only model of machines/federation-listener.ts with maxHandshaking = 2. Its context is
 * what the listener must keep right: how many connections are in handshake and established (each
 * bounded at 2 to keep the graph finite), and whether a socket has been refused for capacity.
 */
const MAX_HANDSHAKING = 2;
const MAX_ESTABLISHED = 2;

const model = setup({
  types: {} as { context: { handshaking: number; established: number; refused: boolean } },
  guards: {
    full: ({ context }) => context.handshaking >= MAX_HANDSHAKING,
    anyHandshaking: ({ context }) => context.handshaking > 0,
    roomToEstablish: ({ context }) => context.handshaking > 0 && context.established < MAX_ESTABLISHED,
    anyEstablished: ({ context }) => context.established > 0,
  },
}).createMachine({
  id: 'listenerModel',
  context: { handshaking: 0, established: 0, refused: false },
  initial: 'running',
  states: {
    running: {
      on: { fail: 'failed', stop: 'stopped' },
      initial: 'starting',
      states: {
        starting: { on: { bound: 'listening' } },
        listening: {
          on: {
            accept: [
              { guard: 'full', actions: assign({ refused: true }) },
              { actions: assign({ handshaking: ({ context }) => context.handshaking + 1 }) },
            ],
            establish: {
              guard: 'roomToEstablish',
              actions: assign({ handshaking: ({ context }) => context.handshaking - 1, established: ({ context }) => context.established + 1 }),
            },
            'drop.handshaking': { guard: 'anyHandshaking', actions: assign({ handshaking: ({ context }) => context.handshaking - 1 }) },
            'drop.established': { guard: 'anyEstablished', actions: assign({ established: ({ context }) => context.established - 1 }) },
          },
        },
      },
    },
    failed: { type: 'final' },
    stopped: { type: 'final' },
  },
});

const paths = createTestModel(model).getShortestPaths();

describe('federation listener machine, driven along every shortest path of its model', () => {
  it('stops from every load the model allows: handshaking 0–2 × established 0–2 × refused or not', () => {
    const stoppedFrom = paths.filter((path) => path.state.value === 'stopped').map((path) => JSON.stringify(path.state.context));
    expect(new Set(stoppedFrom).size).toBe(3 * 3 * 2);
  });

  for (const path of paths) {
    it(path.description, async () => {
      const h = listenerHarness({ port: 8765, maxHandshaking: MAX_HANDSHAKING });
      // The sockets in each phase, oldest first, so the model's counts can pick real ones.
      const handshaking: unknown[] = [];
      const established: unknown[] = [];
      h.actor.start();
      try {
        await path.test({
          states: sameStateChecks(model, () => h.actor, {
            'running.listening': (snapshot) => {
              const { context } = snapshot;
              expect(handshakingCount(h.context())).toBe(context.handshaking);
              expect(h.children()).toHaveLength(context.handshaking + context.established);
              expect(h.context().refused > 0).toBe(context.refused);
              for (const socket of [...handshaking, ...established]) expect(h.links.get(socket)!.stopped).toBe(false);
            },
            failed: () => expect(h.children()).toEqual([]),
            stopped: () => {
              expect(h.children()).toEqual([]);
              expect([...h.links.values()].every((link) => link.stopped)).toBe(true);
              expect(h.listen().stopped).toBe(true);
            },
          }),
          events: {
            bound: () => h.bind(),
            fail: () => h.listen().send({ type: 'listener.failed', reason: { code: 'PORT_IN_USE', message: 'port 8765 is in use' } }),
            stop: () => h.actor.send({ type: 'listener.stop' }),
            accept: () => {
              const socket = h.accept();
              if (h.links.has(socket)) handshaking.push(socket);
            },
            // xstate/graph may end a path on an event whose guard fails in the model (nothing to
            // establish or drop): then the real actor gets nothing either.
            establish: () => {
              const socket = handshaking.shift();
              if (socket === undefined) return;
              h.establish(socket);
              established.push(socket);
            },
            'drop.handshaking': () => {
              if (handshaking.length > 0) h.drop(handshaking.shift(), 'HANDSHAKE_TIMEOUT');
            },
            'drop.established': () => {
              if (established.length > 0) h.drop(established.shift(), 'GOODBYE');
            },
          },
        });
      } finally {
        h.actor.stop();
      }
    });
  }
});
