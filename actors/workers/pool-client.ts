import { createActor, type ActorRefFrom } from 'xstate';
import { SYSTEM_ID } from '../../machines/system-ids.ts';
import { poolStatus, workerPoolMachine, type KindConfig, type PoolStatus } from '../../machines/worker-pool.ts';
import type { TaskOutcome, WorkerTask } from '../../machines/worker-task.ts';
import { workerMachine, type ThreadInput } from '../../machines/worker.ts';
import type { OpTable, PayloadOf, ProgressOf, ResultOf, WorkerOps } from './ops.ts';
import { threadActor } from './thread-actor.ts';
import { WorkerError } from './worker-error.ts';
import type { WorkerHandle } from './worker-handle.ts';

/**
 * What the rest of the app calls (specs/workers.md §6):
 *
 *   const signature = await pool.run('crypto', { op: 'sign', payload: { secretKey, message } });
 *
 * `run` is typed by the op table (ops.ts) and settles exactly once: the result, or a WorkerError
 * with a code. It is a thin layer over the pool actor: it sends `pool.submit` and listens for the
 * pool's `tasks.settled`. Calls made in the same turn of the event loop travel as one `pool.submit`
 * (collected until a microtask), so a burst of small tasks costs the actor one event, not one each.
 *
 * A streaming op's progress reaches `onProgress` (the pool's `task.progress`), in order and before
 * the call settles. Aborting `signal` cancels the task: a queued one fails CANCELLED at once, a
 * running one is told to stop (`pool.cancel`) and the call settles with whatever its op answers —
 * a partial result, or CANCELLED.
 */

export interface RunOptions<E = unknown> {
  /** Buffers in the payload to move to the worker instead of copying (detached here afterwards; no retry). */
  transfer?: ArrayBuffer[];
  /** Overrides the kind's timeout (ms, counted from when a worker gets to the task). */
  timeoutMs?: number;
  /** Overrides the op table's idempotency flag. */
  idempotent?: boolean;
  /** Cancels the task (see above). Already aborted: nothing is submitted and the call fails CANCELLED. */
  signal?: AbortSignal;
  /** Each progress event of a streaming op, in order. */
  onProgress?: (event: E) => void;
}

export type PoolActorRef = ActorRefFrom<typeof workerPoolMachine>;

export type Request<G, O extends keyof G> = { op: O; payload: PayloadOf<G[O]> };

interface Pending {
  kind: string;
  resolve: (result: unknown) => void;
  reject: (error: WorkerError) => void;
  onProgress: ((event: unknown) => void) | undefined;
  /** Stops listening to the caller's signal. */
  release: () => void;
}

// Task ids are unique per realm, so several clients may share one pool actor.
let nextTaskId = 1;
const NOTHING: readonly ArrayBuffer[] = Object.freeze([]);
const NO_RELEASE = () => {};

export class WorkerPool<T extends OpTable = WorkerOps> {
  readonly #pending = new Map<number, Pending>();
  #batch: WorkerTask[] = [];
  #closed = false;

