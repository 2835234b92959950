/**
 * The plain data the worker pool moves around (specs/workers.md). Everything here is structured-
 * clonable (no classes, no functions) because tasks cross thread and process boundaries and pool
 * snapshots reach the UI; the typed `WorkerError` class callers see lives in actors/workers.
 */

/** Every way a task can fail, as one closed set; specs/workers.md §4 says when each is used. */
export type WorkerErrorCode =
  | 'QUEUE_FULL' // the kind's queue is at capacity; nothing was started
  | 'UNKNOWN_KIND' // the pool has no workers of that kind
  | 'NO_WORKERS' // every worker of the kind gave up after too many crashes
  | 'TIMEOUT' // no answer within the task's timeout; the worker was recycled
  | 'WORKER_CRASHED' // the worker died with the task in flight and the task could not be retried
  | 'TASK_FAILED' // the op itself threw (detail names the op's error)
  | 'BAD_REQUEST' // the worker refused the request (unknown op, malformed payload, not cloneable)
  | 'CANCELLED' // the caller cancelled it: it never ran, or its op stopped early
  | 'POOL_STOPPED'; // the pool stopped before the task finished

export interface TaskFailure {
  code: WorkerErrorCode;
  message: string;
  /** The op's own error, when it threw one: its class name and `code` (e.g. a CryptoError code). */
  detail?: { name?: string; code?: string };
}

/**
 * A task, as a caller submits it and as it travels through the pool. The pool never copies a task
 * on admission (a burst of thousands of small tasks is the common case); a retry is a copy with
 * `retried: true`.
 */
export interface WorkerTask {
  /** Unique within the pool; the caller's handle on the outcome. */
  id: number;
  kind: string;
  op: string;
  payload: unknown;
  /** Buffers moved (not copied) to the worker. Once moved they are gone here, so such a task is never resent. */
  transfer: readonly ArrayBuffer[];
  /** Running it twice is harmless, so a crash may resend it once. */
  idempotent: boolean;
  /** Overrides the kind's default timeout (ms, measured from dispatch). */
  timeoutMs?: number;
  /** Set on the one resend after a crash. */
  retried?: boolean;
}

/** The one retry rule: idempotent, payload still here (nothing transferred), not yet retried. */
export function isRetryable(task: WorkerTask): boolean {
  return task.idempotent && task.transfer.length === 0 && !task.retried;
}

/** How a task ended: what a worker answers, and what the pool emits to callers. */
export type TaskOutcome = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: TaskFailure };

/**
 * A worker's state as it reports it. The worker machine only passes through `crashed`; the pool
 * shows `crashed` from the crash report until the worker says whether it restarts or gives up.
 */
export type WorkerState = 'spawning' | 'ready' | 'busy' | 'crashed' | 'restarting' | 'failed';

export function failure(id: number, code: WorkerErrorCode, message: string): TaskOutcome {
  return { id, ok: false, error: { code, message } };
}
