import { enqueueActions, setup, type SnapshotFrom } from 'xstate';
import { planDispatch } from './worker-routing.ts';
import { failure, isRetryable, type TaskOutcome, type WorkerState, type WorkerTask } from './worker-task.ts';
import { workerMachine, type WorkerReport } from './worker.ts';

/**
 * The worker pool (specs/workers.md): a bounded FIFO queue per worker kind, least-busy routing
 * (worker-routing.ts), and the outcome of every admitted task reported exactly once as
 * `tasks.settled` — a result, or a typed failure. Workers are `worker` children (worker.ts), spawned
 * once per configured slot with ids `<kind>-<n>`; only the pool talks to them, so they need no
 * systemId. The pool itself runs under SYSTEM_ID.workerPool.
 *
 * The context mirrors each worker's state and in-flight count (from its reports and the pool's own
 * dispatches): routing reads it, and it is the status the UI shows (`poolStatus`).
 *
 * Crash policy: tasks that were on a crashed worker come back in `worker.crashed`; a retryable one
 * (worker-task.ts `isRetryable`) goes to the head of its queue for the next live worker, any other
 * fails with WORKER_CRASHED. Tasks whose deadline fired fail with TIMEOUT and are not retried (a
 * retry would likely time out again and double the caller's wait). Retries and returns may exceed
 * the queue capacity: capacity bounds admission of new work, not work already accepted.
 */

export interface KindConfig {
  /** Worker slots of this kind. */
  workers: number;
  /** Queued (not yet dispatched) tasks beyond which new ones fail with QUEUE_FULL. */
  queueCapacity: number;
  /** Per-task timeout unless a task sets its own, counted from when its worker gets to it. */
  timeoutMs: number;
  /** Tasks per message to a worker. */
  maxBatch: number;
  /** Tasks in flight per worker. */
  maxInFlight: number;
}

export interface PoolInput {
  kinds: Record<string, KindConfig>;
  /** Consecutive crashes a worker survives before giving up (worker.ts). */
  maxRestarts?: number;
}

export interface WorkerStatus {
  id: string;
  kind: string;
  state: WorkerState;
  inFlight: number;
  restarts: number;
  lastError: string | undefined;
}

export interface PoolContext {
  kinds: Record<string, KindConfig>;
  maxRestarts: number | undefined;
  queues: Record<string, WorkerTask[]>;
  workers: Record<string, WorkerStatus>;
  /**
   * Per kind: tasks whose caller cancelled them while they were out on a worker. Should one come
   * back unfinished (the worker was not up and returned it, or crashed with it) it fails CANCELLED
   * instead of running again. Emptied whenever the kind has nothing in flight.
   */
  cancelled: Record<string, number[]>;
}

export type PoolEvent =
  | { type: 'pool.submit'; tasks: WorkerTask[] }
  /** The callers of these tasks (all of `kind`) gave up: drop them from the queue, stop them on their worker. */
  | { type: 'pool.cancel'; kind: string; ids: number[] }
  | { type: 'pool.stop' }
  | WorkerReport;

export type PoolEmitted = { type: 'tasks.settled'; outcomes: TaskOutcome[] } | { type: 'task.progress'; id: number; data: unknown };

