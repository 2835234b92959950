import type { OpGroup, OpHandlers } from './ops.ts';
import { serveWorker } from './serve.ts';
import type { WorkerExit, WorkerHandle } from './worker-handle.ts';
import type { HostMessage } from './protocol.ts';

/**
 * A worker in this thread, for tests and for the browser until it has real workers: the same
 * `serveWorker` loop as a real worker, behind a real MessageChannel, so messages are cloned,
 * transfers detach the sender's buffers and delivery is asynchronous exactly as with a thread.
 * It cannot isolate a hang or an uncaught throw, so `crash()` stands in for a dying thread.
 */
export class InProcessWorkerHandle<G extends OpGroup> implements WorkerHandle {
  readonly #channel = new MessageChannel();
  readonly #exitListeners: Array<(exit: WorkerExit) => void> = [];
  #exit: WorkerExit | undefined;

  constructor(kind: string, handlers: OpHandlers<G>) {
    const workerSide = this.#channel.port2;
    serveWorker(
      {
        post: (message, transfer) => workerSide.postMessage(message, transfer),
        onMessage: (listener) =>
          workerSide.addEventListener('message', (event) => {
            try {
              listener(event.data);
            } catch (error) {
              // In a real worker an error thrown out of the loop ends the worker.
              this.#end({ reason: 'error', message: error instanceof Error ? error.message : String(error) });
            }
          }),
      },
      kind,
      handlers,
    );
    workerSide.start();
  }

  post(message: HostMessage, transfer: readonly ArrayBuffer[]): void {
    if (this.#exit) return;
    this.#channel.port1.postMessage(message, [...transfer]);
  }

  onMessage(listener: (message: unknown) => void): void {
    this.#channel.port1.addEventListener('message', (event) => listener(event.data));
    this.#channel.port1.start();
  }

  onExit(listener: (exit: WorkerExit) => void): void {
    if (this.#exit) queueMicrotask(() => listener(this.#exit!));
    else this.#exitListeners.push(listener);
  }

  async terminate(): Promise<void> {
    this.#end({ reason: 'terminated', message: 'terminated by the host' });
  }

  /** Test knob: the worker dies now, as a thread killed mid-task would. */
  crash(message = 'simulated crash'): void {
    this.#end({ reason: 'error', message });
  }

  #end(exit: WorkerExit): void {
    if (this.#exit) return;
    this.#exit = exit;
    this.#channel.port1.close();
    this.#channel.port2.close();
    // Asynchronous like a real exit event, and after anything already delivered.
    queueMicrotask(() => {
      for (const listener of this.#exitListeners.splice(0)) listener(exit);
    });
  }
}
