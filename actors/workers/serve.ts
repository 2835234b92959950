import type { TaskFailure } from '../../machines/worker-task.ts';
import type { OpGroup, OpHandlers } from './ops.ts';
import { BadRequestError, parseHostMessage, type WorkerMessage } from './protocol.ts';

/**
 * The worker side of the protocol: announce `ready`, then answer each `requests` message with one
 * `outcomes` message (async ops are awaited together, so one slow op delays its chunk's reply). Every worker runs this loop — in a worker_thread, a child process, or (for
 * tests) in-process over a MessageChannel — so all of them answer alike.
 *
 * An op that throws becomes a failed outcome and the worker stays up; only a broken message from
 * the host (a host bug) is thrown out of the loop, which ends the worker and shows up as a crash.
 */

/** The worker's end of the link. */
export interface WorkerPort {
  post(message: WorkerMessage, transfer: ArrayBuffer[]): void;
  onMessage(listener: (message: unknown) => void): void;
}

export function serveWorker<G extends OpGroup>(port: WorkerPort, kind: string, handlers: OpHandlers<G>): void {
  const table = handlers as Record<string, (payload: unknown, transfer: (buffer: ArrayBuffer) => void) => unknown>;
  port.onMessage((raw) => {
    const message = parseHostMessage(raw);
    const { ids, ops, payloads } = message;
    const results: unknown[] = new Array(ids.length);
    const failures: Array<{ index: number; error: TaskFailure }> = [];
    const transfer = new Set<ArrayBuffer>();
    const moveBack = (buffer: ArrayBuffer) => transfer.add(buffer);
    const waiting: Array<Promise<void>> = [];
    const fail = (i: number, error: unknown) => {
      results[i] = null;
      failures.push({ index: i, error: failureOf(`${message.kind}.${ops[i]}`, error) });
    };
    for (let i = 0; i < ids.length; i++) {
      try {
        const handler = message.kind === kind && Object.hasOwn(table, ops[i]!) ? table[ops[i]!] : undefined;
        if (!handler) throw new BadRequestError(`the ${kind} worker has no such op`);
        const result = handler(payloads[i], moveBack);
        // Synchronous ops answer in this turn; only async ones (timers, I/O) make the reply wait.
        if (result instanceof Promise) waiting.push(result.then((value) => void (results[i] = value), (error: unknown) => fail(i, error)));
        else results[i] = result;
      } catch (error) {
        fail(i, error);
      }
    }
    const reply = () => port.post({ type: 'outcomes', ids, results, failures }, [...transfer]);
    if (waiting.length === 0) reply();
    else void Promise.all(waiting).then(reply);
  });
  port.post({ type: 'ready', kind, ops: Object.keys(table) }, []);
}

function failureOf(where: string, error: unknown): TaskFailure {
  if (error instanceof BadRequestError) return { code: 'BAD_REQUEST', message: `${where}: ${error.message}` };
  const e = error instanceof Error ? error : new Error(String(error));
  const code = (e as { code?: unknown }).code;
  return { code: 'TASK_FAILED', message: `${where}: ${e.message}`, detail: { name: e.name, ...(typeof code === 'string' ? { code } : {}) } };
}
