import { describe, expect, it } from 'vitest';
import { assign, createActor, setup, SimulatedClock, type SnapshotFrom } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { FakeThreads, reportRecorder } from '../../actors/workers/fake-thread.ts';
import { BACKOFF_BASE_MS, workerMachine, type WorkerReport } from '../../machines/worker.ts';
import type { WorkerTask } from '../../machines/worker-task.ts';

/**
 * The event-only model of machines/worker.ts (STYLE.md §1, testing 3). Knobs: the thread comes up,
 * answers the oldest batch, streams progress or dies; the pool dispatches or cancels; time runs to
 * a deadline or past the backoff. Each transition also counts the effects the real worker must have produced by then
 * (`expect`). Those counters are left out of the state key, so the graph stays finite; since a
 * key's stored snapshot may then carry another path's counters, each test replays its own path
 * through the model and compares against that replay.
 */

const MAX_RESTARTS = 1; // a second consecutive crash gives up: both restart and give-up are reachable
const MAX_BATCHES = 2; // batches in flight the model explores (the real worker takes any number)
const TIMEOUT_MS = 1_000;

interface Effects {
  threadsOpened: number;
  threadsTerminated: number;
  posted: number; // tasks posted to threads (one per dispatch here)
  settled: number; // tasks reported answered
  returned: number; // tasks bounced while no thread was up
  lost: number; // tasks reported lost in a crash
  timedOut: number; // tasks reported timed out
  progressed: number; // progress reports passed on to the pool
  cancelsPosted: number; // cancels passed on to a thread
}

type ModelEvent =
  | { type: 'thread.ready' }
  | { type: 'dispatch' }
  | { type: 'thread.answer' }
  | { type: 'thread.exit' }
  | { type: 'thread.progress' } // for the oldest task in flight, or a stale one when none is
  | { type: 'cancel' } // of the oldest task in flight, or of one this worker no longer holds
  | { type: 'deadline' }
  | { type: 'backoff' };

interface ModelContext {
  batches: number;
  crashes: number;
  expect: Effects;
}

const modelSetup = setup({
  types: {} as { context: ModelContext; events: ModelEvent },
  actions: {
    // Named so the knob counts as a transition (snapshot.can is false for an action-less one); the real worker must do nothing.
    ignored: () => {},
    post: assign({ batches: ({ context }) => context.batches + 1 }),
    answer: assign({ batches: ({ context }) => context.batches - 1, crashes: 0 }),
    count: assign(({ context }, params: { effect: keyof Effects }) => ({ expect: { ...context.expect, [params.effect]: context.expect[params.effect] + 1 } })),
    crash: assign(({ context }, params: { deadline: boolean }) => ({
      batches: 0,
      crashes: context.crashes + 1,
      expect: {
        ...context.expect,
        threadsTerminated: context.expect.threadsTerminated + 1,
        // A deadline fires for the oldest batch; the others were on the same, now terminated, thread.
        timedOut: context.expect.timedOut + (params.deadline ? 1 : 0),
        lost: context.expect.lost + context.batches - (params.deadline ? 1 : 0),
      },
    })),
  },
  guards: {
    // evaluated before the crash is counted
    mayRestart: ({ context }) => context.crashes + 1 <= MAX_RESTARTS,
    roomForBatch: ({ context }) => context.batches < MAX_BATCHES,
    lastBatch: ({ context }) => context.batches === 1,
  },
});

const counted = (effect: keyof Effects) => ({ type: 'count', params: { effect } }) as const;
// Any crash: the thread is replaced after a backoff, or, past MAX_RESTARTS, the worker gives up.
const crashes = (deadline: boolean) =>
  [
    { guard: 'mayRestart', target: 'restarting', actions: { type: 'crash', params: { deadline } } },
    { target: 'failed', actions: { type: 'crash', params: { deadline } } },
  ] as const;

const model = modelSetup.createMachine({
  id: 'workerModel',
  context: {
    batches: 0,
    crashes: 0,
    expect: { threadsOpened: 1, threadsTerminated: 0, posted: 0, settled: 0, returned: 0, lost: 0, timedOut: 0, progressed: 0, cancelsPosted: 0 },
  },
  initial: 'spawning',
  states: {
    spawning: {
      on: {
        'thread.ready': 'ready',
        dispatch: { actions: counted('returned') },
        'thread.exit': crashes(false),
      },
    },
    ready: {
      on: {
        dispatch: { target: 'busy', actions: ['post', counted('posted')] },
        'thread.exit': crashes(false),
        // Stale: nothing is in flight, so neither reaches anyone.
        'thread.progress': { actions: 'ignored' },
        cancel: { actions: 'ignored' },
      },
    },
    busy: {
      on: {
        dispatch: { guard: 'roomForBatch', actions: ['post', counted('posted')] },
        'thread.answer': [
          { guard: 'lastBatch', target: 'ready', actions: ['answer', counted('settled')] },
          { actions: ['answer', counted('settled')] },
        ],
        'thread.exit': crashes(false),
        deadline: crashes(true),
        'thread.progress': { actions: counted('progressed') },
        cancel: { actions: counted('cancelsPosted') },
      },
    },
    restarting: {
      // A cancel the pool sent before it heard of the crash finds nothing to stop.
      on: { backoff: { target: 'spawning', actions: counted('threadsOpened') }, dispatch: { actions: counted('returned') }, cancel: { actions: 'ignored' } },
    },
    failed: { on: { dispatch: { actions: counted('returned') } } },
  },
});

