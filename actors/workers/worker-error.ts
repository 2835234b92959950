import type { TaskFailure, WorkerErrorCode } from '../../machines/worker-task.ts';

export type { WorkerErrorCode } from '../../machines/worker-task.ts';

/**
 * How a pool task fails, as one typed error (specs/workers.md §4). Callers switch on `code`; when
 * the op itself threw, `detail` carries that error's name and code (e.g. a CryptoError's
 * BAD_KEY_LENGTH), since the error object itself cannot cross the thread boundary.
 */
export class WorkerError extends Error {
  override readonly name = 'WorkerError';
  readonly code: WorkerErrorCode;
  readonly detail: TaskFailure['detail'];

  constructor(failure: TaskFailure) {
    super(failure.message);
    this.code = failure.code;
    this.detail = failure.detail;
  }
}

export function isWorkerError(error: unknown, code?: WorkerErrorCode): error is WorkerError {
  return error instanceof WorkerError && (code === undefined || error.code === code);
}
