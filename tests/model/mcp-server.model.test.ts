import { describe, expect, it } from 'vitest';
import { assign, createActor, setup, SimulatedClock, type SnapshotFrom } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { FakeProcesses } from '../../actors/ai/mcp/fake-process.ts';
import { BACKOFF_BASE_MS, mcpServerMachine, STABLE_AFTER_MS, type McpServerStatus } from '../../machines/mcp-server.ts';

/**
 * The event-only model of machines/mcp-server.ts (STYLE.md §1, testing 3). Knobs: the user starts,
 * stops or re-roots the server; its process becomes ready or dies; time runs past the backoff or
 * the stable period. Each transition also counts what the real machine must have done by then
 * (processes started and stopped, the roots of the newest). The counters stay out of the state key
 * so the graph is finite; each test replays its own path through the model to compare.
 */

const MAX_RESTARTS = 1; // a second consecutive crash gives up: restart and give-up are both reachable

interface Expect {
  started: number;
  stopped: number;
  /** Roots the newest process must have been started with: `/r<roots>`. */
  roots: number;
}

type ModelEvent =
  | { type: 'start' }
  | { type: 'stop' }
  | { type: 'configure' }
  | { type: 'ready' }
  | { type: 'exit' }
  | { type: 'backoff' }
  | { type: 'stable' };

interface ModelContext {
  crashes: number;
  rootsSet: number; // roots configured so far (the newest is `/r<n>`)
  expect: Expect;
}

const modelSetup = setup({
  types: {} as { context: ModelContext; events: ModelEvent },
  actions: {
    launch: assign(({ context }) => ({ expect: { ...context.expect, started: context.expect.started + 1, roots: context.rootsSet } })),
    end: assign(({ context }) => ({ expect: { ...context.expect, stopped: context.expect.stopped + 1 } })),
    crash: assign(({ context }) => ({ crashes: context.crashes + 1, expect: { ...context.expect, stopped: context.expect.stopped + 1 } })),
    reroot: assign({ rootsSet: ({ context }) => context.rootsSet + 1 }),
    forgetCrashes: assign({ crashes: 0 }),
  },
  guards: {
    // evaluated before the crash is counted
    mayRestart: ({ context }) => context.crashes + 1 <= MAX_RESTARTS,
  },
});

const crashes = [
  { guard: 'mayRestart', target: 'backingOff', actions: 'crash' },
  { target: 'failed', actions: 'crash' },
] as const;
// While a process runs, new roots end it and start another with them.
const rerun = { target: 'starting', actions: ['end', 'reroot', 'forgetCrashes', 'launch'] } as const;
const stop = { target: 'stopped', actions: 'end' } as const;

const model = modelSetup.createMachine({
  id: 'mcpServerModel',
  context: { crashes: 0, rootsSet: 0, expect: { started: 0, stopped: 0, roots: 0 } },
  initial: 'stopped',
  states: {
    stopped: { on: { start: { target: 'starting', actions: ['forgetCrashes', 'launch'] }, configure: { actions: 'reroot' } } },
    starting: { on: { ready: 'ready', exit: crashes, configure: rerun, stop } },
    ready: { on: { exit: crashes, stable: { actions: 'forgetCrashes' }, configure: rerun, stop } },
    backingOff: { on: { backoff: { target: 'starting', actions: 'launch' }, configure: { actions: 'reroot' }, stop: 'stopped' } },
    failed: { on: { start: { target: 'starting', actions: ['forgetCrashes', 'launch'] }, configure: { actions: 'reroot' }, stop: 'stopped' } },
  },
});

type ModelSnapshot = SnapshotFrom<typeof model>;

const abstract = (snapshot: ModelSnapshot) => ({ value: snapshot.value, crashes: snapshot.context.crashes });

/** The abstract state plus the transition that led there, so shortest paths cover every transition. */
const serializeState = (snapshot: ModelSnapshot, event?: ModelEvent, previous?: ModelSnapshot) =>
  JSON.stringify({ ...abstract(snapshot), via: event?.type, from: previous && abstract(previous) });

const REAL_STATE: Record<string, unknown> = {
  stopped: 'stopped',
  starting: { running: 'starting' },
  ready: { running: 'ready' },
  backingOff: 'backingOff',
  failed: 'failed',
};

function realServer() {
  const replay = createActor(model).start();
  const clock = new SimulatedClock();
  const processes = new FakeProcesses();
  const actor = createActor(mcpServerMachine.provide({ actors: { process: processes.actor } }), {
    input: { serverId: 'filesystem', roots: ['/r0'], maxRestarts: MAX_RESTARTS },
    clock,
  });
  const statuses: McpServerStatus[] = [];
  actor.on('mcp.status', (status) => statuses.push(status));
  actor.start();
  let rootsSet = 0;

  const drive: Record<ModelEvent['type'], () => void> = {
    start: () => actor.send({ type: 'mcp.start' }),
    stop: () => actor.send({ type: 'mcp.stop' }),
    configure: () => actor.send({ type: 'mcp.configure', roots: [`/r${++rootsSet}`] }),
    ready: () => processes.current.ready(),
    exit: () => processes.current.exit(),
    backoff: () => clock.increment(BACKOFF_BASE_MS * 2 ** (actor.getSnapshot().context.crashes - 1)),
    stable: () => clock.increment(STABLE_AFTER_MS),
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
    expect(snapshot.context.crashes).toBe(state.context.crashes);
    expect(processes.started).toHaveLength(state.context.expect.started);
    expect(processes.started.filter((p) => p.stopped)).toHaveLength(state.context.expect.stopped);
    // At most one process at a time, and one exactly while running.
    expect(processes.running).toHaveLength(state.value === 'starting' || state.value === 'ready' ? 1 : 0);
    if (processes.started.length > 0) expect(processes.current.input.roots).toEqual([`/r${state.context.expect.roots}`]);
    // Whoever listens (the UI, the host) always hears the state the server rests in.
    expect(statuses.at(-1)?.state).toBe(state.value);
  };

  return { events, check, stop: () => (actor.stop(), replay.stop()) };
}

const paths = createTestModel(model, { serializeState, filterEvents: (snapshot, event) => snapshot.can(event) }).getShortestPaths({ allowDuplicatePaths: true });

describe(`mcp-server machine, model-based (${paths.length} shortest paths)`, () => {
  it('reaches every model state and the transitions that matter', () => {
    const reached = new Set(paths.flatMap((p) => p.steps.map((s) => `${String(s.state.value)} via ${s.event.type}`)));
    expect([...new Set(paths.map((p) => String(p.state.value)))].sort()).toEqual(['backingOff', 'failed', 'ready', 'starting', 'stopped']);
    for (const edge of ['backingOff via exit', 'failed via exit', 'starting via backoff', 'starting via configure', 'starting via start', 'stopped via stop', 'ready via stable']) {
      expect(reached).toContain(edge);
    }
  });

  for (const path of paths) {
    it(path.description, async () => {
      const real = realServer();
      try {
        await path.test({ states: { '*': real.check }, events: real.events });
      } finally {
        real.stop();
      }
    });
  }
});