export const workerPoolMachine = setup({
  types: {} as {
    input: PoolInput;
    context: PoolContext;
    events: PoolEvent;
    emitted: PoolEmitted;
  },
  actors: { worker: workerMachine },
  actions: {
    spawnWorkers: enqueueActions(({ context, enqueue, self }) => {
      for (const status of Object.values(context.workers)) {
        enqueue.spawnChild('worker', {
          id: status.id,
          input: { workerId: status.id, kind: status.kind, reportTo: self, maxRestarts: context.maxRestarts },
        });
      }
    }),
    admit: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'pool.submit') return;
      const queues = { ...context.queues };
      const outcomes: TaskOutcome[] = [];
      const open = new Map<string, boolean>(); // per kind: accepting (live workers), decided once per event
      for (const task of event.tasks) {
        const config = context.kinds[task.kind];
        if (!config) {
          outcomes.push(failure(task.id, 'UNKNOWN_KIND', `the pool has no workers of kind "${task.kind}"`));
          continue;
        }
        let accepting = open.get(task.kind);
        if (accepting === undefined) {
          accepting = hasLiveWorker(context, task.kind);
          open.set(task.kind, accepting);
          if (accepting) queues[task.kind] = [...queues[task.kind]!]; // this event's own copy, then push
        }
        const queue = queues[task.kind]!;
        if (!accepting) outcomes.push(failure(task.id, 'NO_WORKERS', noWorkersMessage(task.kind)));
        else if (queue.length >= config.queueCapacity) {
          outcomes.push(failure(task.id, 'QUEUE_FULL', `the ${task.kind} queue is full (${config.queueCapacity} tasks waiting)`));
        } else queue.push(task);
      }
      const step = route({ ...context, queues }, new Set(open.keys()), outcomes);
      enqueue.assign({ queues: step.queues, workers: step.workers });
      for (const send of step.sends) enqueue.sendTo(send.workerId, { type: 'worker.dispatch', tasks: send.tasks, timeoutMs: send.timeoutMs });
      if (outcomes.length > 0) enqueue.emit({ type: 'tasks.settled', outcomes });
    }),
    cancel: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'pool.cancel') return;
      const wanted = new Set(event.ids);
      const queue = context.queues[event.kind] ?? [];
      const dropped = new Set(queue.filter((task) => wanted.has(task.id)).map((task) => task.id));
      const outcomes = queue.filter((task) => dropped.has(task.id)).map((task) => cancelledOutcome(task, 'before it ran'));
      if (dropped.size > 0) enqueue.assign({ queues: { ...context.queues, [event.kind]: queue.filter((task) => !dropped.has(task.id)) } });
      const elsewhere = event.ids.filter((id) => !dropped.has(id));
      const busy = Object.values(context.workers).filter((w) => w.kind === event.kind && w.inFlight > 0);
      if (elsewhere.length > 0 && busy.length > 0) {
        // The pool does not track which worker holds which task: each busy worker of the kind checks its own.
        enqueue.assign({ cancelled: { ...context.cancelled, [event.kind]: [...(context.cancelled[event.kind] ?? []), ...elsewhere] } });
        for (const worker of busy) enqueue.sendTo(worker.id, { type: 'worker.cancel', ids: elsewhere });
      }
      if (outcomes.length > 0) enqueue.emit({ type: 'tasks.settled', outcomes });
    }),
    applyReport: enqueueActions(({ context, event, enqueue }) => {
      if (!event.type.startsWith('worker.')) return;
      const report = event as WorkerReport;
      if (report.type === 'worker.progress') {
        // Straight to the callers: progress changes nothing the pool decides on.
        enqueue.emit({ type: 'task.progress', id: report.id, data: report.data });
        return;
      }
      const status = context.workers[report.workerId];
      if (!status) return;
      const next = { ...context, workers: { ...context.workers }, queues: { ...context.queues } };
      const queue = next.queues[status.kind] ?? [];
      const outcomes: TaskOutcome[] = [];
      const cancelled = new Set(context.cancelled[status.kind]);
      const keep = (task: WorkerTask) => {
        if (!cancelled.has(task.id)) return true;
        outcomes.push(cancelledOutcome(task, 'before it finished'));
        return false;
      };
      switch (report.type) {
        case 'worker.status':
          next.workers[status.id] = { ...status, state: report.state, restarts: report.restarts, lastError: report.lastError };
          break;
        case 'worker.settled':
          next.workers[status.id] = { ...status, inFlight: status.inFlight - report.outcomes.length };
          outcomes.push(...report.outcomes);
          break;
        case 'worker.returned':
          // Never reached a thread: back to the head of the queue as they were (unless cancelled meanwhile).
          next.workers[status.id] = { ...status, inFlight: status.inFlight - report.tasks.length };
          next.queues[status.kind] = [...report.tasks.filter(keep), ...queue];
          break;
        case 'worker.crashed': {
          next.workers[status.id] = { ...status, state: 'crashed', inFlight: 0, lastError: report.message };
          const retry: WorkerTask[] = [];
          for (const task of report.timedOut) {
            const ms = task.timeoutMs ?? context.kinds[status.kind]?.timeoutMs;
            outcomes.push(failure(task.id, 'TIMEOUT', `${task.kind}.${task.op} did not finish within ${ms} ms; worker ${status.id} was restarted`));
          }
          for (const task of report.lost.filter(keep)) {
            if (isRetryable(task)) retry.push({ ...task, retried: true });
            else outcomes.push(failure(task.id, 'WORKER_CRASHED', crashMessage(task, status.id, report.message)));
          }
          next.queues[status.kind] = [...retry, ...queue];
          break;
        }
      }
      const step = route(next, new Set([status.kind]), outcomes);
      enqueue.assign({ queues: step.queues, workers: step.workers });
      // Once nothing of the kind is out on a worker, no cancelled task can come back.
      if (cancelled.size > 0 && Object.values(step.workers).every((w) => w.kind !== status.kind || w.inFlight === 0)) {
        enqueue.assign({ cancelled: { ...context.cancelled, [status.kind]: [] } });
      }
      for (const send of step.sends) enqueue.sendTo(send.workerId, { type: 'worker.dispatch', tasks: send.tasks, timeoutMs: send.timeoutMs });
      if (outcomes.length > 0) enqueue.emit({ type: 'tasks.settled', outcomes });
    }),
    failQueued: enqueueActions(({ context, enqueue }) => {
      const outcomes = Object.values(context.queues)
        .flat()
        .map((task) => failure(task.id, 'POOL_STOPPED', `the worker pool stopped before ${task.kind}.${task.op} ran`));
      enqueue.assign({ queues: Object.fromEntries(Object.keys(context.queues).map((kind) => [kind, []])) });
      if (outcomes.length > 0) enqueue.emit({ type: 'tasks.settled', outcomes });
    }),
  },
}).createMachine({
  id: 'workerPool',
  context: ({ input }) => ({
    kinds: input.kinds,
    maxRestarts: input.maxRestarts,
    queues: Object.fromEntries(Object.keys(input.kinds).map((kind) => [kind, []])),
    cancelled: {},
    workers: Object.fromEntries(
      Object.entries(input.kinds).flatMap(([kind, config]) =>
        Array.from({ length: config.workers }, (_, n) => {
          const id = `${kind}-${n}`;
          return [id, { id, kind, state: 'spawning', inFlight: 0, restarts: 0, lastError: undefined } satisfies WorkerStatus];
        }),
      ),
    ),
  }),
  initial: 'running',
  states: {
    running: {
      entry: 'spawnWorkers',
      on: {
        'pool.submit': { actions: 'admit' },
        'pool.cancel': { actions: 'cancel' },
        'worker.*': { actions: 'applyReport' },
        'pool.stop': 'stopped',
      },
    },
    // Final: the pool's children (and so every thread) stop with it. Callers' in-flight tasks are
    // failed with POOL_STOPPED by the client when the actor completes (actors/workers/worker-pool.ts).
    stopped: { type: 'final', entry: 'failQueued' },
  },
});

