import type { HostMessage } from './protocol.ts';

/**
 * One running worker, seen from the host (STYLE.md §4: one interface, several adapters, one
 * acceptance suite in worker-handle-tests.ts). Adapters: a worker_thread and a child process
 * (node-worker-handle.node.ts), and an in-process MessageChannel fake (in-process-handle.ts).
 * The thread actor (thread-actor.ts) turns a handle into the worker machine's `thread` events.
 */
export interface WorkerHandle {
  /**
   * Send one message. Throws only when the message cannot be sent as given (a value that cannot be
   * cloned, a buffer listed twice or already detached) — then nothing was sent. Sending to a worker
   * that is gone does nothing: `onExit` reports that, exactly once.
   */
  post(message: HostMessage, transfer: readonly ArrayBuffer[]): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called exactly once, when the worker has ended for any reason, `terminate()` included. */
  onExit(listener: (exit: WorkerExit) => void): void;
  /** End the worker now (it keeps no state worth a graceful goodbye); resolves once it is gone. */
  terminate(): Promise<void>;
}

export interface WorkerExit {
  /** `terminated`: we ended it; `exit`: it ended by itself or was killed; `error`: an uncaught error ended it. */
  reason: 'terminated' | 'exit' | 'error';
  message: string;
}
