import { describe, expect, it } from 'vitest';
import { assign, createActor, setup, SimulatedClock, type SnapshotFrom } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { FakeThreads } from '../../actors/workers/fake-thread.ts';
import { poolStatus, workerPoolMachine } from '../../machines/worker-pool.ts';
import type { TaskOutcome, WorkerTask } from '../../machines/worker-task.ts';
import { BACKOFF_BASE_MS, workerMachine } from '../../machines/worker.ts';

/**
 * The event-only model of machines/worker-pool.ts with its worker children (STYLE.md §1, testing
 * 3): one kind, two workers, one task in flight per worker, a queue of one. Knobs: submit a
 * retryable or a run-once task; each worker's thread comes up, completes its task or dies; time
 * passes the backoff. The model states the pool's policy in a few lines (`apply`): route to the
 * first idle worker, refuse past capacity, retry a retryable task once on a crash, fail the rest,
 * give up a worker after MAX_RESTARTS consecutive crashes, fail everything once no worker is left.
 * Every path then checks the real pool's snapshot, its threads and its outcomes against it.
 */

const WORKERS = 2;
const CAPACITY = 1;
const MAX_RESTARTS = 1;

/** A task as the model sees it: retryable, run-once, or a retryable one already retried. */
type Task = 'retryable' | 'once' | 'retried';
type WorkerModel = { state: 'spawning' | 'ready' | 'restarting' | 'failed'; task: Task | null; crashes: number };
type Code = 'ok' | 'QUEUE_FULL' | 'NO_WORKERS' | 'WORKER_CRASHED';

interface ModelContext {
  workers: WorkerModel[];
  queue: Task[];
  expect: { outcomes: Record<Code, number>; opened: number[]; posted: number[] };
}

type ModelEvent =
  | { type: 'submit.retryable' }
  | { type: 'submit.once' }
  | { type: `w${0 | 1}.${'ready' | 'complete' | 'crash'}` }
  | { type: 'backoff' };

/** The pool's policy, restated plainly. */
function apply(context: ModelContext, event: ModelEvent): ModelContext {
  const c: ModelContext = structuredClone(context);
  const count = (code: Code, n = 1) => (c.expect.outcomes[code] += n);
  const route = () => {
    for (let i = c.workers.findIndex(idle); c.queue.length > 0 && i >= 0; i = c.workers.findIndex(idle)) {
      c.workers[i]!.task = c.queue.shift()!;
      c.expect.posted[i]!++;
    }
  };
  const [, who, what] = /^w(\d)\.(\w+)$/.exec(event.type) ?? [];
  const w = who === undefined ? undefined : c.workers[Number(who)]!;

  if (event.type === 'submit.retryable' || event.type === 'submit.once') {
    if (c.workers.every((x) => x.state === 'failed')) count('NO_WORKERS');
    else if (c.queue.length >= CAPACITY) count('QUEUE_FULL');
    else c.queue.push(event.type === 'submit.once' ? 'once' : 'retryable');
  } else if (event.type === 'backoff') {
    c.workers.forEach((x, i) => {
      if (x.state !== 'restarting') return;
      x.state = 'spawning';
      c.expect.opened[i]!++;
    });
  } else if (w && what === 'ready') {
    w.state = 'ready';
  } else if (w && what === 'complete') {
    w.task = null;
    w.crashes = 0;
    count('ok');
  } else if (w && what === 'crash') {
    const lost = w.task;
    w.task = null;
    w.crashes++;
    w.state = w.crashes <= MAX_RESTARTS ? 'restarting' : 'failed';
    if (lost === 'retryable') c.queue.unshift('retried');
    else if (lost) count('WORKER_CRASHED');
    if (c.workers.every((x) => x.state === 'failed')) count('NO_WORKERS', c.queue.splice(0).length);
  }
  route();
  return c;
}

const idle = (w: WorkerModel) => w.state === 'ready' && w.task === null;

/** Which knobs make sense now. */
function enabled(context: ModelContext, event: ModelEvent): boolean {
  const [, who, what] = /^w(\d)\.(\w+)$/.exec(event.type) ?? [];
  if (who === undefined) return event.type !== 'backoff' || context.workers.some((w) => w.state === 'restarting');
  const w = context.workers[Number(who)]!;
  if (what === 'ready') return w.state === 'spawning';
  if (what === 'complete') return w.task !== null;
  return w.state === 'spawning' || w.state === 'ready'; // crash: only a running thread can die
}

const model = setup({
  types: {} as { context: ModelContext; events: ModelEvent },
  actions: { apply: assign(({ context, event }) => apply(context, event)) },
  guards: { enabled: ({ context, event }) => enabled(context, event) },
}).createMachine({
  id: 'workerPoolModel',
  context: {
    workers: Array.from({ length: WORKERS }, () => ({ state: 'spawning', task: null, crashes: 0 })),
    queue: [],
    expect: { outcomes: { ok: 0, QUEUE_FULL: 0, NO_WORKERS: 0, WORKER_CRASHED: 0 }, opened: [1, 1], posted: [0, 0] },
  },
  on: {
    'submit.retryable': { guard: 'enabled', actions: 'apply' },
    'submit.once': { guard: 'enabled', actions: 'apply' },
    'w0.ready': { guard: 'enabled', actions: 'apply' },
    'w0.complete': { guard: 'enabled', actions: 'apply' },
    'w0.crash': { guard: 'enabled', actions: 'apply' },
    'w1.ready': { guard: 'enabled', actions: 'apply' },
    'w1.complete': { guard: 'enabled', actions: 'apply' },
    'w1.crash': { guard: 'enabled', actions: 'apply' },
    backoff: { guard: 'enabled', actions: 'apply' },
  },
});

