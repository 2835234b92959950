import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../crypto/node-crypto.node.ts';
import { openProcessWorker, openThreadWorker } from './node-worker-handle.node.ts';
import { parseWorkerMessage } from './protocol.ts';
import { runWorkerHandleTests } from './worker-handle-tests.ts';
import type { WorkerExit, WorkerHandle } from './worker-handle.ts';

const CRYPTO = new URL('../../hosts/workers/crypto-worker.node.ts', import.meta.url);
const FAULT = new URL('../../hosts/workers/fault-worker.node.ts', import.meta.url);

runWorkerHandleTests('worker_thread', () => openThreadWorker(CRYPTO, 'crypto-test'), { crypto: nodeCrypto, transfers: true });
runWorkerHandleTests('child process', () => openProcessWorker(CRYPTO, 'crypto-test'), { crypto: nodeCrypto, transfers: false });

/** Resolves with the first message of the given type. */
function message(handle: WorkerHandle, type: 'ready' | 'outcomes') {
  return new Promise((resolve) => handle.onMessage((raw) => parseWorkerMessage(raw).type === type && resolve(raw)));
}
const exitOf = (handle: WorkerHandle) => new Promise<WorkerExit>((resolve) => handle.onExit(resolve));
const run = (handle: WorkerHandle, op: string, payload: unknown) => handle.post({ type: 'requests', kind: 'fault', ids: [1], ops: [op], payloads: [payload] }, []);

describe('node worker handles: how each one dies', () => {
  it('a thread ended by an uncaught throw exits as an error, with the message', async () => {
    const handle = openThreadWorker(FAULT, 'fault-test');
    await message(handle, 'ready');
    run(handle, 'throwUncaught', { message: 'kaboom' });
    expect(await exitOf(handle)).toEqual({ reason: 'error', message: 'uncaught in the worker: kaboom' });
  });

  it('a process killed from outside exits, naming the signal', async () => {
    const handle = openProcessWorker(FAULT, 'fault-test');
    await message(handle, 'ready');
    process.kill(handle.pid!, 'SIGKILL');
    expect(await exitOf(handle)).toEqual({ reason: 'exit', message: 'the worker process was killed by SIGKILL' });
  });

  it('terminate stops a thread stuck in a busy loop', async () => {
    const handle = openThreadWorker(FAULT, 'fault-test');
    await message(handle, 'ready');
    run(handle, 'spin', { ms: Infinity });
    const exit = exitOf(handle);
    await handle.terminate();
    expect((await exit).reason).toBe('terminated');
  });

  it('an entry that fails to load exits instead of hanging', async () => {
    const handle = openThreadWorker(new URL('./no-such-entry.node.ts', import.meta.url), 'missing');
    expect((await exitOf(handle)).reason).toBe('error');
  });
});
