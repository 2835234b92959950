import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HostMessage } from './protocol.ts';
import type { WorkerExit, WorkerHandle } from './worker-handle.ts';

/**
 * The two real WorkerHandle adapters (specs/workers.md §5):
 * - a worker_thread: cheap to start, shares the process, moves ArrayBuffers without copying —
 *   for crypto and sync, whose work is pure JavaScript and OpenSSL;
 * - a child process: its own heap and address space, so a native crash (segfault, abort) or an
 *   out-of-memory in it cannot take the app down, and all its memory goes back to the OS on exit —
 *   for the LLM worker, which will host native inference.
 */

const BOOTSTRAP = new URL('./tsx-bootstrap.mjs', import.meta.url);
const isTypeScript = (entry: URL) => entry.pathname.endsWith('.ts');

/** Shared bookkeeping: one exit, reported once, to every listener. */
class ExitOnce {
  exit: WorkerExit | undefined;
  readonly #listeners: Array<(exit: WorkerExit) => void> = [];
  readonly gone: Promise<void>;
  #resolve!: () => void;
  constructor() {
    this.gone = new Promise((resolve) => (this.#resolve = resolve));
  }
  on(listener: (exit: WorkerExit) => void): void {
    if (this.exit) listener(this.exit);
    else this.#listeners.push(listener);
  }
  fire(exit: WorkerExit): void {
    if (this.exit) return;
    this.exit = exit;
    for (const listener of this.#listeners.splice(0)) listener(exit);
    this.#resolve();
  }
}

export function openThreadWorker(entry: URL, name: string): WorkerHandle {
  const worker = isTypeScript(entry) ? new Worker(BOOTSTRAP, { workerData: { entry: entry.href }, name }) : new Worker(entry, { name });
  const exit = new ExitOnce();
  let terminating = false;
  let uncaught: Error | undefined;
  worker.on('error', (error) => (uncaught = error));
  worker.on('exit', (code) => {
    if (terminating) exit.fire({ reason: 'terminated', message: 'terminated by the host' });
    else if (uncaught) exit.fire({ reason: 'error', message: `uncaught in the worker: ${uncaught.message}` });
    else exit.fire({ reason: 'exit', message: `the worker thread exited with code ${code}` });
  });
  return {
    post(message: HostMessage, transfer: readonly ArrayBuffer[]) {
      if (!exit.exit) worker.postMessage(message, [...transfer]);
    },
    onMessage(listener) {
      worker.on('message', listener);
      // A message that cannot be deserialized reaches the listener as `undefined`, a protocol error.
      worker.on('messageerror', () => listener(undefined));
    },
    onExit: (listener) => exit.on(listener),
    async terminate() {
      if (!exit.exit) {
        terminating = true;
        await worker.terminate();
      }
      await exit.gone;
    },
  };
}

export function openProcessWorker(entry: URL, name: string): WorkerHandle & { readonly pid: number | undefined } {
  const script = fileURLToPath(isTypeScript(entry) ? BOOTSTRAP : entry);
  const child = fork(script, isTypeScript(entry) ? [entry.href] : [], {
    execArgv: [], // not the host's flags (under vitest they are vitest's)
    serialization: 'advanced', // structured clone: Uint8Array, Map, … arrive as such
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, LAMA_WORKER_NAME: name },
  });
  const exit = new ExitOnce();
  let terminating = false;
  child.on('error', (error) => {
    // A process that never started has no exit event to wait for; any later 'error' (a send on a
    // closing channel) is followed by 'exit', which reports it.
    if (child.pid === undefined) exit.fire({ reason: 'error', message: `the worker process could not start: ${error.message}` });
  });
  child.on('exit', (code, signal) => {
    if (terminating) exit.fire({ reason: 'terminated', message: 'terminated by the host' });
    else exit.fire({ reason: 'exit', message: signal ? `the worker process was killed by ${signal}` : `the worker process exited with code ${code}` });
  });
  return {
    pid: child.pid,
    post(message: HostMessage) {
      // A process cannot take transfers: the bytes are copied through the IPC channel.
      if (!exit.exit && child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => exit.on(listener),
    async terminate() {
      if (!exit.exit) {
        terminating = true;
        // No graceful goodbye: a worker keeps no state, and a stuck one must stop now.
        child.kill('SIGKILL');
      }
      await exit.gone;
    },
  };
}
