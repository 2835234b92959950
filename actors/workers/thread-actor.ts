import { fromCallback } from 'xstate';
import type { ThreadCommand, ThreadEvent, ThreadInput } from '../../machines/worker.ts';
import type { TaskOutcome, WorkerTask } from '../../machines/worker-task.ts';
import { ProtocolError, outcomesOf, parseWorkerMessage } from './protocol.ts';
import type { WorkerHandle } from './worker-handle.ts';

/**
 * The worker machine's `thread` actor over any WorkerHandle: opens the worker, turns its messages
 * (ready, outcomes, a streaming task's progress) into `thread.*` events, posts what the machine
 * dispatches or cancels, and terminates the worker when the machine leaves `running` (the
 * callback's cleanup).
 *
 * A message that breaks the protocol, or a `ready` from the wrong kind of worker, counts as the
 * worker dying (`thread.exited`, reason `error`): the machine then terminates it and its tasks are
 * handled as after any crash, rather than resolving with garbage.
 */
export function threadActor(open: (input: ThreadInput) => WorkerHandle) {
  return fromCallback<ThreadCommand, ThreadInput>(({ input, sendBack, receive }) => {
    let stopped = false; // after cleanup the machine has moved on; nothing more to tell it
    const send = (event: ThreadEvent) => !stopped && sendBack(event);
    const handle = open(input);
    handle.onMessage((raw) => {
      try {
        const message = parseWorkerMessage(raw);
        if (message.type === 'outcomes') send({ type: 'thread.outcomes', outcomes: outcomesOf(message) });
        else if (message.type === 'progress') send({ type: 'thread.progress', id: message.id, data: message.data });
        else if (message.kind === input.kind) send({ type: 'thread.ready' });
        else throw new ProtocolError(`expected a ${input.kind} worker, got a ${message.kind} worker`);
      } catch (error) {
        send({ type: 'thread.exited', reason: 'error', message: `protocol error from ${input.workerId}: ${(error as Error).message}` });
      }
    });
    // Any exit the machine did not ask for is a crash — a terminate() from elsewhere included.
    handle.onExit((exit) => send({ type: 'thread.exited', reason: exit.reason === 'error' ? 'error' : 'exit', message: exit.message }));
    receive((command) => {
      if (command.type === 'thread.cancel') return handle.post({ type: 'cancel', ids: command.ids }, []);
      const refused = post(handle, command.tasks);
      if (refused.length > 0) send({ type: 'thread.outcomes', outcomes: refused });
    });
    return () => {
      stopped = true;
      void handle.terminate();
    };
  });
}

/**
 * Post a chunk as one message. If it cannot be sent (some payload is not cloneable), send the tasks
 * one by one so that only the offending ones fail (BAD_REQUEST) and the rest still run. Nothing was
 * transferred by a failed post, so the one-by-one attempt still has every buffer.
 */
function post(handle: WorkerHandle, tasks: WorkerTask[]): TaskOutcome[] {
  try {
    // A worker serves one kind, and the pool only sends it tasks of that kind.
    const message = { type: 'requests' as const, kind: tasks[0]!.kind, ids: tasks.map((t) => t.id), ops: tasks.map((t) => t.op), payloads: tasks.map((t) => t.payload) };
    handle.post(message, transfersOf(tasks));
    return [];
  } catch (error) {
    if (tasks.length === 1) return [refusal(tasks[0]!, error)];
    return tasks.flatMap((task) => post(handle, [task]));
  }
}

/** The chunk's transfer list, each buffer once (listing one twice makes postMessage throw). */
function transfersOf(tasks: WorkerTask[]): ArrayBuffer[] {
  if (tasks.every((task) => task.transfer.length === 0)) return [];
  return [...new Set(tasks.flatMap((task) => task.transfer))];
}

function refusal(task: WorkerTask, error: unknown): TaskOutcome {
  const why = error instanceof Error ? error.message : String(error);
  return { id: task.id, ok: false, error: { code: 'BAD_REQUEST', message: `${task.kind}.${task.op}: the request could not be sent to the worker (${why})` } };
}