  /**
   * `release` is awaited by `close()` after the pool stopped: whoever opened the workers waits
   * there for them to be gone.
   */
  constructor(
    readonly actor: PoolActorRef,
    private readonly table: T,
    private readonly release: () => Promise<void> = async () => {},
  ) {
    actor.on('tasks.settled', ({ outcomes }) => this.#settle(outcomes));
    actor.on('task.progress', ({ id, data }) => this.#pending.get(id)?.onProgress?.(data));
    // When the pool actor ends, whatever it had in flight can no longer finish: fail it, never leave it hanging.
    actor.subscribe({
      complete: () => this.#failAll('POOL_STOPPED', 'the worker pool stopped'),
      error: (error) => this.#failAll('POOL_STOPPED', `the worker pool failed: ${error instanceof Error ? error.message : String(error)}`),
    });
  }

  run<K extends keyof T & string, O extends keyof T[K] & string>(kind: K, request: Request<T[K], O>, options?: RunOptions<ProgressOf<T[K][O]>>): Promise<ResultOf<T[K][O]>> {
    return new Promise((resolve, reject) => {
      const id = nextTaskId++;
      if (this.#closed || this.actor.getSnapshot().status !== 'active') {
        reject(new WorkerError({ code: 'POOL_STOPPED', message: `the worker pool is closed; ${kind}.${request.op} was not run` }));
        return;
      }
      const signal = options?.signal;
      if (signal?.aborted) {
        reject(new WorkerError({ code: 'CANCELLED', message: `${kind}.${request.op} was cancelled before it was submitted` }));
        return;
      }
      let release = NO_RELEASE; // most tasks have no signal: no listener, no closure
      if (signal) {
        const onAbort = () => this.#cancel(id);
        signal.addEventListener('abort', onAbort, { once: true });
        release = () => signal.removeEventListener('abort', onAbort);
      }
      this.#pending.set(id, {
        kind,
        resolve: resolve as (result: unknown) => void,
        reject,
        onProgress: options?.onProgress as ((event: unknown) => void) | undefined,
        release,
      });
      const spec = this.table[kind]?.[request.op];
      this.#batch.push({
        id,
        kind,
        op: request.op,
        payload: request.payload,
        transfer: options?.transfer ?? NOTHING,
        idempotent: options?.idempotent ?? spec?.idempotent ?? false,
        timeoutMs: options?.timeoutMs,
      });
      if (this.#batch.length === 1) queueMicrotask(() => this.#flush());
    });
  }

  /** Per kind: tasks queued, and each worker's state, tasks in flight and restarts. */
  status(): PoolStatus {
    return poolStatus(this.actor.getSnapshot());
  }

  /** Stop the pool: queued and in-flight tasks fail with POOL_STOPPED and the workers end. */
  async close(): Promise<void> {
    this.#flush();
    this.#closed = true;
    this.actor.send({ type: 'pool.stop' });
    await this.release();
  }

  #flush(): void {
    if (this.#batch.length === 0) return;
    const tasks = this.#batch;
    this.#batch = [];
    this.actor.send({ type: 'pool.submit', tasks });
  }

  /** Not yet sent: dropped here. Sent: the pool drops it from its queue or stops it on its worker. */
  #cancel(id: number): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    const waiting = this.#batch.findIndex((task) => task.id === id);
    if (waiting >= 0) {
      const [task] = this.#batch.splice(waiting, 1);
      this.#settle([{ id, ok: false, error: { code: 'CANCELLED', message: `${task!.kind}.${task!.op} was cancelled by its caller before it ran` } }]);
    } else {
      this.actor.send({ type: 'pool.cancel', kind: pending.kind, ids: [id] });
    }
  }

  #settle(outcomes: TaskOutcome[]): void {
    for (const outcome of outcomes) {
      const pending = this.#pending.get(outcome.id);
      if (!pending) continue; // another client's task on a shared pool
      this.#pending.delete(outcome.id);
      pending.release();
      if (outcome.ok) pending.resolve(outcome.result);
      else pending.reject(new WorkerError(outcome.error));
    }
  }

  #failAll(code: 'POOL_STOPPED', message: string): void {
    this.#closed = true;
    this.#batch = [];
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      pending.release();
      pending.reject(new WorkerError({ code, message }));
    }
  }
}

export interface StartPoolOptions<T extends OpTable> {
  table: T;
  /** Per kind in use: how many workers and their limits. */
  kinds: { [K in keyof T]?: KindConfig };
  /** Opens one worker of a kind: a thread, a process or an in-process fake. */
  open: (input: ThreadInput) => WorkerHandle;
  maxRestarts?: number;
  /** Named delays to override (`backoff`, `taskTimeout`), e.g. tiny ones in tests. */
  delays?: Partial<Record<'backoff' | 'taskTimeout', number>>;
}

/** The pool machine with its workers' threads opened by `open` (and optional delay overrides). */
export function workerPoolLogic(open: (input: ThreadInput) => WorkerHandle, delays: StartPoolOptions<OpTable>['delays'] = {}) {
  const worker = workerMachine.provide({ actors: { thread: threadActor(open) }, delays });
  return workerPoolMachine.provide({ actors: { worker } });
}

/**
 * A pool actor of its own (systemId workerPool) wired to `open`, with a client on top. Inside the
 * app the pool is instead the app machine's `workerPool` child, and callers wrap that ref:
 * `new WorkerPool(system.get(SYSTEM_ID.workerPool), workerOps)`. This `close()` also waits for
 * every worker to be gone.
 */
export function startWorkerPool<T extends OpTable>(options: StartPoolOptions<T>): WorkerPool<T> {
  const live = new Set<WorkerHandle>();
  const open = (input: ThreadInput) => {
    const handle = options.open(input);
    live.add(handle);
    handle.onExit(() => live.delete(handle));
    return handle;
  };
  const kinds = Object.fromEntries(Object.entries(options.kinds).filter((entry): entry is [string, KindConfig] => entry[1] !== undefined));
  const actor = createActor(workerPoolLogic(open, options.delays), { input: { kinds, maxRestarts: options.maxRestarts }, systemId: SYSTEM_ID.workerPool });
  const pool = new WorkerPool(actor, options.table, async () => {
    await Promise.all([...live].map((handle) => handle.terminate()));
  });
  actor.start();
  return pool;
}