type ModelSnapshot = SnapshotFrom<typeof model>;

const abstract = (snapshot: ModelSnapshot) => ({ value: snapshot.value, batches: snapshot.context.batches, crashes: snapshot.context.crashes });

/**
 * The state key: the abstract state plus the transition that led there (event and source), so the
 * shortest paths reach every transition, self-loops included, not only every state.
 */
const serializeState = (snapshot: ModelSnapshot, event?: ModelEvent, previous?: ModelSnapshot) =>
  JSON.stringify({ ...abstract(snapshot), via: event?.type, from: previous && abstract(previous) });

const REAL_STATE: Record<string, unknown> = {
  spawning: { running: 'spawning' },
  ready: { running: 'ready' },
  busy: { running: 'busy' },
  restarting: 'restarting',
  failed: 'failed',
};

function realWorker() {
  const replay = createActor(model).start();
  const clock = new SimulatedClock();
  const threads = new FakeThreads();
  const recorder = reportRecorder();
  const actor = createActor(workerMachine.provide({ actors: { thread: threads.actor } }), {
    input: { workerId: 'crypto-0', kind: 'crypto', reportTo: recorder.ref, maxRestarts: MAX_RESTARTS },
    clock,
  }).start();
  let nextId = 1;
  const task = (): WorkerTask => ({ id: nextId++, kind: 'crypto', op: 'sign', payload: null, transfer: [], idempotent: true });
  const reports = <T extends WorkerReport['type']>(type: T) => recorder.reports.filter((r): r is Extract<WorkerReport, { type: T }> => r.type === type);
  const thread = () => threads.of('crypto-0');

  const drive: Record<ModelEvent['type'], () => void> = {
    'thread.ready': () => thread().ready(),
    dispatch: () => actor.send({ type: 'worker.dispatch', tasks: [task()], timeoutMs: TIMEOUT_MS }),
    'thread.answer': () => thread().complete(thread().pending.slice(0, 1)),
    'thread.exit': () => thread().exit(),
    'thread.progress': () => thread().progress(thread().pending[0]?.id ?? nextId - 1, 'chunk'),
    cancel: () => actor.send({ type: 'worker.cancel', ids: [thread().pending[0]?.id ?? nextId - 1] }),
    deadline: () => clock.increment(TIMEOUT_MS),
    backoff: () => clock.increment(BACKOFF_BASE_MS * 2 ** (actor.getSnapshot().context.crashes - 1)),
  };
  const events = Object.fromEntries(
    Object.entries(drive).map(([type, act]) => [
      type,
      () => {
        replay.send({ type } as ModelEvent);
        act();
      },
    ]),
  );

  const check = (step: ModelSnapshot) => {
    const state = replay.getSnapshot();
    expect(abstract(state)).toEqual(abstract(step));
    const snapshot = actor.getSnapshot();
    expect(snapshot.value).toEqual(REAL_STATE[state.value as string]);
    expect(snapshot.context.batches).toHaveLength(state.context.batches);
    expect(snapshot.context.crashes).toBe(state.context.crashes);
    const crashes = reports('worker.crashed');
    expect({
      threadsOpened: threads.opened.length,
      threadsTerminated: threads.opened.filter((t) => t.terminated).length,
      posted: threads.opened.reduce((n, t) => n + t.messages.flat().length, 0),
      settled: reports('worker.settled').reduce((n, r) => n + r.outcomes.length, 0),
      returned: reports('worker.returned').reduce((n, r) => n + r.tasks.length, 0),
      lost: crashes.reduce((n, r) => n + r.lost.length, 0),
      timedOut: crashes.reduce((n, r) => n + r.timedOut.length, 0),
      progressed: reports('worker.progress').length,
      cancelsPosted: threads.opened.reduce((n, t) => n + t.cancels.length, 0),
    }).toEqual(state.context.expect);
    // The pool always hears the state the worker rests in.
    const last = reports('worker.status').at(-1)?.state;
    expect(last).toBe(state.value === 'busy' ? 'busy' : state.value);
  };

  return { actor, events, check, stop: () => (actor.stop(), recorder.stop(), replay.stop()) };
}

// One path per reachable key — every transition — not only the maximal paths, so each gets its own test.
// Knobs whose guard blocks them (a third batch) are not offered.
const paths = createTestModel(model, { serializeState, filterEvents: (snapshot, event) => snapshot.can(event) }).getShortestPaths({ allowDuplicatePaths: true });

describe(`worker machine, model-based (${paths.length} shortest paths)`, () => {
  it('reaches every model state and every transition', () => {
    const reached = new Set(paths.flatMap((p) => p.steps.map((s) => `${String(s.state.value)} via ${s.event.type}`)));
    expect([...new Set(paths.map((p) => String(p.state.value)))].sort()).toEqual(['busy', 'failed', 'ready', 'restarting', 'spawning']);
    for (const edge of ['failed via thread.exit', 'failed via deadline', 'failed via dispatch', 'restarting via deadline', 'spawning via backoff', 'ready via thread.answer', 'busy via thread.progress', 'busy via cancel', 'ready via cancel', 'restarting via cancel']) {
      expect(reached).toContain(edge);
    }
  });

  for (const path of paths) {
    it(path.description, async () => {
      const real = realWorker();
      try {
        await path.test({ states: { '*': real.check }, events: real.events });
      } finally {
        real.stop();
      }
    });
  }
});
