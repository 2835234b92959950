import type { TaskFailure } from '../../machines/worker-task.ts';
import type { OpGroup, OpHandlers, TaskContext } from './ops.ts';
import { BadRequestError, parseHostMessage, type RequestsMessage, type WorkerMessage } from './protocol.ts';

/**
 * The worker side of the protocol: announce `ready`, then answer each `requests` message with one
 * `outcomes` message (async ops are awaited together, so one slow op delays its chunk's reply).
 * Every worker runs this loop — in a worker_thread, a child process, or (for tests) in-process over
 * a MessageChannel — so all of them answer alike.
 *
 * Each running op gets a TaskContext: a signal that a `cancel` message for its id aborts, and a
 * `progress` function that sends partial output ahead of the outcome (a streaming op). An op that
 * throws after its task was cancelled is answered CANCELLED; one that finishes anyway is answered
 * with its result.
 *
 * An op that throws becomes a failed outcome and the worker stays up; only a broken message from
 * the host (a host bug) is thrown out of the loop, which ends the worker and shows up as a crash.
 */

/** The worker's end of the link. */
export interface WorkerPort {
  post(message: WorkerMessage, transfer: ArrayBuffer[]): void;
  onMessage(listener: (message: unknown) => void): void;
}

type Handler = (payload: unknown, transfer: (buffer: ArrayBuffer) => void, task: TaskContext<unknown>) => unknown;

export function serveWorker<G extends OpGroup>(port: WorkerPort, kind: string, handlers: OpHandlers<G>): void {
  const table = handlers as unknown as Record<string, Handler>;
  /** Tasks whose ops are still running, by id: what a `cancel` can reach. */
  const running = new Map<number, RunningTask>();
  port.onMessage((raw) => {
    const message = parseHostMessage(raw);
    if (message.type === 'cancel') {
      for (const id of message.ids) running.get(id)?.cancel();
      return;
    }
    answer(port, kind, table, running, message);
  });
  port.post({ type: 'ready', kind, ops: Object.keys(table) }, []);
}

function answer(port: WorkerPort, kind: string, table: Record<string, Handler>, running: Map<number, RunningTask>, message: RequestsMessage): void {
  const { ids, ops, payloads } = message;
  const results: unknown[] = new Array(ids.length);
  const failures: Array<{ index: number; error: TaskFailure }> = [];
  const transfer = new Set<ArrayBuffer>();
  const moveBack = (buffer: ArrayBuffer) => transfer.add(buffer);
  const waiting: Array<Promise<void>> = [];
  const fail = (i: number, error: unknown, task: RunningTask | undefined) => {
    results[i] = null;
    failures.push({ index: i, error: failureOf(`${message.kind}.${ops[i]}`, error, task?.cancelled === true) });
  };
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    let task: RunningTask | undefined;
    try {
      const handler = message.kind === kind && Object.hasOwn(table, ops[i]!) ? table[ops[i]!] : undefined;
      if (!handler) throw new BadRequestError(`the ${kind} worker has no such op`);
      task = new RunningTask(port, id);
      const result = handler(payloads[i], moveBack, task);
      // Synchronous ops answer in this turn; only async ones (timers, I/O) make the reply wait.
      if (result instanceof Promise) {
        running.set(id, task);
        const settled = task;
        waiting.push(
          result.then(
            (value) => void (results[i] = value),
            (error: unknown) => fail(i, error, settled),
          ).finally(() => {
            running.delete(id);
            settled.ended = true;
          }),
        );
      } else {
        results[i] = result;
        task.ended = true;
      }
    } catch (error) {
      fail(i, error, task);
    }
  }
  const reply = () => port.post({ type: 'outcomes', ids, results, failures }, [...transfer]);
  if (waiting.length === 0) reply();
  else void Promise.all(waiting).then(reply);
}

/**
 * A running op's TaskContext. Its AbortController is made only when the op asks for the signal or
 * the task is cancelled: one costs about 4 µs, a fifth of a signature, and most ops never look.
 */
class RunningTask implements TaskContext<unknown> {
  /** Set once the op has settled: progress would then arrive after the outcome, so it is dropped. */
  ended = false;
  #controller: AbortController | undefined;

  constructor(
    private readonly port: WorkerPort,
    private readonly id: number,
  ) {}

  get signal(): AbortSignal {
    return (this.#controller ??= new AbortController()).signal;
  }

  get cancelled(): boolean {
    return this.#controller?.signal.aborted === true;
  }

  progress(data: unknown): void {
    if (!this.ended) this.port.post({ type: 'progress', id: this.id, data }, []);
  }

  cancel(): void {
    (this.#controller ??= new AbortController()).abort(new CancelledError());
  }
}

/** The reason a cancelled task's signal carries. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() {
    super('the task was cancelled');
  }
}

function failureOf(where: string, error: unknown, cancelled: boolean): TaskFailure {
  if (error instanceof BadRequestError) return { code: 'BAD_REQUEST', message: `${where}: ${error.message}` };
  const e = error instanceof Error ? error : new Error(String(error));
  if (cancelled) return { code: 'CANCELLED', message: `${where}: cancelled by its caller` };
  const code = (e as { code?: unknown }).code;
  return { code: 'TASK_FAILED', message: `${where}: ${e.message}`, detail: { name: e.name, ...(typeof code === 'string' ? { code } : {}) } };
}