type ModelSnapshot = SnapshotFrom<typeof model>;

/** The state key: workers and queue (not the effect counters), and the event that led there. */
const abstract = (snapshot: ModelSnapshot) => ({ workers: snapshot.context.workers, queue: snapshot.context.queue });
const serializeState = (snapshot: ModelSnapshot, event?: ModelEvent) => JSON.stringify({ ...abstract(snapshot), via: event?.type });

function realPool() {
  const replay = createActor(model).start();
  const clock = new SimulatedClock();
  const threads = new FakeThreads();
  const machine = workerPoolMachine.provide({ actors: { worker: workerMachine.provide({ actors: { thread: threads.actor } }) } });
  const kinds = { crypto: { workers: WORKERS, queueCapacity: CAPACITY, timeoutMs: 60_000, maxBatch: 1, maxInFlight: 1 } };
  const actor = createActor(machine, { input: { kinds, maxRestarts: MAX_RESTARTS }, clock }).start();
  const outcomes: TaskOutcome[] = [];
  actor.on('tasks.settled', (event) => outcomes.push(...event.outcomes));
  let nextId = 1;
  const submit = (idempotent: boolean) => {
    const task: WorkerTask = { id: nextId++, kind: 'crypto', op: 'sign', payload: null, transfer: [], idempotent };
    actor.send({ type: 'pool.submit', tasks: [task] });
  };
  const thread = (i: number) => threads.of(`crypto-${i}`);

  const drive: Record<ModelEvent['type'], () => void> = {
    'submit.retryable': () => submit(true),
    'submit.once': () => submit(false),
    'w0.ready': () => thread(0).ready(),
    'w0.complete': () => thread(0).complete(),
    'w0.crash': () => thread(0).exit(),
    'w1.ready': () => thread(1).ready(),
    'w1.complete': () => thread(1).complete(),
    'w1.crash': () => thread(1).exit(),
    backoff: () => clock.increment(BACKOFF_BASE_MS), // every restart here follows a first crash
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
    const { workers, queue, expect: effects } = state.context;
    const status = poolStatus(actor.getSnapshot()).kinds.crypto!;
    // What the pool shows (the UI's view) is the model's state of each worker.
    expect(status.workers.map((w) => w.state)).toEqual(workers.map((w) => (w.task ? 'busy' : w.state)));
    expect(status.workers.map((w) => w.inFlight)).toEqual(workers.map((w) => (w.task ? 1 : 0)));
    expect(status.queued).toBe(queue.length);
    expect(actor.getSnapshot().context.queues.crypto!.map(kindOf)).toEqual(queue);
    workers.forEach((w, i) => {
      const child = actor.getSnapshot().children[`crypto-${i}`]!.getSnapshot() as SnapshotFrom<typeof workerMachine>;
      expect(child.context.crashes).toBe(w.crashes);
      const live = thread(i); // a dead thread keeps its unanswered tasks on record; only a live one's count
      expect(live.terminated ? [] : live.pending.map(kindOf)).toEqual(w.task ? [w.task] : []);
    });
    // Effects: threads opened, tasks posted, and every outcome by code — nothing lost, nothing twice.
    expect([0, 1].map((i) => threads.count(`crypto-${i}`))).toEqual(effects.opened);
    expect([0, 1].map((i) => threads.opened.filter((t) => t.workerId === `crypto-${i}`).reduce((n, t) => n + t.messages.flat().length, 0))).toEqual(effects.posted);
    const byCode = { ok: 0, QUEUE_FULL: 0, NO_WORKERS: 0, WORKER_CRASHED: 0 } as Record<string, number>;
    for (const o of outcomes) byCode[o.ok ? 'ok' : o.error.code] = (byCode[o.ok ? 'ok' : o.error.code] ?? 0) + 1;
    expect(byCode).toEqual(effects.outcomes);
    expect(new Set(outcomes.map((o) => o.id)).size).toBe(outcomes.length);
  };

  return { events, check, stop: () => (actor.stop(), replay.stop()) };
}

const kindOf = (task: WorkerTask): Task => (task.retried ? 'retried' : task.idempotent ? 'retryable' : 'once');

const paths = createTestModel(model, { serializeState, filterEvents: (snapshot, event) => snapshot.can(event) }).getShortestPaths({ allowDuplicatePaths: true });

describe(`worker pool machine, model-based (${paths.length} shortest paths)`, () => {
  it('the model reaches retries, refusals, give-ups and the end of all workers', () => {
    const finals = paths.map((p) => p.state.context);
    expect(finals.some((c) => c.queue.includes('retried'))).toBe(true);
    expect(finals.some((c) => c.expect.outcomes.QUEUE_FULL > 0)).toBe(true);
    expect(finals.some((c) => c.expect.outcomes.WORKER_CRASHED > 0)).toBe(true);
    expect(finals.some((c) => c.workers.every((w) => w.state === 'failed') && c.expect.outcomes.NO_WORKERS > 0)).toBe(true);
  });

  for (const path of paths) {
    it(path.description, async () => {
      const real = realPool();
      try {
        await path.test({ states: { '*': real.check }, events: real.events });
      } finally {
        real.stop();
      }
    });
  }
});
