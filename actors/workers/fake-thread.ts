import { createActor, fromCallback, type ActorRef, type Snapshot } from 'xstate';
import type { ThreadCommand, ThreadEvent, ThreadInput, WorkerReport } from '../../machines/worker.ts';
import type { TaskOutcome, WorkerTask } from '../../machines/worker-task.ts';

/**
 * Threads settled by hand, for machine tests (STYLE.md §1, testing 1): the test decides when a
 * thread is up, what it answers and when it dies, so every in-between state of the worker and the
 * pool can be reached deterministically. `actor` is what tests `.provide()` as the worker's `thread`.
 */
export class FakeThreads {
  /** Every thread ever opened, oldest first (a restart opens a new one). */
  readonly opened: FakeThread[] = [];

  readonly actor = fromCallback<ThreadCommand, ThreadInput>(({ input, sendBack, receive }) => {
    const thread = new FakeThread(input, sendBack);
    this.opened.push(thread);
    receive((command) => (command.type === 'thread.post' ? thread.messages.push(command.tasks) : thread.cancels.push(command.ids)));
    return () => {
      thread.terminated = true;
    };
  });

  /** The newest thread of a worker. */
  of(workerId: string): FakeThread {
    const thread = this.opened.findLast((t) => t.workerId === workerId);
    if (!thread) throw new Error(`no thread opened for ${workerId}`);
    return thread;
  }

  /** Threads of a worker opened so far: 1 + its restarts. */
  count(workerId: string): number {
    return this.opened.filter((t) => t.workerId === workerId).length;
  }
}

export class FakeThread {
  readonly workerId: string;
  readonly kind: string;
  /** Each `thread.post` as it arrived: one array of tasks per message. */
  readonly messages: WorkerTask[][] = [];
  /** Each `thread.cancel` as it arrived: the ids it asked to stop. */
  readonly cancels: number[][] = [];
  terminated = false;
  readonly #answered = new Set<number>();
  readonly #sendBack: (event: ThreadEvent) => void;

  constructor(input: ThreadInput, sendBack: (event: ThreadEvent) => void) {
    this.workerId = input.workerId;
    this.kind = input.kind;
    this.#sendBack = sendBack;
  }

  /** Tasks posted and not yet answered. */
  get pending(): WorkerTask[] {
    return this.messages.flat().filter((task) => !this.#answered.has(task.id));
  }

  ready(): void {
    this.#sendBack({ type: 'thread.ready' });
  }

  /** Answer pending tasks (all by default) with `{ op, payload }` as the result. */
  complete(tasks: WorkerTask[] = this.pending): void {
    this.answer(tasks.map((task) => ({ id: task.id, ok: true, result: { op: task.op, payload: task.payload } })));
  }

  /** Answer as the op throwing. */
  fail(tasks: WorkerTask[] = this.pending, message = 'op failed'): void {
    this.answer(tasks.map((task) => ({ id: task.id, ok: false, error: { code: 'TASK_FAILED', message } })));
  }

  answer(outcomes: TaskOutcome[]): void {
    for (const outcome of outcomes) this.#answered.add(outcome.id);
    this.#sendBack({ type: 'thread.outcomes', outcomes });
  }

  /** A running task's partial output, as a streaming op sends it. */
  progress(id: number, data: unknown): void {
    this.#sendBack({ type: 'thread.progress', id, data });
  }

  exit(message = 'worker exited with code 1'): void {
    this.#sendBack({ type: 'thread.exited', reason: 'exit', message });
  }
}

/** A stand-in pool for tests of one worker: records every report the worker sends. */
export function reportRecorder(): { ref: ActorRef<Snapshot<unknown>, WorkerReport>; reports: WorkerReport[]; stop: () => void } {
  const reports: WorkerReport[] = [];
  const ref = createActor(fromCallback<WorkerReport>(({ receive }) => receive((report) => reports.push(report)))).start();
  return { ref, reports, stop: () => ref.stop() };
}