/**
 * Route the touched kinds' queues. The caller applies the result at once: one assign, one message
 * per chunk, one `tasks.settled` for all outcomes the event produced (`outcomes` gains NO_WORKERS
 * failures here when a kind has no live worker left).
 */
function route(context: PoolContext, kinds: Set<string>, outcomes: TaskOutcome[]): Pick<PoolContext, 'queues' | 'workers'> & { sends: Send[] } {
  const queues = { ...context.queues };
  const workers = { ...context.workers };
  const sends: Send[] = [];
  for (const kind of kinds) {
    const queue = queues[kind];
    const config = context.kinds[kind];
    if (!queue || !config || queue.length === 0) continue;
    if (!hasLiveWorker(context, kind)) {
      outcomes.push(...queue.map((task) => failure(task.id, 'NO_WORKERS', noWorkersMessage(kind))));
      queues[kind] = [];
      continue;
    }
    const candidates = Object.values(workers).filter((w) => w.kind === kind && (w.state === 'ready' || w.state === 'busy'));
    const plan = planDispatch(queue, candidates, config);
    queues[kind] = plan.queue;
    for (const [id, inFlight] of plan.inFlight) if (inFlight !== workers[id]!.inFlight) workers[id] = { ...workers[id]!, inFlight };
    // The chunk's tasks share one timeout (worker-routing.ts): resolved here for the worker's deadline.
    for (const { workerId, tasks } of plan.sends) sends.push({ workerId, tasks, timeoutMs: tasks[0]!.timeoutMs ?? config.timeoutMs });
  }
  return { queues, workers, sends };
}

interface Send {
  workerId: string;
  tasks: WorkerTask[];
  timeoutMs: number;
}

function hasLiveWorker(context: PoolContext, kind: string): boolean {
  return Object.values(context.workers).some((w) => w.kind === kind && w.state !== 'failed');
}

function noWorkersMessage(kind: string): string {
  return `every ${kind} worker gave up after repeated crashes`;
}

function cancelledOutcome(task: WorkerTask, when: string): TaskOutcome {
  return failure(task.id, 'CANCELLED', `${task.kind}.${task.op} was cancelled by its caller ${when}`);
}

function crashMessage(task: WorkerTask, workerId: string, cause: string): string {
  const why = task.retried ? 'it had already been retried once' : task.transfer.length > 0 ? 'its payload was transferred' : 'it is not idempotent';
  return `worker ${workerId} crashed during ${task.kind}.${task.op} (${cause}); not retried because ${why}`;
}

export type PoolSnapshot = SnapshotFrom<typeof workerPoolMachine>;

export interface PoolStatus {
  kinds: Record<string, { queued: number; workers: WorkerStatus[] }>;
}

/** The pool at a glance, for the UI and for tests: per kind, queue length and each worker's state. */
export function poolStatus(snapshot: PoolSnapshot): PoolStatus {
  const { queues, workers } = snapshot.context;
  const kinds: PoolStatus['kinds'] = {};
  for (const [kind, queue] of Object.entries(queues)) {
    kinds[kind] = { queued: queue.length, workers: Object.values(workers).filter((w) => w.kind === kind) };
  }
  return { kinds };
}
