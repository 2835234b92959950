import { assign, enqueueActions, fromCallback, sendTo, setup, type ActorRef, type Snapshot } from 'xstate';
import { notProvided } from './not-provided.ts';
import type { TaskOutcome, WorkerState, WorkerTask } from './worker-task.ts';

/**
 * One worker's lifecycle (specs/workers.md §3):
 *
 *   running ─┬─ spawning ──thread.ready──▶ ready ⇄ busy
 *            └─ thread.exited / deadline / thread actor error ──▶ crashed
 *   crashed ──(restarts left)──▶ restarting ──backoff──▶ running.spawning
 *           └─(none left)─────▶ failed
 *
 * The thread itself is the invoked `thread` actor (a host supplies it with `.provide()`): it opens
 * a worker thread or process, posts the tasks it is told to, and sends back `thread.*` events.
 * Leaving `running` stops it, which terminates the thread — so a stuck thread (deadline) and a
 * dead one end the same way, and a restart always starts from a fresh thread.
 *
 * The machine owns its in-flight tasks (grouped in batches, one per `worker.dispatch`, sharing one
 * deadline that runs while the batch is the oldest in flight) so that on a crash it can hand every one back to the pool; the pool decides retry or
 * failure. Nothing is ever dropped: a dispatch that arrives while no thread is up goes straight back
 * (`worker.returned`), which is also why `failed` is not a final state — a final actor would
 * swallow such a dispatch silently.
 */

export type CrashReason = 'exit' | 'timeout' | 'error';

/** What the worker tells the pool (its `reportTo`). */
export type WorkerReport =
  | { type: 'worker.status'; workerId: string; state: WorkerState; restarts: number; lastError: string | undefined }
  | { type: 'worker.settled'; workerId: string; outcomes: TaskOutcome[] }
  | { type: 'worker.crashed'; workerId: string; reason: CrashReason; message: string; timedOut: WorkerTask[]; lost: WorkerTask[] }
  | { type: 'worker.returned'; workerId: string; tasks: WorkerTask[] }
  /** A running task's partial output, passed on as the worker sent it. */
  | { type: 'worker.progress'; workerId: string; id: number; data: unknown };

/** What the `thread` actor sends back. */
export type ThreadEvent =
  | { type: 'thread.ready' }
  | { type: 'thread.outcomes'; outcomes: TaskOutcome[] }
  | { type: 'thread.progress'; id: number; data: unknown }
  | { type: 'thread.exited'; reason: 'exit' | 'error'; message: string };

/** What the worker tells its `thread` actor: run these tasks, or stop these running ones. */
export type ThreadCommand = { type: 'thread.post'; tasks: WorkerTask[] } | { type: 'thread.cancel'; ids: number[] };

export interface ThreadInput {
  workerId: string;
  kind: string;
}

export type WorkerEvent =
  /** Tasks to run, as one message to the thread; they share one deadline, `timeoutMs` from when the worker starts on them. */
  | { type: 'worker.dispatch'; tasks: WorkerTask[]; timeoutMs: number }
  | { type: 'worker.deadline'; batch: number }
  /** The callers of these tasks gave up: stop the ones running here (others are not this worker's). */
  | { type: 'worker.cancel'; ids: number[] }
  | ThreadEvent;

export interface WorkerInput {
  workerId: string;
  kind: string;
  reportTo: ActorRef<Snapshot<unknown>, WorkerReport>;
  /** Consecutive crashes tolerated before giving up; a batch that completes resets the count. */
  maxRestarts?: number;
}

interface Batch {
  id: number;
  tasks: WorkerTask[];
  timeoutMs: number;
}

export interface WorkerContext {
  workerId: string;
  kind: string;
  reportTo: ActorRef<Snapshot<unknown>, WorkerReport>;
  maxRestarts: number;
  batches: Batch[];
  nextBatch: number;
  /** Consecutive crashes: drives the backoff and the give-up decision. */
  crashes: number;
  /** Every restart ever, for the status the UI shows. */
  restarts: number;
  lastError: string | undefined;
}

export const DEFAULT_MAX_RESTARTS = 5;
export const BACKOFF_BASE_MS = 100;
export const BACKOFF_MAX_MS = 5_000;

/** The one armed deadline's scheduling id (only the oldest batch has one). */
const DEADLINE = 'deadline';

