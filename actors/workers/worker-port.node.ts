import { parentPort } from 'node:worker_threads';
import type { WorkerMessage } from './protocol.ts';
import type { WorkerPort } from './serve.ts';

/**
 * The worker's end of the link, whichever way the host started it: a worker_thread talks over
 * `parentPort`, a child process over its IPC channel ('advanced' serialization, set by the host,
 * so byte arrays arrive as Uint8Array). Entries call this and do not care which they are.
 */
export function workerPort(): WorkerPort {
  if (parentPort) {
    const port = parentPort;
    return { post: (message, transfer) => port.postMessage(message, transfer), onMessage: (listener) => port.on('message', listener) };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('not started as a worker: no parentPort and no IPC channel');
  // A worker process must not outlive its host: when the channel closes, the host is gone.
  process.on('disconnect', () => process.exit(0));
  return {
    // Processes copy; there is nothing to transfer. A host that died before this worker's first
    // message leaves a closed channel: answer nobody and exit, rather than crash on the send.
    post: (message: WorkerMessage) => {
      if (!process.connected) return process.exit(0);
      send(message, undefined, undefined, (error) => {
        if (error) process.exit(0);
      });
    },
    onMessage: (listener) => process.on('message', listener),
  };
}