export const workerMachine = setup({
  types: {} as {
    input: WorkerInput;
    context: WorkerContext;
    events: WorkerEvent;
  },
  actors: {
    thread: fromCallback<ThreadCommand, ThreadInput>(notProvided('thread')),
  },
  actions: {
    reportStatus: sendTo(
      ({ context }) => context.reportTo,
      ({ context }, params: { state: WorkerState }) => ({
        type: 'worker.status' as const,
        workerId: context.workerId,
        state: params.state,
        restarts: context.restarts,
        lastError: context.lastError,
      }),
    ),
    /** Record the batch and post it to the thread; an idle worker starts on it now, so its deadline runs from now. */
    startBatch: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'worker.dispatch') return;
      const batch = { id: context.nextBatch, tasks: event.tasks, timeoutMs: event.timeoutMs };
      enqueue.assign({ batches: [...context.batches, batch], nextBatch: batch.id + 1 });
      enqueue.sendTo('thread', { type: 'thread.post', tasks: event.tasks });
      if (context.batches.length === 0) enqueue.raise({ type: 'worker.deadline', batch: batch.id }, { id: DEADLINE, delay: 'taskTimeout' });
    }),
    /** Pass answers for in-flight tasks to the pool; when the oldest batch is done, the next one's deadline starts. */
    settle: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'thread.outcomes') return;
      const [oldest, ...rest] = context.batches;
      if (oldest && answersExactly(oldest, event.outcomes)) {
        // The usual case, one answer per message in order: no bookkeeping beyond dropping the batch.
        enqueue.cancel(DEADLINE);
        enqueue.assign({ batches: rest, crashes: 0 });
        if (rest[0]) enqueue.raise({ type: 'worker.deadline', batch: rest[0].id }, { id: DEADLINE, delay: 'taskTimeout' });
        enqueue.sendTo(context.reportTo, { type: 'worker.settled', workerId: context.workerId, outcomes: event.outcomes });
        return;
      }
      const answered = new Set<number>();
      for (const outcome of event.outcomes) answered.add(outcome.id);
      let matched = 0;
      const batches: Batch[] = [];
      for (const batch of context.batches) {
        const open = batch.tasks.filter((task) => !answered.has(task.id));
        matched += batch.tasks.length - open.length;
        if (open.length === batch.tasks.length) batches.push(batch);
        else if (open.length > 0) batches.push({ ...batch, tasks: open });
      }
      if (matched === 0) return; // answers for tasks not in flight: impossible from a sound thread, ignored
      // An answer shows the thread works, so the crash streak ends here.
      enqueue.assign({ batches, crashes: 0 });
      if (batches[0]?.id !== oldest?.id) {
        enqueue.cancel(DEADLINE);
        if (batches[0]) enqueue.raise({ type: 'worker.deadline', batch: batches[0].id }, { id: DEADLINE, delay: 'taskTimeout' });
      }
      const outcomes = matched === event.outcomes.length ? event.outcomes : event.outcomes.filter((o) => context.batches.some((b) => b.tasks.some((t) => t.id === o.id)));
      enqueue.sendTo(context.reportTo, { type: 'worker.settled', workerId: context.workerId, outcomes });
    }),
    returnTasks: sendTo(
      ({ context }) => context.reportTo,
      ({ context, event }) => ({
        type: 'worker.returned' as const,
        workerId: context.workerId,
        tasks: event.type === 'worker.dispatch' ? event.tasks : [],
      }),
    ),
    /**
     * Hand every in-flight task back: the batch whose deadline fired as `timedOut`, the rest as
     * `lost` (they were on a thread that is now being terminated).
     */
    reportCrash: enqueueActions(({ context, event, enqueue }) => {
      const { reason, message } = crashCause(event);
      const timedOutBatch = event.type === 'worker.deadline' ? event.batch : -1;
      const timedOut = context.batches.filter((b) => b.id === timedOutBatch).flatMap((b) => b.tasks);
      const lost = context.batches.filter((b) => b.id !== timedOutBatch).flatMap((b) => b.tasks);
      enqueue.cancel(DEADLINE);
      enqueue.assign({ batches: [], crashes: context.crashes + 1, lastError: message });
      enqueue.sendTo(context.reportTo, { type: 'worker.crashed', workerId: context.workerId, reason, message, timedOut, lost });
    }),
    countRestart: assign({ restarts: ({ context }) => context.restarts + 1 }),
    reportProgress: sendTo(
      ({ context }) => context.reportTo,
      ({ context, event }) => {
        const { id, data } = event as Extract<WorkerEvent, { type: 'thread.progress' }>;
        return { type: 'worker.progress' as const, workerId: context.workerId, id, data };
      },
    ),
    /** Pass a cancel on to the thread for the tasks it is running; ids not in flight here are not this worker's. */
    cancelInFlight: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'worker.cancel') return;
      const wanted = new Set(event.ids);
      const ids = context.batches.flatMap((b) => b.tasks.filter((t) => wanted.has(t.id)).map((t) => t.id));
      if (ids.length > 0) enqueue.sendTo('thread', { type: 'thread.cancel', ids });
    }),
  },
  guards: {
    nothingInFlight: ({ context }) => context.batches.length === 0,
    isInFlight: ({ context, event }) => event.type === 'worker.deadline' && context.batches.some((b) => b.id === event.batch),
    /** Progress for a task this worker no longer holds (answered, or handed back in a crash) is stale. */
    isTaskInFlight: ({ context, event }) => event.type === 'thread.progress' && context.batches.some((b) => b.tasks.some((t) => t.id === event.id)),
    mayRestart: ({ context }) => context.crashes <= context.maxRestarts,
  },
  delays: {
    /** Exponential in consecutive crashes, capped: a crash loop costs little CPU and recovers quickly once fixed. */
    backoff: ({ context }) => Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, context.crashes - 1), BACKOFF_MAX_MS),
    /**
     * Only the oldest batch in flight has a deadline, armed when it becomes the oldest: a worker
     * takes its messages in order, so the oldest is the one it is working on, and time a batch waits
     * behind others (the pool pipelines several per worker) must not count against it. Read after
     * the batch list is updated, so this is the new oldest batch's timeout.
     */
    taskTimeout: ({ context }) => context.batches[0]?.timeoutMs ?? 0,
  },
}).createMachine({
  id: 'worker',
  context: ({ input }) => ({
    workerId: input.workerId,
    kind: input.kind,
    reportTo: input.reportTo,
    maxRestarts: input.maxRestarts ?? DEFAULT_MAX_RESTARTS,
    batches: [],
    nextBatch: 1,
    crashes: 0,
    restarts: 0,
    lastError: undefined,
  }),
  initial: 'running',
  states: {
    running: {
      invoke: {
        id: 'thread',
        src: 'thread',
        input: ({ context }) => ({ workerId: context.workerId, kind: context.kind }),
        onError: '#worker.crashed',
      },
      on: { 'thread.exited': '#worker.crashed' },
      initial: 'spawning',
      states: {
        spawning: {
          entry: { type: 'reportStatus', params: { state: 'spawning' } },
          on: { 'thread.ready': 'ready', 'worker.dispatch': { actions: 'returnTasks' } },
        },
        ready: {
          entry: { type: 'reportStatus', params: { state: 'ready' } },
          on: { 'worker.dispatch': { target: 'busy', actions: 'startBatch' } },
        },
        busy: {
          entry: { type: 'reportStatus', params: { state: 'busy' } },
          always: { guard: 'nothingInFlight', target: 'ready' },
          on: {
            'worker.dispatch': { actions: 'startBatch' },
            'thread.outcomes': { actions: 'settle' },
            'thread.progress': { guard: 'isTaskInFlight', actions: 'reportProgress' },
            'worker.cancel': { actions: 'cancelInFlight' },
            'worker.deadline': { guard: 'isInFlight', target: '#worker.crashed' },
          },
        },
      },
    },
    crashed: {
      entry: 'reportCrash',
      always: [{ guard: 'mayRestart', target: 'restarting' }, { target: 'failed' }],
    },
    restarting: {
      entry: ['countRestart', { type: 'reportStatus', params: { state: 'restarting' } }],
      after: { backoff: 'running' },
      on: { 'worker.dispatch': { actions: 'returnTasks' } },
    },
    failed: {
      entry: { type: 'reportStatus', params: { state: 'failed' } },
      on: { 'worker.dispatch': { actions: 'returnTasks' } },
    },
  },
});

function answersExactly(batch: Batch, outcomes: TaskOutcome[]): boolean {
  return outcomes.length === batch.tasks.length && batch.tasks.every((task, i) => task.id === outcomes[i]!.id);
}

/** Why the thread is gone, from the event that took the worker to `crashed`. */
function crashCause(event: { type: string }): { reason: CrashReason; message: string } {
  const e = event as WorkerEvent | { type: string; error?: unknown };
  if (e.type === 'thread.exited' && 'reason' in e) return { reason: e.reason, message: e.message };
  if (e.type === 'worker.deadline' && 'batch' in e) return { reason: 'timeout', message: 'the worker did not answer within the task timeout' };
  // The thread actor itself threw (e.g. the entry file could not be opened).
  const error = 'error' in e ? e.error : undefined;
  return { reason: 'error', message: error instanceof Error ? error.message : String(error) };
}
